"""The comparison page and the data-entry page, for every member of the cast."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from jiangping.core import periods
from jiangping.core.tests.web import P, month_data
from jiangping.indicators.models import Value
from jiangping.indicators.services import upsert_values
from jiangping.intake import services as intake
from jiangping.intake.models import State, Submission
from jiangping.orgs.scope import Scope

COMPARE = reverse("indicators:compare")
ENTRY = reverse("indicators:entry")


@pytest.fixture
def data(cast):
    return month_data(cast)


def entry_url(unit, period=P):
    return f"{ENTRY}?period={period}&unit={unit.code}"


# --- comparison ---------------------------------------------------------------
def test_compare_shows_units_values_and_ranks(client, data):
    client.force_login(data.office)
    response = client.get(COMPARE, {"period": P})
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("甲区", "乙县", "丙市", "固定资产投资", "一般公共预算收入"):
        assert name in page
    assert "140.0" in page  # decimals of the indicator kept
    assert "12.50" in page and "11.25" in page  # 2 decimals, trailing zero kept
    assert 'class="num behind' in page  # 甲区 is behind the time schedule
    assert "↑2" in page  # 甲区 moved from third to first
    assert 'data-chart="' in page


def test_compare_defaults_to_latest_month(client, data):
    client.force_login(data.office)
    page = client.get(COMPARE).content.decode()
    assert f'value="{P}" selected' in page


def test_compare_flags_growth_gap(client, data):
    client.force_login(data.office)
    page = client.get(COMPARE, {"period": P, "focus": "fai_growth"}).content.decode()
    assert "计算增速" in page and "⚠" in page


def test_compare_cities_tier(client, data):
    client.force_login(data.leader)
    page = client.get(COMPARE, {"period": P, "tier": "cities"}).content.decode()
    assert "样本市" in page and "模拟市" in page and "甲区" not in page


def test_compare_picks_indicators(client, data):
    client.force_login(data.office)
    page = client.get(COMPARE, {"period": P, "ind": ["revenue"]}).content.decode()
    assert "PM10浓度</a>" not in page and "一般公共预算收入</a>" in page


def test_compare_htmx_focus_returns_the_panel(client, data):
    client.force_login(data.office)
    response = client.get(COMPARE, {"period": P, "focus": "revenue"},
                          headers={"HX-Request": "true", "HX-Target": "focus-panel"})
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="focus-panel"')
    assert "<html" not in page and "一般公共预算收入" in page


def test_compare_focus_swap_keeps_the_focus_in_the_toolbar(client, data):
    """Clicking an indicator swaps the panel and, out of band, the toolbar's focus and
    tier links, so a later change of month or tier stays on that indicator."""
    client.force_login(data.office)
    response = client.get(COMPARE, {"period": P, "focus": "revenue"},
                          headers={"HX-Request": "true", "HX-Target": "focus-panel"})
    page = response.content.decode()
    assert ('<input type="hidden" name="focus" id="compare-focus" value="revenue" '
            'hx-swap-oob="true">') in page
    assert 'id="compare-tiers" aria-label="比较范围" hx-swap-oob="true"' in page
    assert "tier=cities&amp;show=all&amp;focus=revenue" in page


def test_compare_tier_links_keep_the_focus(client, data):
    client.force_login(data.office)
    page = client.get(COMPARE, {"period": P, "focus": "pm10"}).content.decode()
    assert "tier=cities&amp;show=all&amp;focus=pm10" in page
    assert "tier=counties&amp;show=all&amp;focus=pm10" in page
    assert 'id="compare-focus" value="pm10">' in page
    assert "hx-swap-oob" not in page


def test_compare_offers_every_month_with_data(client, data):
    old = [f"{year}-{month:02d}" for year in (2015, 2016) for month in range(1, 13)]
    upsert_values(Scope.operator(), [(data.fai, data.county_a, period, 1) for period in old])
    client.force_login(data.office)
    page = client.get(COMPARE, {"period": P}).content.decode()
    for period in old:
        assert f'<option value="{period}"' in page
    assert '<optgroup label="2015">' in page and '<optgroup label="2019">' in page
    assert page.index('<optgroup label="2019">') < page.index('<optgroup label="2015">')


def test_compare_in_traditional_chinese(client, data):
    client.force_login(data.office)
    client.post(reverse("set_language"), {"language": "zh-hant", "next": "/"})
    page = client.get(COMPARE, {"period": P, "focus": "fai"}).content.decode()
    assert "固定資產投資" in page and "固定资产投资" not in page
    assert "甲區" in page and "億元" in page
    assert "固定資產投資 · " in page  # the chart's title


def test_compare_reporter_sees_other_counties_ranks_only(client, data):
    client.force_login(data.reporter_b)
    page = client.get(COMPARE, {"period": P, "focus": "revenue"}).content.decode()
    assert "11.25" in page  # own value
    assert "12.50" not in page  # 甲区's value stays hidden
    assert "仅显示位次" in page


@pytest.mark.parametrize("query", [{"period": "2019-13"}, {"tier": "villages"},
                                   {"ind": ["nope"]}])
def test_compare_refuses_bad_query(client, data, query):
    client.force_login(data.office)
    response = client.get(COMPARE, query)
    assert response.status_code == 400
    assert "errorbox" in response.content.decode()


def test_compare_requires_login(client, data):
    assert client.get(COMPARE).status_code == 302


def test_compare_query_count_is_constant(client, data, django_assert_max_num_queries):
    client.force_login(data.office)
    with django_assert_max_num_queries(12):
        assert client.get(COMPARE, {"period": P}).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(COMPARE, {"period": P, "tier": "cities"}).status_code == 200


# --- entry --------------------------------------------------------------------
def test_entry_is_prefilled(client, data):
    client.force_login(data.reporter_a)
    response = client.get(ENTRY, {"period": P})
    assert response.status_code == 200
    page = response.content.decode()
    assert "甲区" in page
    assert 'name="v_fai" id="id_v_fai"' in page and 'value="140.0"' in page
    assert 'value="12.50"' in page
    assert "保存并报送" in page


def test_entry_saves_through_the_service(client, data):
    client.force_login(data.reporter_a)
    response = client.post(entry_url(data.county_a), {
        "v_fai": "1,234.5", "v_fai_growth": "40.0", "v_revenue": "12.5", "v_pm10": "",
        "v_loans": "８８", "save": "1",
    })
    assert response.status_code == 302
    values = {v.indicator.code: v for v in Value.objects.filter(unit=data.county_a, period=P)
              .select_related("indicator")}
    assert values["fai"].value == D("1234.5")
    assert values["fai"].updated_by == data.reporter_a
    assert values["loans"].value == 88
    assert "pm10" not in values  # cleared
    assert not Submission.objects.filter(unit=data.county_a, period=P, state=State.SUBMITTED)


def test_entry_errors_are_chinese_per_field(client, data):
    client.force_login(data.reporter_a)
    response = client.post(entry_url(data.county_a), {"v_fai": "一百", "v_revenue": "3",
                                                      "save": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "“固定资产投资”填写的“一百”有误：不是有效的数字。" in page
    assert 'aria-invalid="true"' in page
    assert Value.objects.get(unit=data.county_a, period=P, indicator=data.revenue).value == D(
        "12.5")


def test_entry_submit(client, data):
    client.force_login(data.reporter_a)
    response = client.post(entry_url(data.county_a), {"v_fai": "150", "submit": "1"})
    assert response.status_code == 302
    submission = Submission.objects.get(unit=data.county_a, period=P)
    assert submission.state == State.SUBMITTED and submission.submitted_by == data.reporter_a
    assert "已报送" in client.get(response["Location"]).content.decode()


def test_entry_other_county_is_refused(client, data):
    client.force_login(data.reporter_b)
    assert client.get(entry_url(data.county_a)).status_code == 403
    response = client.post(entry_url(data.county_a), {"v_fai": "1", "save": "1"})
    assert response.status_code == 403
    assert Value.objects.get(unit=data.county_a, period=P, indicator=data.fai).value == 140


def test_entry_unknown_unit(client, data):
    client.force_login(data.office)
    assert client.get(ENTRY, {"period": P, "unit": "000000"}).status_code == 404


def test_entry_leader_reads_only(client, data):
    client.force_login(data.leader)
    page = client.get(entry_url(data.county_a)).content.decode()
    assert "readonly" in page and "保存并报送" not in page
    response = client.post(entry_url(data.county_a), {"v_fai": "1", "save": "1"})
    assert response.status_code == 403


def test_entry_leader_sees_a_read_only_notice_and_picks_units(client, data):
    submission = intake.get_or_open(data.county_a, P, "indicators")
    intake.submit(Scope.for_user(data.reporter_a), submission, data.reporter_a)
    intake.return_(Scope.for_user(data.office), submission, data.office, "增速不符")
    client.force_login(data.leader)
    page = client.get(ENTRY, {"period": P}).content.decode()
    assert "只读" in page and "本月数据已被退回。" in page and "增速不符" in page
    assert "请修改后重新报送" not in page and "保存" not in page
    assert '<select name="unit">' in page and "乙县" in page


def test_entry_after_unlock_says_unlocked(client, data):
    office = Scope.for_user(data.office)
    submission = intake.get_or_open(data.county_a, P, "indicators")
    intake.submit(Scope.for_user(data.reporter_a), submission, data.reporter_a)
    intake.approve(office, submission, data.office, "")
    intake.unlock(office, submission, data.office)
    client.force_login(data.reporter_a)
    page = client.get(ENTRY, {"period": P}).content.decode()
    assert "已由市级解锁" in page and "退回原因" not in page


def entry_months(client, period=P) -> list[str]:
    page = client.get(ENTRY, {"period": period}).content.decode()
    select = page[page.index('<select name="period">'):]
    return re.findall(r'<option value="(\d{4}-\d{2})"', select[:select.index("</select>")])


def test_entry_offers_months_up_to_the_latest_complete_one(client, data, monkeypatch):
    """Not the month under way, unless it already has a submission or values."""
    client.force_login(data.reporter_a)
    monkeypatch.setattr(periods.timezone, "localdate", lambda: dt.date(2019, 12, 20))
    assert entry_months(client)[:3] == ["2019-11", "2019-10", "2018-11"]
    monkeypatch.setattr(periods.timezone, "localdate", lambda: dt.date(2020, 2, 3))
    assert entry_months(client)[:3] == ["2020-01", "2019-12", "2019-11"]
    intake.get_or_open(data.county_b, "2020-02", "indicators")
    assert entry_months(client)[:2] == ["2020-02", "2020-01"]
    # A value for the month under way is refused (§3), so it can never add that month.
    with pytest.raises(ValidationError, match="2020年2月尚未结束"):
        upsert_values(Scope.operator(), [(data.fai, data.county_a, "2020-02", 1)])


def test_entry_office_picks_a_unit(client, data):
    client.force_login(data.office)
    page = client.get(ENTRY, {"period": P}).content.decode()
    assert '<select name="unit">' in page and "乙县" in page


def test_entry_locked_after_approval(client, data):
    office = Scope.for_user(data.office)
    submission = intake.get_or_open(data.county_a, P, "indicators")
    intake.submit(Scope.for_user(data.reporter_a), submission, data.reporter_a)
    intake.approve(office, submission, data.office, "")
    client.force_login(data.reporter_a)
    page = client.get(entry_url(data.county_a)).content.decode()
    assert "审核通过并锁定" in page and "保存并报送" not in page
    response = client.post(entry_url(data.county_a), {"v_fai": "1", "save": "1"})
    assert response.status_code == 302
    assert Value.objects.get(unit=data.county_a, period=P, indicator=data.fai).value == 140


def test_entry_post_query_count(client, data, django_assert_max_num_queries):
    """Saving the month is a constant number of queries, not a few per indicator (two of
    them check, under the writers' lock, the month's lock and what the user saw; on
    PostgreSQL three more take that lock: the save, the values entered, the one cleared)."""
    client.force_login(data.reporter_a)
    # and the months index (a recount and its upsert) after the upsert and the delete, and
    # the figures version once committed (jiangping.core.pagecache)
    with django_assert_max_num_queries(32):
        response = client.post(entry_url(data.county_a), {
            "v_fai": "150", "v_fai_growth": "41", "v_revenue": "13", "v_pm10": "",
            "v_loans": "88", "save": "1",
        })
    assert response.status_code == 302
    values = dict(Value.objects.filter(unit=data.county_a, period=P)
                  .values_list("indicator__code", "value"))
    assert values == {"fai": 150, "fai_growth": 41, "revenue": 13, "loans": 88}


def test_entry_too_large_names_the_field(client, data):
    client.force_login(data.reporter_a)
    response = client.post(entry_url(data.county_a), {"v_fai": "1" + "0" * 14, "save": "1"})
    assert response.status_code == 400
    # The refusal quotes the value once (it names the value itself).
    assert "“固定资产投资”：数值“100000000000000”超出范围：整数部分最多 13 位。" \
        in response.content.decode()
    huge = client.post(entry_url(data.county_a), {"v_fai": "9" * 5000, "save": "1"})
    assert "9" * 50 + "…（共5000字）" in huge.content.decode()
    # Whole only in the input that gives it back to the user, not in the message.
    assert huge.content.decode().count("9" * 5000) == 1


def test_entry_reads_numbers_as_the_importer_does(client, data):
    """A percentage only where the indicator's unit is %; more than 15 significant digits
    refused; everything else as a spreadsheet cell reads."""
    client.force_login(data.reporter_a)
    response = client.post(entry_url(data.county_a), {
        "v_fai": "12.3%", "v_pm10": "50%", "v_fai_growth": "8.5%", "v_revenue": "１２.５",
        "v_loans": "1234567890.1234567", "save": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "“固定资产投资”填写的“12.3%”有误：此处数值的计量单位是“亿元”，不能填百分数。" in page
    assert "“PM10浓度”填写的“50%”有误：此处数值的计量单位是“μg/m³”，不能填百分数。" in page
    assert "有效数字超过 15 位" in page
    assert Value.objects.get(unit=data.county_a, period=P, indicator=data.fai).value == 140
    response = client.post(entry_url(data.county_a), {
        "v_fai": "140", "v_fai_growth": "8.5%", "v_revenue": "１２.５", "save": "1"})
    assert response.status_code == 302
    values = dict(Value.objects.filter(unit=data.county_a, period=P)
                  .values_list("indicator__code", "value"))
    assert values["fai_growth"] == D("8.5") and values["revenue"] == D("12.5")


def test_entry_refused_by_the_service_keeps_the_message_per_field(data):
    from jiangping.indicators.forms import ValuesForm

    form = ValuesForm({"v_fai": "150", "v_revenue": ""}, indicators=[data.fai, data.revenue],
                      current={data.fai.pk: D("140"), data.revenue.pk: D("12.5")},
                      previous={}, editable=True)
    assert form.is_valid()
    submission = intake.get_or_open(data.county_a, P, "indicators")
    intake.submit(Scope.for_user(data.reporter_a), submission, data.reporter_a)
    intake.approve(Scope.for_user(data.office), submission, data.office, "")
    scope = Scope.for_user(data.office)
    assert form.save(scope, unit=data.county_a, period=P, user=data.office) is None
    assert "已审核锁定" in form.errors["v_fai"][0] and "已审核锁定" in form.errors["v_revenue"][0]
    assert Value.objects.get(unit=data.county_a, period=P, indicator=data.fai).value == 140
    assert Value.objects.filter(unit=data.county_a, period=P, indicator=data.revenue).exists()


def test_a_submitted_month_is_read_only_for_its_unit_but_not_for_the_city_office(client, cast):
    submission = intake.get_or_open(cast.county_a, "2026-10", "indicators", cast.reporter_a)
    intake.submit(Scope.for_user(cast.reporter_a), submission, cast.reporter_a)
    url = reverse("indicators:entry")
    client.force_login(cast.reporter_a)
    page = client.get(url, {"period": "2026-10"}).content.decode()
    assert "审核期间不能修改" in page
    response = client.post(f"{url}?period=2026-10&unit={cast.county_a.code}",
                           {f"v_{cast.fai.code}": "12.5"})
    assert response.status_code == 302
    assert not cast.fai.values.exists()

    office = Client()
    office.force_login(cast.office)
    page = office.get(url, {"period": "2026-10", "unit": cast.county_a.code}).content.decode()
    assert "审核期间不能修改" not in page
    assert f'name="v_{cast.fai.code}"' in page and "disabled" not in page.split(
        f'name="v_{cast.fai.code}"')[1].split(">")[0]
