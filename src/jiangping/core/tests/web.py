"""Data for the page tests, set up through the real services."""

from decimal import Decimal as D

from jiangping.indicators.services import upsert_values
from jiangping.indicators.targets import upsert_targets
from jiangping.orgs.scope import Scope

P = "2019-11"


def month_data(cast):
    """Two months of values for 甲区, 乙县, 丙市 and the cities, with annual targets.

    甲区 is behind schedule on 固定资产投资 (77.8% of its target in November, the time
    schedule is 91.7%) and moved up from third to first place on its reported growth
    (11.1% in October, 40.0% in November).
    """
    a, b, c = cast.county_a, cast.county_b, cast.county_c
    fai, growth, revenue = cast.fai, cast.fai_growth, cast.revenue
    rows = [
        (fai, a, P, D("140.0")), (fai, b, P, 90), (fai, c, P, 100),
        (fai, a, "2019-10", 100), (fai, b, "2019-10", 95), (fai, c, "2019-10", 96),
        (fai, a, "2018-11", 100), (fai, b, "2018-11", 100), (fai, c, "2018-11", 80),
        (fai, a, "2018-10", 90), (fai, b, "2018-10", 80), (fai, c, "2018-10", 80),
        (growth, a, P, D("40.0")), (growth, b, P, D("-12.0")),
        (growth, a, "2019-10", D("11.1")), (growth, b, "2019-10", D("18.8")),
        (revenue, a, P, D("12.5")), (revenue, b, P, D("11.25")),
        (revenue, a, "2018-11", 10), (revenue, b, "2018-11", 10),
        (cast.pm10, a, P, 80), (cast.pm10, b, P, 60),
        (growth, cast.city, P, D("8.2")),
        (growth, cast.peers[0], P, D("6.0")), (growth, cast.peers[1], P, D("9.0")),
    ]
    upsert_values(Scope.operator(), rows)
    upsert_targets(Scope.operator(), [(fai, a, 2019, 180), (fai, b, 2019, 90),
                                      (fai, c, 2019, 100)])
    return cast
