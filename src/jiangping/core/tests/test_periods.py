"""The month under review (§3): decided by the city office, else by most units, never by
one stray value; a figure for a month that has not ended is refused on every face."""

import ast
import datetime as dt
import io
import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from jiangping.core import periods
from jiangping.core.models import DataMonth, ReviewMonth
from jiangping.core.tests.web import P, month_data
from jiangping.indicators.models import Value
from jiangping.indicators.services import set_value, upsert_values
from jiangping.intake import services as intake
from jiangping.orgs.scope import Scope

TODAY = dt.date(2026, 11, 20)  # 2026-11 is under way, 2026-10 the latest complete month
COMPARE = reverse("indicators:compare")
QUEUE = reverse("intake:queue")
OPEN = reverse("review-month")


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(periods.timezone, "localdate", lambda: TODAY)
    return TODAY


def counties(cast):
    return [cast.county_a, cast.county_b, cast.county_c, cast.zone]


def fill(cast, period, units, indicator=None):
    upsert_values(Scope.operator(), [(indicator or cast.fai, u, period, 10) for u in units])


def submit(cast, unit, period, approve=False):
    submission = intake.get_or_open(unit, period, "indicators")
    intake.submit(Scope.operator(), submission, cast.office)
    if approve:
        intake.approve(Scope.operator(), submission, cast.office)
    return submission


# --- a month that has not ended ----------------------------------------------------
def test_a_value_for_the_month_under_way_is_refused_naming_it(cast, today):
    with pytest.raises(ValidationError, match="2026年11月尚未结束"):
        set_value(Scope.for_user(cast.reporter_a), indicator=cast.fai, unit=cast.county_a,
                  period="2026-11", value=D(5))
    with pytest.raises(ValidationError, match="2026年11月尚未结束") as refused:
        upsert_values(Scope.operator(), [(cast.fai, cast.county_a, "2026-10", 5),
                                         (cast.fai, cast.county_b, "2026-11", 5)])
    assert refused.value.row == 1
    with pytest.raises(ValidationError, match="2027年1月尚未结束"):
        upsert_values(Scope.operator(), [(cast.revenue, cast.city, "2027-01", 5)])
    assert not Value.objects.exists()
    set_value(Scope.operator(), indicator=cast.fai, unit=cast.county_a, period="2026-10",
              value=D(5))
    assert Value.objects.count() == 1


def test_a_stray_value_for_the_month_under_way_may_still_be_deleted(cast, today):
    Value.objects.create(indicator=cast.fai, unit=cast.county_a, period="2026-11", value=1)
    set_value(Scope.operator(), indicator=cast.fai, unit=cast.county_a, period="2026-11",
              value=None)
    assert not Value.objects.exists()


def test_entry_form_refuses_the_month_under_way(cast, today):
    client = Client()
    client.force_login(cast.reporter_a)
    url = reverse("indicators:entry") + f"?period=2026-11&unit={cast.county_a.code}"
    page = client.get(url).content.decode()
    assert "2026年11月尚未结束，月份结束后才能填报该月数据。" in page
    assert 'name="submit"' not in page  # nothing to save or submit
    response = client.post(url, {"v_fai": "150", "save": "1"})
    assert response.status_code == 302
    assert "2026年11月尚未结束" in client.get(response.url).content.decode()
    assert not Value.objects.exists()
    # the form itself refuses it too, should a page have been opened before midnight
    from jiangping.indicators.forms import ValuesForm

    form = ValuesForm({"v_fai": "150"}, indicators=[cast.fai], current={}, previous={},
                      editable=True)
    assert form.is_valid()
    assert form.save(Scope.for_user(cast.reporter_a), unit=cast.county_a, period="2026-11",
                     user=cast.reporter_a) is None
    assert "2026年11月尚未结束" in str(form.errors)
    assert not Value.objects.exists()


def test_api_refuses_the_month_under_way(cast, today):
    from jiangping.orgs.services import create_api_token

    secret = create_api_token(cast.reporter_a, "t")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    response = client.put(f"/api/indicators/values/fai/{cast.county_a.code}/2026-11",
                          {"value": "5"}, content_type="application/json")
    assert response.status_code == 422
    assert "2026年11月尚未结束" in response.content.decode()
    response = client.put("/api/indicators/values", [
        {"indicator": "fai", "unit": cast.county_a.code, "period": "2026-10", "value": 5},
        {"indicator": "fai", "unit": cast.county_a.code, "period": "2026-11", "value": 5},
    ], content_type="application/json")
    assert response.status_code == 422
    answer = response.content.decode()
    assert "第2项" in answer and "2026年11月尚未结束" in answer
    assert not Value.objects.exists()


