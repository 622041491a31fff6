"""Fixtures of the reviews tests: a month of the fixed cast with targets, values and a
scheme in force."""

from decimal import Decimal as D

import pytest

from jiangping.indicators.services import set_value
from jiangping.indicators.targets import set_target
from jiangping.orgs.scope import Scope
from jiangping.reviews import services

PERIOD = "2026-06"

SCHEME = """\
name = "示例市月度考核方案"
year = 2026
version = "1"
total = 100

[[groups]]
name = "县市组"
kinds = ["county", "county_city", "district"]

[[groups]]
name = "功能区"
kinds = ["zone"]
overall = false

[[items]]
code = "fai"
name = "固定资产投资完成率"
metric = "completion.fai"
method = "step"
weight = 60
target = 50
params = { bonus = 0.1, bonus_cap = 2, deduction = 0.5 }

[[items]]
code = "revenue"
name = "一般公共预算收入"
metric = "value.revenue"
method = "ratio"
weight = 40
target = "target"

[lists]
red = { top = 1, require = "met:fai" }
black = { bottom = 1, require = "missed:fai" }
speakers = { bottom = 1 }
"""


def enter_month(cast) -> Scope:
    """June's targets and figures of the cast's county-level units, and the scheme in force;
    the city office's scope."""
    office = Scope.for_user(cast.office)
    figures = {cast.county_a: (60, 9), cast.county_b: (45, 10), cast.county_c: (30, 4),
               cast.zone: (50, 5)}
    for unit, (fai, revenue) in figures.items():
        set_target(office, indicator=cast.fai, unit=unit, year=2026, value=D(100))
        set_target(office, indicator=cast.revenue, unit=unit, year=2026, value=D(10))
        set_value(office, indicator=cast.fai, unit=unit, period=PERIOD, value=D(fai))
        set_value(office, indicator=cast.revenue, unit=unit, period=PERIOD, value=D(revenue))
    services.upload_scheme(office, SCHEME, cast.office)
    return office


@pytest.fixture
def month(cast):
    return enter_month(cast)
