"""The demo indicator catalog (演示指标目录) and how each indicator behaves over time.

``base`` is the 2017 annual amount (flows), the December balance (stocks) or the
typical monthly level of an average county; cities and the province add their
counties up (``aggregate = "sum"``) or average them (``"mean"``).
"""

from __future__ import annotations

from dataclasses import dataclass

# Monthly shares of an annual flow, January to December (季节性).
SEASON_INVESTMENT = (2, 4, 7, 8, 9, 10, 9, 9, 10, 10, 10, 12)
SEASON_OUTPUT = (7, 6, 8, 8, 8, 9, 8, 8, 9, 9, 9, 11)
SEASON_REVENUE = (13, 6, 9, 9, 8, 9, 8, 7, 8, 8, 7, 8)
SEASON_RETAIL = (10, 9, 8, 8, 8, 8, 8, 8, 8, 9, 8, 8)
SEASON_EVEN = (8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 12)
SEASON_STARTS = (2, 3, 14, 14, 12, 10, 8, 8, 9, 8, 6, 6)
SEASON_LUMPY = (4, 6, 8, 8, 9, 10, 9, 9, 9, 9, 9, 10)
# Monthly factor of particulate matter: heating season high, summer low (北方城市).
SEASON_AIR = (1.40, 1.25, 1.05, 0.95, 0.90, 0.75, 0.65, 0.65, 0.75, 0.95, 1.15, 1.40)


@dataclass(frozen=True)
class Spec:
    """One demo indicator: catalog fields plus the shape of its synthetic series."""

    code: str
    name: str
    unit: str
    kind: str  # flow | growth | stock | level (indicators.models.Kind)
    shape: str  # flow | share | stock | pm | ratio | air_days | coverage | growth
    base: float = 0.0
    decimals: int = 1
    direction: str = "higher"
    synonyms: str = ""
    has_target: bool = False
    growth_of: str = ""  # growth: the flow whose cumulative figure it reports on
    part_of: str = ""  # share / ratio: the series it is a fraction of
    linked: bool = True  # growth: stored with growth_of, so it is checked against it
    deflator: float = 0.0  # growth: real growth below nominal, in percentage points
    comparable: bool = False  # growth: at comparable prices (可比价): paired with its flow
    # for ranking, never checked against the nominal growth computed from it
    season: tuple = SEASON_EVEN
    volatility: float = 0.10  # month-to-month noise of a flow's increment
    aggregate: str = "sum"  # sum | mean
    per_capita: bool = False  # does not scale with the unit's size
    stored: bool = True  # False: drives a reported growth but is never published


