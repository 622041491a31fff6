"""October 2026 of the fixed cast, as the bulletin tests read it.

Cities: 示例市 reports 固定资产投资 600 of a 700 target (85.7%, 2.4 points ahead of the
schedule of 83.3%) growing 8.2% (2nd in the province, up from 3rd in September; the
province 6.1%), and 一般公共预算收入 50.00 against 52 a year ago (−3.8%; 样本市 +3.4%,
the province's sum −1.2%). Counties: 固定资产投资 90, 80, 70 of 100 each (甲区 ahead,
乙县 and 丙市 behind) and PM10 80, 60, 60 (乙县 and 丙市 tied first, lower is better).
"""

from decimal import Decimal as D

from jiangping.indicators.services import upsert_values
from jiangping.indicators.targets import upsert_targets
from jiangping.orgs.scope import Scope

PERIOD = "2026-10"


def enter_bulletin_month(cast) -> None:
    city, (sample, model), province = cast.city, cast.peers, cast.province
    a, b, c = cast.county_a, cast.county_b, cast.county_c
    growth, fai, revenue, pm10 = cast.fai_growth, cast.fai, cast.revenue, cast.pm10
    upsert_values(Scope.operator(), [
        (growth, city, PERIOD, D("8.2")), (growth, sample, PERIOD, D("9.0")),
        (growth, model, PERIOD, D("6.0")), (growth, province, PERIOD, D("6.1")),
        (growth, city, "2026-09", D("7.9")), (growth, sample, "2026-09", D("10.0")),
        (growth, model, "2026-09", D("9.5")), (growth, province, "2026-09", D("6.5")),
        (fai, city, PERIOD, 600),
        (revenue, city, PERIOD, 50), (revenue, city, "2025-10", 52),
        (revenue, sample, PERIOD, 30), (revenue, sample, "2025-10", 29),
        (fai, a, PERIOD, 90), (fai, b, PERIOD, 80), (fai, c, PERIOD, 70),
        (pm10, a, PERIOD, 80), (pm10, b, PERIOD, 60), (pm10, c, PERIOD, 60),
    ])
    upsert_targets(Scope.operator(), [
        (fai, city, 2026, 700), (fai, a, 2026, 100), (fai, b, 2026, 100), (fai, c, 2026, 100),
    ])