def test_import_refuses_the_month_under_way(cast, today, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("单位,指标,期间,数值\n甲区,固定资产投资,2026-10,5\n甲区,固定资产投资,2026-11,6\n",
                    encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import", "indicators", str(path), "--apply", "--json",
                     stdout=out, stderr=err)
    assert refused.value.returncode == 1
    errors = json.loads(out.getvalue())["errors"]
    assert [(e["row"], e["value"]) for e in errors] == [(3, "2026-11")], errors
    assert "2026年11月尚未结束" in errors[0]["message"]
    assert not Value.objects.exists()


# --- the month under review ----------------------------------------------------------
def test_one_countys_stray_value_does_not_move_anybodys_month(cast, today):
    """The issue's example: one county writes a single value for a later month."""
    fill(cast, "2026-09", counties(cast))
    assert periods.review_month() == "2026-09"
    fill(cast, "2026-10", [cast.county_a])  # the stray value (2026-11 is refused outright)
    assert periods.review_month() == "2026-09"
    fill(cast, "2026-10", [cast.county_b])  # two of four: half is not most
    assert periods.review_month() == "2026-09"
    fill(cast, "2026-10", [cast.county_c])  # three of four
    assert periods.review_month() == "2026-10"


def test_values_of_other_levels_do_not_count_as_units_reporting(cast, today):
    fill(cast, "2026-09", counties(cast))
    fill(cast, "2026-10", [cast.city, *cast.peers, cast.department, cast.township_a])
    assert periods.review_month() == "2026-09"


def test_the_month_most_units_submitted_comes_before_figures(cast, today):
    fill(cast, "2026-10", counties(cast))
    for unit in counties(cast)[:3]:
        submit(cast, unit, "2026-08", approve=unit == cast.county_a)
    assert periods.review_month() == "2026-08"
    submit(cast, cast.county_a, "2026-09")
    intake.get_or_open(cast.county_b, "2026-09", "indicators")  # a draft is not submitted
    assert periods.review_month() == "2026-08"


def test_without_data_the_latest_complete_month(cast, today):
    assert periods.review_month() == "2026-10"


def test_the_month_the_office_opened_wins(cast, today):
    fill(cast, "2026-10", counties(cast))
    opened = periods.open_review_month(Scope.for_user(cast.office), "2026-07", cast.office)
    assert (opened.period, opened.opened_by) == ("2026-07", cast.office)
    assert periods.review_month() == "2026-07"
    periods.open_review_month(Scope.for_user(cast.office), "2026-09", cast.office)
    assert periods.review_month() == "2026-09"  # the latest month opened
    periods.close_review_month(Scope.for_user(cast.office), "2026-09")
    assert periods.review_month() == "2026-07"


def test_only_the_city_office_opens_a_month_that_has_ended(cast, today):
    for user in (cast.reporter_a, cast.reporter_b, cast.leader):
        with pytest.raises(PermissionDenied):
            periods.open_review_month(Scope.for_user(user), "2026-10", user)
    with pytest.raises(ValidationError, match="2026年11月尚未结束"):
        periods.open_review_month(Scope.for_user(cast.office), "2026-11", cast.office)
    with pytest.raises(ValidationError, match="格式不正确"):
        periods.open_review_month(Scope.for_user(cast.office), "2026-13", cast.office)
    assert not ReviewMonth.objects.exists()


# --- the months pickers offer ------------------------------------------------------------
def test_months_index_follows_writes_and_deletes(cast, today):
    fill(cast, "2026-09", counties(cast))
    fill(cast, "2026-10", [cast.county_a])
    assert dict(DataMonth.objects.values_list("period", "units")) == {"2026-09": 4,
                                                                     "2026-10": 1}
    set_value(Scope.operator(), indicator=cast.fai, unit=cast.county_a, period="2026-10",
              value=None)
    assert periods.data_periods() == ["2026-09"]
    periods.open_review_month(Scope.operator(), "2026-05", cast.office)
    assert periods.data_periods() == ["2026-09", "2026-05"]


def test_months_offered_cost_the_same_whatever_the_history(cast, today,
                                                          django_assert_num_queries):
    fill(cast, "2026-10", counties(cast))
    with django_assert_num_queries(2):
        assert periods.data_periods() == ["2026-10"]
    rows = [(ind, unit, f"{year}-{month:02d}", 1) for year in range(2015, 2027)
            for month in range(1, 13) if f"{year}-{month:02d}" < "2026-11"
            for ind in (cast.fai, cast.revenue) for unit in counties(cast)]
    upsert_values(Scope.operator(), rows)
    with django_assert_num_queries(2):
        assert len(periods.data_periods()) == 12 * 12 - 2


# --- the pages open on it ---------------------------------------------------------------
def test_pages_open_on_the_month_under_review(client, cast):
    month_data(cast)
    fill(cast, "2019-12", [cast.county_a])  # a stray later value
    for user in (cast.office, cast.reporter_a, cast.reporter_b, cast.leader):
        client.force_login(user)
        page = client.get(COMPARE).content.decode()
        assert '<option value="2019-11" selected>' in page, user
    periods.open_review_month(Scope.operator(), "2019-10", cast.office)
    client.force_login(cast.reporter_b)
    assert '<option value="2019-10" selected>' in client.get(COMPARE).content.decode()


def test_office_opens_the_month_from_the_queue(client, cast):
    month_data(cast)
    client.force_login(cast.office)
    page = client.get(QUEUE, {"period": "2019-10"}).content.decode()
    assert "本期讲评月份：<strong>2019年11月</strong>" in page
    assert "开启2019年10月为讲评月份" in page
    response = client.post(OPEN, {"period": "2019-10", "action": "open",
                                  "next": f"{QUEUE}?period=2019-10"})
    assert response.status_code == 302 and response.url == f"{QUEUE}?period=2019-10"
    assert periods.review_month() == "2019-10"
    page = client.get(QUEUE).content.decode()
    assert "本期讲评月份：<strong>2019年10月</strong>" in page and "cast" not in page
    assert "撤销2019年10月为讲评月份" in page
    client.post(OPEN, {"period": "2019-10", "action": "close", "next": "https://evil.example/"})
    assert periods.review_month() == "2019-11"


@pytest.mark.parametrize("who", ["reporter_a", "reporter_b", "leader"])
def test_only_the_office_may_open_a_month(client, cast, who):
    month_data(cast)
    client.force_login(getattr(cast, who))
    response = client.post(OPEN, {"period": "2019-10", "action": "open"})
    assert response.status_code == 403
    assert not ReviewMonth.objects.exists()


def test_cli_shows_and_opens_the_month(cast):
    month_data(cast)
    out = io.StringIO()
    call_command("month", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"period": "2019-11", "opened": False,
                                          "opened_at": None, "opened_by": None}
    out = io.StringIO()
    call_command("month", "--open", "2019-10", stdout=out)
    assert "本期讲评月份：2019年10月（市级开启）" in out.getvalue()


def test_core_periods_imports_no_domain_app():
    """The month under review lives in core, which the apps plug into (§6)."""
    core = Path(periods.__file__).parent
    for name in ("periods.py", "models.py", "months.py"):
        tree = ast.parse((core / name).read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        imported |= {a.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                     for a in node.names}
        domain = {m for m in imported if m and m.startswith("jiangping.")
                  and m.split(".")[1] not in ("core", "orgs")}
        assert not domain, (name, domain)


def test_api_answers_and_opens_the_month(client, cast):
    from jiangping.orgs.services import create_api_token

    month_data(cast)
    for user, status in ((cast.reporter_a, 403), (cast.reporter_b, 403), (cast.leader, 403)):
        headers = {"Authorization": f"Bearer {create_api_token(user, 't')}"}
        answer = client.get("/api/months/", headers=headers).json()
        assert answer["review_month"] == P and answer["opened"] is False
        assert answer["months"][0] == P
        response = client.post("/api/months/review", {"period": "2019-10"},
                               content_type="application/json", headers=headers)
        assert response.status_code == status
    headers = {"Authorization": f"Bearer {create_api_token(cast.office, 't')}"}
    response = client.post("/api/months/review", {"period": "2099-01"},
                           content_type="application/json", headers=headers)
    assert response.status_code == 422 and "2099年1月尚未结束" in response.content.decode()
    answer = client.post("/api/months/review", {"period": "2019-10"},
                         content_type="application/json", headers=headers).json()
    assert (answer["review_month"], answer["opened"], answer["opened_by"]) == (
        "2019-10", True, cast.office.username)


def test_admin_keeps_the_rule(client, cast, today):
    from jiangping.orgs.models import Role

    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.role = Role.ADMIN
    cast.admin.save()
    client.force_login(cast.admin)
    url = reverse("admin:core_reviewmonth_add")
    response = client.post(url, {"period": "2026-11", "opened_at_0": "2026-11-20",
                                 "opened_at_1": "10:00:00"})
    assert response.status_code == 200 and "2026年11月尚未结束" in response.content.decode()
    assert not ReviewMonth.objects.exists()
    assert client.get(reverse("admin:core_datamonth_changelist")).status_code == 200


def test_the_month_picker_groups_years_past_twelve_months():
    from django.utils import translation

    from jiangping.core.templatetags.jiangping import period_options

    few = ["2026-10", "2026-09"]
    assert period_options(few, "2026-09") == (
        '<option value="2026-10">2026年10月</option>'
        '<option value="2026-09" selected>2026年9月</option>')
    many = [f"{year}-{month:02d}" for year in (2026, 2025) for month in range(12, 0, -1)]
    html = period_options(many[:13], "2025-12")
    assert html.startswith('<optgroup label="2026"><option value="2026-12">2026年12月</option>')
    assert html.count("<optgroup") == 2 and html.count("</optgroup>") == 2
    assert '<optgroup label="2025"><option value="2025-12" selected>' in html
    assert html.count("<option ") == 13 and html.count(" selected") == 1
    assert period_options(many[:12], "").count("<optgroup") == 0
    with translation.override("en"):
        assert period_options(few, "") == (
            '<option value="2026-10">2026-10</option><option value="2026-09">2026-09</option>')
