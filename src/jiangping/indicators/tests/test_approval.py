"""Figures not approved are marked 未审核 wherever shown; the city office and leaders may
show approved figures only (the leaders' default), ranked among themselves (§3)."""

import json
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from jiangping.core.tests.web import P, month_data
from jiangping.indicators.comparison import comparison_table
from jiangping.indicators.services import upsert_values
from jiangping.intake import services as intake
from jiangping.orgs.scope import Scope

COMPARE = reverse("indicators:compare")
ENTRY = reverse("indicators:entry")
QUEUE = reverse("intake:queue")


@pytest.fixture
def data(cast):
    """甲区 approved, 乙县 submitted, 丙市 a draft, 高新区 without a submission."""
    month_data(cast)
    office = Scope.for_user(cast.office)
    a = intake.get_or_open(cast.county_a, P, "indicators")
    intake.submit(office, a, cast.office)
    intake.approve(office, a, cast.office)
    intake.submit(office, intake.get_or_open(cast.county_b, P, "indicators"), cast.office)
    intake.get_or_open(cast.county_c, P, "indicators")
    return cast


def fai_ranks(table):
    return {row.unit.code: row.cells["fai"].rank for row in table.rows}


# --- the table ------------------------------------------------------------------------
def test_each_cell_says_whether_its_figure_is_approved(data):
    table = comparison_table(Scope.for_user(data.office), P)
    approved = {row.unit.code: row.cells["fai"].approved for row in table.rows}
    # 高新区 has no figure, so nothing to mark
    assert approved == {data.county_a.code: True, data.county_b.code: False,
                        data.county_c.code: False, data.zone.code: True}
    cities = comparison_table(Scope.for_user(data.office), P, tier="cities")
    assert all(row.cells["fai_growth"].approved for row in cities.rows)


def test_approving_a_county_approves_its_townships(data):
    upsert_values(Scope.operator(), [(data.fai, data.township_a, "2019-10", 5)])
    from jiangping.indicators.approval import status_map

    status = status_map([data.fai.pk], [data.township_a.pk], [P, "2019-10"])
    assert status == {(data.fai.pk, data.township_a.pk, "2019-10"): (D(5), False)}
    upsert_values(Scope.operator(), [(data.fai, data.village_a, "2019-10", 5)])
    a = intake.get_or_open(data.county_a, "2019-10", "indicators")
    intake.submit(Scope.operator(), a, data.office)
    intake.approve(Scope.operator(), a, data.office)
    status = status_map([data.fai.pk], [data.township_a.pk, data.village_a.pk], ["2019-10"])
    assert {key[1]: approved for key, (_v, approved) in status.items()} == {
        data.township_a.pk: True, data.village_a.pk: True}


def test_approved_only_ranks_the_shown_set(data):
    everything = comparison_table(Scope.for_user(data.office), P)
    # on growth: 甲区 40.0 and 乙县 -12.0 reported, 丙市 25.0 computed
    assert fai_ranks(everything) == {data.county_a.code: 1, data.county_b.code: 3,
                                     data.county_c.code: 2, data.zone.code: None}
    approved = comparison_table(Scope.for_user(data.office), P, approved_only=True)
    assert fai_ranks(approved) == {data.county_a.code: 1, data.county_b.code: None,
                                   data.county_c.code: None, data.zone.code: None}
    assert approved.cell(data.county_b, "fai").value is None
    assert approved.cell(data.county_a, "fai").value == D("140")
    # the summary is built on the shown set too: no figure of the city itself here
    assert approved.summary["fai"].value == D("140")
    assert approved.summary["fai"].source == "total"


def test_a_peer_county_sees_the_marker_but_not_the_figure(data):
    table = comparison_table(Scope.for_user(data.reporter_b), P)
    cell = table.cell(data.county_c, "fai")
    assert cell.hidden and cell.value is None and cell.approved is False and cell.rank == 2


# --- the page -------------------------------------------------------------------------
def overview_row(page, name):
    match = re.search(rf'<th class="sticky unit-cell"[^>]*>{name}(.*?)</tr>', page, re.S)
    assert match, name
    return match.group(1)


def test_office_sees_every_figure_marked(client, data):
    client.force_login(data.office)
    page = client.get(COMPARE, {"period": P}).content.decode()
    assert "含未审核数据" in page
    assert "未审核" in overview_row(page, "乙县") and "90.0" in overview_row(page, "乙县")
    assert 'class="unapproved-mark"' in overview_row(page, "乙县")
    assert "未审核" not in overview_row(page, "甲区")
    page = client.get(COMPARE, {"period": P, "show": "approved"}).content.decode()
    assert "仅已审核数据" in page and "90.0" not in overview_row(page, "乙县")
    assert "show=approved" in page  # the choice is kept in every link


