"""The comparison table: hand-computed cells, visibility, constant query count."""

import json
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiangping.core import phrasing as ph
from jiangping.core.numbers import round_half_up
from jiangping.indicators.comparison import comparison_table
from jiangping.indicators.models import Target, Value
from jiangping.indicators.services import upsert_values
from jiangping.indicators.targets import upsert_targets
from jiangping.orgs.models import Level, OrgUnit
from jiangping.orgs.scope import Scope

P = "2019-11"


def r4(value):
    return round_half_up(value, 4)


@pytest.fixture
def data(cast):
    a, b, c = cast.county_a, cast.county_b, cast.county_c
    fai, growth = cast.fai, cast.fai_growth
    rows = [
        # 固定资产投资 累计: this month, last month, and a year earlier for both
        (fai, a, P, 110), (fai, b, P, 90), (fai, c, P, 100),
        (fai, a, "2019-10", 100), (fai, b, "2019-10", 85), (fai, c, "2019-10", 95),
        (fai, a, "2018-11", 100), (fai, b, "2018-11", 100), (fai, c, "2018-11", 80),
        (fai, a, "2018-10", 90), (fai, b, "2018-10", 85), (fai, c, "2018-10", 95),
        (fai, a, "2017-11", 80), (fai, b, "2017-11", 100),
        # reported growth (乙县's differs from the computed one by 2 points; 丙市 reports none)
        (growth, a, P, D("10.5")), (growth, b, P, D("-8.0")), (growth, a, "2019-10", D("11.0")),
        (cast.pm10, a, P, 80), (cast.pm10, b, P, 60), (cast.pm10, c, P, 60),
        (cast.pm10, a, "2019-10", 100),
        (cast.loans, a, P, 500), (cast.loans, a, "2018-12", 450), (cast.loans, a, "2018-11", 400),
        (growth, cast.city, P, D("8.2")),
        (growth, cast.peers[0], P, D("6.0")), (growth, cast.peers[1], P, D("9.0")),
    ]
    upsert_values(Scope.operator(), rows)
    upsert_targets(Scope.operator(), [(fai, a, 2019, 120), (fai, b, 2019, 100),
                                      (fai, c, 2019, 100)])
    return cast


def test_flow_cells(data):
    c = data
    table = comparison_table(Scope.for_user(c.office), P)
    assert [r.unit for r in table.rows] == [c.county_a, c.county_b, c.county_c, c.zone]
    a = table.cell(c.county_a, "fai")
    assert a.value == D(110) and a.month_value == D(10)
    assert a.growth == D("10.5") and a.computed_growth == D(10)
    assert not a.growth_flag  # 0.5 pp is within the tolerance
    assert a.pp_change == D("-0.5")
    assert r4(a.completion) == D("91.6667") and a.schedule_gap == 0 and not a.behind_schedule
    # ranked 1st in October on its reported 11.0; a year ago only on a computed growth
    assert (a.rank, a.rank_change, a.rank_change_year) == (2, -1, None)
    assert a.pp_yoy is None

    b = table.cell(c.county_b, "fai")
    assert b.growth == D("-8.0") and b.computed_growth == D(-10) and b.growth_flag
    # reported −8.0 now, nothing reported in October: no change against a computed growth
    assert b.pp_change is None and b.month_value == D(5)
    assert r4(b.schedule_gap) == D("-1.6667") and b.behind_schedule
    assert (b.rank, b.rank_change, b.rank_change_year) == (3, None, None)

    cc = table.cell(c.county_c, "fai")
    assert cc.growth == cc.computed_growth == D(25) and not cc.growth_flag
    assert cc.pp_change == D(25)  # computed both months: 25 − (95 / 95 − 1) × 100
    assert (cc.rank, cc.rank_change, cc.rank_change_year) == (1, 1, None)
    assert table.cell(c.zone, "fai").rank is None

    average = table.summary["fai"]
    assert average.total == D(300) and average.value == D(300) and average.average == D(100)
    assert average.growth == D("8.2")  # the city's own published growth
    assert r4(average.completion) == D("93.7500")  # 300 / 320
    assert a.vs_average == D("2.3")


def test_average_is_aggregated_without_the_citys_figure(data):
    Value.objects.filter(unit=data.city).delete()
    table = comparison_table(Scope.for_user(data.office), P, indicators=["fai"])
    assert r4(table.summary["fai"].growth) == D("7.1429")  # (300 / 280 − 1) × 100
    assert r4(table.cell(data.county_a, "fai").vs_average) == D("3.3571")