CATALOG: tuple[Spec, ...] = (
    Spec("gdp", "地区生产总值", "亿元", "flow", "flow", 180, 1, synonyms="GDP,生产总值",
         season=SEASON_OUTPUT, volatility=0.02),
    Spec("gdp_growth", "地区生产总值增速", "%", "growth", "growth", growth_of="gdp", linked=False,
         deflator=2.0, comparable=True, synonyms="GDP增速,经济增速"),
    Spec("fai", "固定资产投资", "亿元", "flow", "flow", 120, 1, has_target=True,
         synonyms="固投,全社会固定资产投资", season=SEASON_INVESTMENT, volatility=0.07),
    Spec("fai_growth", "固定资产投资增速", "%", "growth", "growth", growth_of="fai",
         synonyms="固投增速,固定资产投资同比增长"),
    Spec("ind_inv", "工业投资", "亿元", "flow", "flow", 45, 2, synonyms="工业固定资产投资",
         season=SEASON_INVESTMENT, volatility=0.1),
    Spec("ind_inv_growth", "工业投资增速", "%", "growth", "growth", growth_of="ind_inv",
         synonyms="工业投资同比增长"),
    Spec("key_project_inv", "重点项目完成投资", "亿元", "flow", "flow", 50, 2, has_target=True,
         synonyms="重点项目投资,重点项目累计完成投资", season=SEASON_INVESTMENT,
         volatility=0.08),
    Spec("ind_va", "规上工业增加值", "亿元", "flow", "flow", 60, 1, season=SEASON_OUTPUT,
         volatility=0.025, stored=False),
    Spec("ind_va_growth", "规上工业增加值增速", "%", "growth", "growth", growth_of="ind_va",
         linked=False, deflator=1.0, comparable=True,
         synonyms="规模以上工业增加值增速,工业增加值增速"),
    Spec("revenue", "一般公共预算收入", "亿元", "flow", "flow", 10, 2, has_target=True,
         synonyms="公共财政预算收入,地方一般公共预算收入", season=SEASON_REVENUE,
         volatility=0.07),
    Spec("revenue_growth", "一般公共预算收入增速", "%", "growth", "growth", growth_of="revenue",
         synonyms="一般公共预算收入同比增长"),
    Spec("tax_revenue", "税收收入", "亿元", "flow", "share", 0.75, 2, synonyms="税收",
         part_of="revenue"),
    Spec("retail", "社会消费品零售总额", "亿元", "flow", "flow", 70, 1, synonyms="社消零,社零额",
         season=SEASON_RETAIL, volatility=0.025),
    Spec("retail_growth", "社会消费品零售总额增速", "%", "growth", "growth", growth_of="retail",
         synonyms="社消零增速"),
    Spec("trade", "进出口总额", "亿元", "flow", "flow", 20, 2, synonyms="外贸进出口总额",
         season=SEASON_EVEN, volatility=0.1),
    Spec("fdi", "实际利用外资", "万美元", "flow", "flow", 3000, 0, synonyms="实际使用外资",
         season=SEASON_LUMPY, volatility=0.3),
    Spec("funds_in_place", "招商引资到位资金", "亿元", "flow", "flow", 60, 2, has_target=True,
         synonyms="到位资金,招商到位资金", season=SEASON_LUMPY, volatility=0.15),
    Spec("new_projects", "新开工项目数", "个", "flow", "flow", 40, 0, has_target=True,
         synonyms="新开工项目,开工项目数", season=SEASON_STARTS, volatility=0.25),
    Spec("new_jobs", "城镇新增就业人数", "人", "flow", "flow", 5000, 0, has_target=True,
         synonyms="城镇新增就业", season=SEASON_OUTPUT, volatility=0.1),
    Spec("income", "城乡居民人均可支配收入", "元", "flow", "flow", 22000, 0,
         synonyms="居民人均可支配收入", season=SEASON_EVEN, volatility=0.03,
         aggregate="mean", per_capita=True),
    Spec("deposits", "金融机构存款余额", "亿元", "stock", "stock", 300, 1,
         synonyms="金融机构各项存款余额,存款余额"),
    Spec("loans", "金融机构贷款余额", "亿元", "stock", "stock", 200, 1,
         synonyms="金融机构各项贷款余额,贷款余额"),
    Spec("pm10", "PM10浓度", "μg/m³", "level", "pm", 95, 0, direction="lower",
         synonyms="PM10,可吸入颗粒物浓度", aggregate="mean", per_capita=True),
    Spec("pm25", "PM2.5浓度", "μg/m³", "level", "ratio", 0.55, 0, direction="lower",
         synonyms="PM2.5,细颗粒物浓度", aggregate="mean", per_capita=True, part_of="pm10"),
    Spec("good_air_days", "空气优良天数比例", "%", "level", "air_days", 0, 1,
         synonyms="优良天数比例,空气质量优良天数比例", aggregate="mean", per_capita=True,
         part_of="pm10"),
    Spec("heating", "集中供热普及率", "%", "level", "coverage", 70, 1,
         synonyms="城市集中供热普及率", aggregate="mean", per_capita=True),
)

BY_CODE = {spec.code: spec for spec in CATALOG}
STORED = tuple(spec for spec in CATALOG if spec.stored)
