"""The year's result through its faces: the service over published months, the CLI
(``jiangping review --year``), the API and the page; drafts never enter it."""

import json
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from jiangping.indicators.services import set_value
from jiangping.reviews import services
from jiangping.reviews.tests.conftest import PERIOD, SCHEME

pytestmark = pytest.mark.django_db

JULY = "2026-07"


@pytest.fixture
def year(cast, month):
    """June and July published under a scheme weighing months 50 and quarters 50 and
    vetoing a revenue of exactly 7.5 (甲区 in July); August computed but left a draft."""
    veto = ('\n[[items]]\ncode = "v"\nname = "收入否决"\nkind = "veto"\n'
            'metric = "value.revenue"\ncondition = { op = "==", value = 7.5 }\n')
    services.upload_scheme(month, SCHEME + veto + "\n[periods]\nmonth = 50\nquarter = 50\n",
                           cast.office)
    figures = {cast.county_a: (50, D("7.5")), cast.county_b: (60, D("9.25")),
               cast.county_c: (30, 4), cast.zone: (50, 5)}
    for unit, (fai, revenue) in figures.items():
        set_value(month, indicator=cast.fai, unit=unit, period=JULY, value=D(fai))
        set_value(month, indicator=cast.revenue, unit=unit, period=JULY, value=D(revenue))
    for period in (PERIOD, JULY):
        services.compute(month, period)
        services.publish(month, period, cast.office)
    for unit in figures:
        set_value(month, indicator=cast.fai, unit=unit, period="2026-08", value=D(100))
    services.compute(month, "2026-08")
    return month


def rows(data):
    return {u["name"]: (u["score"], u["rank"], u["tied"], u["parts"]) for u in data["units"]}


def test_published_months_combined_by_weight_with_a_tie(year):
    data = services.year_result(2026)
    # June (conftest): 甲区 98, 乙县 95, 丙市 56, 高新区 80. July: 甲区 100% → 60 + 7.5 ÷ 10
    # × 40 = 90; 乙县 120% → 62 + 37 = 99; 丙市 56; 高新区 80.
    # 甲区: months (98 + 90) ÷ 2 = 94, quarters (June) 98 → (50 × 94 + 50 × 98) ÷ 100 = 96
    # 乙县: months (95 + 99) ÷ 2 = 97, quarters 95 → 96: tied first
    assert rows(data) == {
        "甲区": ("96.00", 1, True, {"month": "94.00", "quarter": "98.00"}),
        "乙县": ("96.00", 1, True, {"month": "97.00", "quarter": "95.00"}),
        "丙市": ("56.00", 3, False, {"month": "56.00", "quarter": "56.00"}),
        "高新区": ("80.00", 1, False, {"month": "80.00", "quarter": "80.00"}),
    }
    assert data["weights"] == {"month": "50", "quarter": "50"}
    assert data["months_published"] == [PERIOD, JULY] and data["final"] is False
    jia, yi = (next(u for u in data["units"] if u["name"] == name) for name in ("甲区", "乙县"))
    assert jia["months_used"] == [PERIOD, JULY] and yi["grade"] == "优秀"
    # 甲区 was vetoed in July: the year's grade is capped (no veto_cap: the lowest band)
    assert jia["vetoed"] and jia["veto_months"] == [JULY]
    assert jia["grade"] == "不合格" and not yi["vetoed"]
    # August is a draft: missing as unpublished, like the months not yet reviewed
    assert {"period": "2026-08", "reason": "unpublished"} in jia["months_missing"]
    assert len(jia["months_missing"]) == 10


def test_no_scheme_or_no_published_month_is_told(cast, month):
    with pytest.raises(ValidationError, match="2025年度的考核方案尚未上传"):
        services.year_result(2025)
    with pytest.raises(ValidationError, match="2026年度尚无已发布的月度考核结果"):
        services.year_result(2026)


def test_cli_year(year, capsys):
    call_command("review", "--year", "2026", "--json")
    data = json.loads(capsys.readouterr().out)
    assert rows(data)["乙县"][:3] == ("96.00", 1, True)
    call_command("review", "--year", "2026")
    text = capsys.readouterr().out
    assert "2026年度结果（截至目前）" in text and "已发布6、7月" in text
    assert "县市组  甲区  96.00  并列第1位  不合格（一票否决：7月）" in text
    assert "县市组  乙县  96.00  并列第1位  优秀\n" in text


@pytest.mark.parametrize("args", [
    ["--year", "2026", "--period", PERIOD], ["--json"], ["--year", "26"],
    ["--year", "2026", "--publish"],
])
def test_cli_year_usage_errors_exit_2(cast, args):
    with pytest.raises(CommandError) as info:
        call_command("review", *args)
    assert info.value.returncode == 2


def test_cli_year_without_results_exits_1(cast, month):
    with pytest.raises(CommandError, match="尚无已发布") as info:
        call_command("review", "--year", "2026")
    assert info.value.returncode == 1


def test_api_year(client, cast, year):
    assert client.get("/api/reviews/year/2026").status_code == 401
    client.force_login(cast.reporter_a)
    data = client.get("/api/reviews/year/2026").json()
    assert rows(data)["甲区"][:2] == ("96.00", 1)
    assert client.get("/api/reviews/year/2025").status_code == 404
    assert client.get("/api/reviews/year/1999").status_code == 404


def test_year_page_for_every_user(client, cast, year):
    client.force_login(cast.reporter_b)
    body = client.get(reverse("reviews:year"), {"year": 2026}).content.decode()
    assert "2026年度结果" in body and "年度未完，按已发布月份暂计" in body
    assert "96.00" in body and "并列" in body and "97.00" in body
    assert client.get(reverse("reviews:year"), {"year": "abc"}).status_code == 404
    empty = client.get(reverse("reviews:year"), {"year": 2025}).content.decode()
    assert "2025年度的考核方案尚未上传" in empty