def test_growth_level_and_stock_cells(data):
    c = data
    table = comparison_table(Scope.for_user(c.office), P,
                             indicators=["fai_growth", "pm10", "loans"])
    assert [col.indicator.code for col in table.columns] == ["fai_growth", "pm10", "loans"]
    g = table.cell(c.county_b, "fai_growth")
    assert g.value == D("-8.0") and g.computed_growth == D(-10) and g.growth_flag
    assert table.cell(c.county_a, "fai_growth").pp_change == D("-0.5")
    assert table.summary["fai_growth"].basis == D("8.2")  # the city's own published growth
    assert table.cell(c.county_a, "fai_growth").vs_average == D("2.3")

    pm_a, pm_b, pm_c = (table.cell(u, "pm10") for u in (c.county_a, c.county_b, c.county_c))
    assert pm_a.mom == D(-20)
    assert (pm_b.rank, pm_c.rank, pm_a.rank) == (1, 1, 3)  # lower is better, ties share
    assert pm_b.tied and not pm_a.tied

    loans = table.cell(c.county_a, "loans")
    assert loans.since_jan == D(50) and loans.growth == D(25) and loans.rank == 1


def test_county_user_sees_other_counties_only_as_ranks(data):
    c = data
    table = comparison_table(Scope.for_user(c.reporter_b), P, indicators=["fai"])
    other = table.row(c.county_a)
    assert not other.visible
    cell = other.cells["fai"]
    assert cell.hidden and cell.value is None and cell.growth is None and cell.vs_average is None
    assert (cell.rank, cell.rank_change) == (2, -1)
    own = table.cell(c.county_b, "fai")
    assert own.value == D(90) and not own.hidden
    # the city's total is the city's figure, shown to every scope
    assert table.summary["fai"].value == comparison_table(
        Scope.for_user(c.leader), P, indicators=["fai"]).summary["fai"].value


def test_cities_tier(data):
    c = data
    table = comparison_table(Scope.for_user(c.reporter_a), P, indicators=["fai_growth"],
                             tier="cities")
    assert [r.unit for r in table.rows] == [c.city, *c.peers]
    ranks = [table.cell(u, "fai_growth").rank for u in (c.city, *c.peers)]
    assert ranks == [2, 3, 1]
    assert table.cell(c.peers[1], "fai_growth").value == D("9.0")
    assert table.parent == c.province
    assert r4(table.summary["fai_growth"].average) == D("7.7333")


def test_summary_completion_only_from_its_own_targets(data):
    c = data
    office = Scope.for_user(c.office)
    rows = [(c.fai, u, P, v) for u, v in ((c.city, 300), (c.peers[0], 200), (c.peers[1], 400))]
    rows += [(c.fai, u, "2018-11", 250) for u in (c.city, *c.peers)]
    upsert_values(Scope.operator(), rows)
    upsert_targets(Scope.operator(), [(c.fai, c.city, 2019, 400)])
    table = comparison_table(office, P, indicators=["fai"], tier="cities")
    assert table.cell(c.city, "fai").completion == D(75)
    summary = table.summary["fai"]
    assert summary.completion is None and summary.schedule_gap is None  # not the home city's

    upsert_targets(Scope.operator(), [(c.fai, c.province, 2019, 1200)])
    upsert_values(Scope.operator(), [(c.fai, c.province, P, 1080)])
    summary = comparison_table(office, P, indicators=["fai"], tier="cities").summary["fai"]
    assert summary.completion == D(90) and r4(summary.schedule_gap) == D("-1.6667")


def test_summary_completion_needs_every_counted_units_target(data):
    c = data
    office = Scope.for_user(c.office)
    assert r4(comparison_table(office, P, indicators=["fai"]).summary["fai"].completion) == D(
        "93.7500")  # 甲区, 乙县, 丙市 all have targets; the zone reports nothing
    upsert_values(Scope.operator(), [(c.fai, c.zone, P, 50)])
    assert comparison_table(office, P, indicators=["fai"]).summary["fai"].completion is None


def test_changes_compare_reported_with_reported_and_computed_with_computed(cast):
    a, b, c, fai, growth = cast.county_a, cast.county_b, cast.county_c, cast.fai, cast.fai_growth
    upsert_values(Scope.operator(), [
        # 甲区 reports 5 now; in October it reported nothing, its computed growth was 100
        (growth, a, P, 5), (fai, a, P, 100), (fai, a, "2018-11", 50),
        (fai, a, "2019-10", 90), (fai, a, "2018-10", 45),
        # 乙县 reports no growth: computed 20 now, 10 in October
        (fai, b, P, 120), (fai, b, "2018-11", 100), (fai, b, "2019-10", 110),
        (fai, b, "2018-10", 100),
        # 丙市 reports both months: 8 now, 6 in October
        (growth, c, P, 8), (growth, c, "2019-10", 6),
    ])
    table = comparison_table(Scope.operator(), P, indicators=["fai"])
    ja, yi, bing = (table.cell(u, "fai") for u in (a, b, c))
    assert (ja.growth, yi.growth, bing.growth) == (D(5), D(20), D(8))
    assert (yi.rank, bing.rank, ja.rank) == (1, 2, 3)
    # October's ranks: 甲区 1 (computed 100), 乙县 2 (computed 10), 丙市 3 (reported 6)
    assert ja.pp_change is None and ja.rank_change is None  # not "回落95个百分点, 后退2位"
    assert (yi.pp_change, yi.rank_change) == (D(10), 1)
    assert (bing.pp_change, bing.rank_change) == (D(2), 1)