def test_leaders_see_approved_figures_by_default_and_may_choose(client, data):
    client.force_login(data.leader)
    page = client.get(COMPARE, {"period": P}).content.decode()
    assert '<option value="approved" selected>' in page
    assert "90.0" not in overview_row(page, "乙县") and "140.0" in overview_row(page, "甲区")
    page = client.get(COMPARE, {"period": P, "show": "all"}).content.decode()
    assert "90.0" in overview_row(page, "乙县")


def test_a_county_sees_everything_marked_and_has_no_choice(client, data):
    client.force_login(data.reporter_a)
    page = client.get(COMPARE, {"period": P, "show": "approved"}).content.decode()
    assert 'name="show"' in page and '<option value="approved"' not in page
    assert "含未审核数据" in page


def test_the_chart_marks_unapproved_bars(client, data):
    client.force_login(data.office)
    page = client.get(COMPARE, {"period": P, "focus": "fai"}).content.decode()
    chart = json.loads(re.search(r'data-chart="([^"]*)"', page).group(1).replace("&quot;", '"'))
    bars = {bar["name"]: bar for bar in chart["bars"]}
    assert bars["乙县"]["unapproved"] and bars["乙县"]["label"].endswith("（未审核）")
    assert not bars["甲区"]["unapproved"]


def test_bad_choice_is_refused_in_chinese(client, data):
    client.force_login(data.office)
    response = client.get(COMPARE, {"period": P, "show": "draft"})
    assert response.status_code == 400 and "显示范围不正确" in response.content.decode()


def test_entry_marks_the_month_until_approved(client, data):
    client.force_login(data.reporter_b)
    page = client.get(ENTRY, {"period": P}).content.decode()
    assert "本月数据尚未审核通过" in page
    client.force_login(data.reporter_a)
    assert "本月数据尚未审核通过" not in client.get(ENTRY, {"period": P}).content.decode()
    client.force_login(data.reporter_b)
    response = client.get(ENTRY, {"period": P, "unit": data.county_a.code})
    assert response.status_code == 403


@pytest.mark.parametrize("show", [None, "approved"])
def test_compare_query_count_with_approval(client, data, show, django_assert_max_num_queries):
    client.force_login(data.leader)
    query = {"focus": "fai"} | ({"show": show} if show else {})
    # the month under review (none opened: the submissions' rule, over the last two years
    # then, finding none there, the rest; the figures' rule), the figures version (the
    # key of the cached table) and the months offered, then the table's constant handful
    with django_assert_max_num_queries(20):
        assert client.get(COMPARE, query).status_code == 200


# --- the API ----------------------------------------------------------------------------
@pytest.fixture
def api(client):
    from jiangping.orgs.services import create_api_token

    def login(user):
        token = create_api_token(user, "t")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return client
    return login


def test_api_values_say_whether_approved(api, data, django_assert_max_num_queries):
    client = api(data.office)
    with django_assert_max_num_queries(7):
        items = client.get("/api/indicators/values", {"period": P, "indicator": "fai"}).json()
    assert {i["unit"]: i["approved"] for i in items["items"]} == {
        data.county_a.code: True, data.county_b.code: False, data.county_c.code: False}
    answer = client.put(f"/api/indicators/values/revenue/{data.county_c.code}/{P}",
                        {"value": "1"}, content_type="application/json").json()
    assert answer["approved"] is False


def test_api_comparison_shows_approved_only_to_leaders_by_default(api, data):
    table = api(data.leader).get("/api/indicators/comparison", {"period": P}).json()
    assert table["approved_only"] is True
    cells = {row["unit"]: row["cells"]["fai"] for row in table["rows"]}
    assert cells[data.county_b.code]["value"] is None and cells[data.county_b.code]["rank"] is None
    table = api(data.office).get("/api/indicators/comparison", {"period": P}).json()
    cells = {row["unit"]: row["cells"]["fai"] for row in table["rows"]}
    assert table["approved_only"] is False and cells[data.county_b.code]["approved"] is False
    table = api(data.office).get("/api/indicators/comparison",
                                 {"period": P, "show": "approved"}).json()
    assert table["approved_only"] is True


def test_entry_query_count_with_approval_and_warnings(client, data,
                                                      django_assert_max_num_queries):
    client.force_login(data.reporter_b)
    with django_assert_max_num_queries(18):
        assert client.get(ENTRY, {"period": P}).status_code == 200
