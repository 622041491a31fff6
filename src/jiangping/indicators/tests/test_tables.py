"""How the comparison table's cells read: one sign convention, colours by direction."""

from decimal import Decimal as D

import pytest

from jiangping.indicators import tables
from jiangping.indicators.comparison import Cell, Column, ComparisonTable, Row
from jiangping.indicators.models import Direction, Indicator, Kind
from jiangping.orgs.models import OrgUnit


def pm25_table(direction: str) -> ComparisonTable:
    """One city's PM2.5 (越低越好 as catalogued): up 35.3% on the month, down 8.0% on
    the year, 9 below the average."""
    indicator = Indicator(code="pm25", name="PM2.5浓度", unit="μg/m³", kind=Kind.LEVEL,
                          direction=direction, decimals=0)
    cell = Cell(value=D(23), mom=D("35.3"), growth=D("-8.04"), vs_average=D(-9), rank=1,
                rank_change=2, rank_change_year=-1)
    unit = OrgUnit(pk=1, name="甲市", short_name="甲市")
    return ComparisonTable("2026-10", "cities", [Column(indicator, "value")],
                           [Row(unit, {"pm25": cell})], None, None)


def detail_cells(table: ComparisonTable) -> dict:
    detail = tables.detail(table, "pm25", None)
    return dict(zip(detail["heads"], detail["lines"][0].cells, strict=True))


def test_lower_better_fall_is_good_and_rise_is_bad():
    cells = detail_cells(pm25_table(Direction.LOWER))
    assert (cells["同比%"].text, cells["同比%"].cls) == ("-8.0", "num good")
    assert (cells["环比%"].text, cells["环比%"].cls) == ("+35.3", "num bad")
    assert (cells["与平均比较"].text, cells["与平均比较"].cls) == ("-9", "num good")
    # rank moves are moves in the ranking, already ordered by direction
    assert cells["较上年同期位次"].cls == "num down"


def test_higher_better_keeps_rise_good():
    cells = detail_cells(pm25_table(Direction.HIGHER))
    assert cells["同比%"].cls == "num bad" and cells["环比%"].cls == "num good"
    assert cells["与平均比较"].cls == "num bad"


@pytest.mark.parametrize(("direction", "cls"), [(Direction.LOWER, "num good"),
                                                (Direction.HIGHER, "num bad")])
def test_overview_colours_by_direction(direction, cls):
    value, growth, _rank = tables.overview(pm25_table(direction), None, None)["lines"][0].cells
    assert value.text == "23" and (growth.text, growth.cls) == ("-8.0", cls)


def test_every_change_is_signed():
    table = pm25_table(Direction.HIGHER)
    cell = table.rows[0].cells["pm25"]
    cell.growth, cell.mom, cell.vs_average = D("3.04"), D("-0.04"), D(0)
    cells = detail_cells(table)
    assert cells["同比%"].text == "+3.0"
    assert (cells["环比%"].text, cells["环比%"].cls) == ("0.0", "num flat")  # rounds to zero
    assert cells["与平均比较"].text == "0"