def test_ranks_on_the_figures_as_published(cast):
    a, b, c = cast.county_a, cast.county_b, cast.county_c
    g, revenue, pm10 = cast.fai_growth, cast.revenue, cast.pm10
    upsert_values(Scope.operator(), [
        # all published with one decimal: 8.2, 8.2 and 8.3 (8.25 rounds half up)
        (g, a, P, D("8.2367")), (g, b, P, D("8.1633")), (g, c, P, D("8.25")),
        # no reported growth: computed 8.2367% and 8.1633%, ranked with one decimal
        (revenue, a, P, D("108.2367")), (revenue, a, "2018-11", 100),
        (revenue, b, P, D("108.1633")), (revenue, b, "2018-11", 100),
        # decimals 0, lower is better: 60 and 60
        (pm10, a, P, D("60.4")), (pm10, b, P, D("59.6")),
    ])
    table = comparison_table(Scope.operator(), P, indicators=["fai", "fai_growth", "revenue",
                                                              "pm10"])
    growth = [table.cell(u, "fai_growth") for u in (a, b, c)]
    assert [(x.rank, x.tied) for x in growth] == [(2, True), (2, True), (1, False)]
    fai = [table.cell(u, "fai") for u in (a, b, c)]  # on the reported growth of fai_growth
    assert [(x.rank, x.tied) for x in fai] == [(2, True), (2, True), (1, False)]
    revenue_cells = [table.cell(u, "revenue") for u in (a, b)]
    assert [(x.rank, x.tied) for x in revenue_cells] == [(1, True), (1, True)]
    assert table.cell(a, "revenue").growth == D("8.2367")  # the figure itself is kept
    assert [table.cell(u, "pm10").rank for u in (a, b)] == [1, 1]
    assert ph.rank_phrase(growth[0].rank, growth[0].tied) == "并列第2位"


def test_cities_tier_shows_every_city_to_every_scope(data):
    """City-level figures are the provincial bulletin's: a county sees our city's too."""
    c = data
    county = comparison_table(Scope.for_user(c.reporter_b), P, indicators=["fai_growth"],
                              tier="cities")
    for city, value in zip((c.city, *c.peers), (D("8.2"), D("6.0"), D("9.0")), strict=True):
        assert county.row(city).visible and county.cell(city, "fai_growth").value == value
    assert county.cell(c.city, "fai_growth").rank == 2
    assert county.as_dict()["rows"][0]["cells"]["fai_growth"]["value"] == "8.2"


def test_summary_completion_needs_every_counted_units_own_completion(data):
    c = data
    office = Scope.for_user(c.office)
    # targets stored before non-positive targets were refused
    Target.objects.filter(unit=c.county_a).update(value=0)
    Target.objects.filter(unit=c.county_c).update(value=-50)
    table = comparison_table(office, P, indicators=["fai"])
    assert table.cell(c.county_a, "fai").completion is None
    assert table.cell(c.county_c, "fai").completion is None
    assert table.cell(c.county_b, "fai").completion == D(90)  # 90 / 100
    summary = table.summary["fai"]
    assert summary.completion is None and summary.schedule_gap is None  # not 300 / 50


def test_as_dict_is_json(data):
    data_dict = comparison_table(Scope.for_user(data.office), P).as_dict()
    text = json.dumps(data_dict, ensure_ascii=False)
    assert '"growth": "10.5"' in text
    row = data_dict["rows"][0]
    assert row["unit"] == "990102"
    assert row["cells"]["fai"]["completion"] == "91.6667"
    assert data_dict["summary"]["cells"]["fai"]["total"] == "300"


def test_refuses_bad_input(cast):
    office = Scope.for_user(cast.office)
    with pytest.raises(ValidationError):
        comparison_table(office, "2019-13")
    with pytest.raises(ValidationError):
        comparison_table(office, P, tier="villages")
    with pytest.raises(ValidationError):
        comparison_table(office, P, indicators=["nope"])


def _more_counties(cast, n):
    start = OrgUnit.objects.filter(level=Level.COUNTY).count()
    rows = []
    for i in range(start, start + n):
        unit = OrgUnit.objects.create(code=f"99019{i:03d}", name=f"县{i}", level=Level.COUNTY,
                                      parent=cast.city, sort_order=100 + i)
        for ind in (cast.fai, cast.fai_growth, cast.pm10, cast.loans, cast.revenue):
            for period in (P, "2019-10", "2018-11", "2018-12"):
                rows.append((ind, unit, period, D(i + 1)))
    upsert_values(Scope.operator(), rows)
    upsert_targets(Scope.operator(), [(cast.fai, r[1], 2019, 1000) for r in rows[::20]])


def test_query_count_does_not_grow_with_units(cast):
    office = Scope.for_user(cast.office)
    _more_counties(cast, 3)
    with CaptureQueriesContext(connection) as few:
        comparison_table(office, P)
    _more_counties(cast, 40)
    with CaptureQueriesContext(connection) as many:
        table = comparison_table(office, P)
    assert len(table.rows) == 4 + 43
    assert len(many) == len(few) <= 6
