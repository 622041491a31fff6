"""Import forms of the indicators module (指标数据导入): ``indicators``, ``targets``, ``peers``.

Declared as data for the intake engine; the writes go through
:mod:`jiangping.indicators.services`. Each form accepts the long layout (one value
per row) and the wide layout (units as rows, indicators as columns, the period from
``--period`` or the sheet title such as "2019年1-11月主要经济指标完成情况").
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _lazy

from jiangping.core.text import join_sentences
from jiangping.indicators import services
from jiangping.indicators.models import Source
from jiangping.intake.normalize import (
    CellError,
    is_dateline,
    period_above_header,
    period_in_title,
    year_in_title,
)
from jiangping.intake.registry import Column, ColumnType, Form, Pivot, register
from jiangping.orgs.models import Level

UNIT = Column(
    "unit", "单位", ColumnType.UNIT,
    synonyms=("单位名称", "县区", "县(市、区)", "县市区", "区县", "地区", "填报单位", "名称"),
    help=_lazy("县（市、区）、功能区或市直部门的名称、简称或代码"),
)
INDICATOR = Column(
    "indicator", "指标", ColumnType.INDICATOR, synonyms=("指标名称", "指标项", "指标代码"),
    help=_lazy("指标名称、别名或代码"),
)
PERIOD = Column(
    "period", "期间", ColumnType.PERIOD,
    synonyms=("月份", "年月", "报告期", "统计期", "时期", "期别"),
    help=_lazy("如 2019-11、2019年11月、201911；累计值填截至当月"),
)
VALUE = Column(
    "value", "数值", ColumnType.DECIMAL, unit_of="indicator", blank_skips_row=True,
    synonyms=("数据", "值", "指标值", "本期值", "累计值", "完成值", "完成数"),
    help=_lazy("按指标的计量单位填写；表头可注明单位，如“数值（万元）”，自动换算"),
)


def _period_default(context) -> dict:
    """The period of a sheet without a period column: ``--period``, else the one named by
    the title rows above the header (not by a dateline such as 填报日期：2019年12月5日;
    two different ones refuse the sheet), else the sheet's name."""
    period = context.period
    if period is None:
        try:
            period = period_above_header(context.titles)
        except CellError as refusal:
            return {"period": refusal}
    if period is None and context.sheet:
        period = period_in_title(context.sheet)
    return {"period": period} if period else {}


def _year_default(context) -> dict:
    """The year of a sheet without a year column: that of ``--period``, else the first
    one named by a title row above the header (datelines left out) or the sheet's name."""
    if context.period:
        return {"year": int(context.period[:4])}
    titles = [title for title in context.titles if not is_dateline(title)]
    for title in [*titles, context.sheet or ""]:
        year = year_in_title(title)
        if year:
            return {"year": year}
    return {}


def _value_guard(context, unit) -> None:
    services.require_value_write(context.scope, unit, Source.REPORTED)


def _unended(records: list[tuple]) -> list[tuple[int, str, str]]:
    """Refuse values of a month that has not ended, at the dry run, naming the row
    (the rule of :func:`services.validate_written_period`)."""
    refused: dict[str, str | None] = {}
    for period in {record[2] for record in records}:
        try:
            services.validate_written_period(period)
        except ValidationError as error:
            refused[period] = join_sentences(error.messages)
    return [(index, "period", refused[record[2]]) for index, record in enumerate(records)
            if refused.get(record[2])]


def _value_checks(context, records: list[tuple]) -> list[tuple[int, str, str]]:
    """A month not ended, then a unit and month locked."""
    unended = _unended(records)
    if unended:
        return unended
    return _locked(context, records)


def _locked(context, records: list[tuple]) -> list[tuple[int, str, str]]:
    """Refuse values of a unit and period that are locked for the importing scope: the
    submission (of the unit or a unit above it) is approved, or submitted and under
    review (services.write_locks)."""
    infos = context.lookups().units()[1]
    locks = services.write_locks(
        context.scope, {r[0]: infos[r[0]] for r in records}, {r[2] for r in records})
    if not locks:
        return []
    return [
        (index, "unit", locks[record[0], record[2]])
        for index, record in enumerate(records)
        if (record[0], record[2]) in locks
    ]


def _apply_values(context, records: list[tuple]) -> tuple[int, int]:
    rows = [(r[1], r[0], r[2], r[3]) for r in records]
    return services.upsert_values(context.scope, rows, user=context.user,
                                  source=Source.REPORTED)


INDICATORS = register(Form(
    name="indicators",
    title=_lazy("指标数据"),
    description=_lazy("各单位的月度指标值（累计值、增速、余额、月度水平）。"),
    columns=(UNIT, INDICATOR, PERIOD, VALUE),
    key=("unit", "indicator", "period"),
    apply=_apply_values,
    pivot=Pivot(key="indicator", value="value"),
    defaults=_period_default,
    check=_value_checks,
    unit_guard=_value_guard,
    quirks=(
        _lazy("宽表：每行一个单位、每列一个指标，期间取自 --period 或表格标题（如“2019年1-11月”）"),
        _lazy("两级表头：“固定资产投资”下分“累计”“增速”列，分别对应该指标及其增速指标"),
        _lazy("“全市”“本市”指本市；数值为空或“—”的单元格不导入"),
    ),
    example_rows=(("甲区", "固定资产投资", "2019-11", "123.4"),),
))


# --- targets ----------------------------------------------------------------------
def _target_guard(context, unit) -> None:
    services.require_target_write(context.scope, unit)


def _apply_targets(context, records: list[tuple]) -> tuple[int, int]:
    rows = [(r[1], r[0], r[2], r[3]) for r in records]
    return services.upsert_targets(context.scope, rows, user=context.user)


TARGETS = register(Form(
    name="targets",
    title=_lazy("年度目标"),
    description=_lazy("各单位各指标的年度目标值（下达目标）；仅限市级管理员。"),
    columns=(
        UNIT, INDICATOR,
        Column("year", "年度", ColumnType.YEAR, synonyms=("年份", "目标年度"),
               help=_lazy("如 2020")),
        Column("target", "目标值", ColumnType.DECIMAL, unit_of="indicator",
               blank_skips_row=True, synonyms=("年度目标", "全年目标", "目标任务", "目标数"),
               help=_lazy("按指标的计量单位填写；表头可注明单位并自动换算")),
    ),
    key=("unit", "indicator", "year"),
    apply=_apply_targets,
    pivot=Pivot(key="indicator", value="target"),
    defaults=_year_default,
    unit_guard=_target_guard,
    city_office_only=True,
    quirks=(
        _lazy("宽表：每行一个单位、每列一个指标，"
              "年度取自 --period 的年份或表格标题（如“2020年目标任务”）"),
    ),
    example_rows=(("甲区", "固定资产投资", "2020", "500"),),
))


# --- peers --------------------------------------------------------------------------
def _peer_units(queryset):
    return queryset.filter(level__in=(Level.PROVINCE, Level.CITY))


def _may_write(context, unit) -> bool:
    try:
        services.require_value_write(context.scope, unit, Source.PEER)
    except PermissionDenied:
        return False
    return True


def _peer_guard(context, unit) -> None:
    if unit.is_home or unit.level == Level.PROVINCE:
        return  # the table's reference rows: see _peer_skip
    services.require_value_write(context.scope, unit, Source.PEER)


def _peer_skip(context, record: tuple) -> bool:
    """Our own city's row (reported by us, not taken from the bulletin) is passed over;
    the province row (全省) is stored where the importing account may write it."""
    unit = context.lookups().units()[1][record[0]]
    if unit.is_home:
        return True
    if unit.level == Level.PROVINCE:
        allowed = context.cache.setdefault("province_allowed", {})
        if unit.id not in allowed:
            allowed[unit.id] = _may_write(context, unit)
        return not allowed[unit.id]
    return False


def _apply_peers(context, records: list[tuple]) -> tuple[int, int]:
    rows = [(r[1], r[0], r[2], r[3]) for r in records]
    return services.upsert_values(context.scope, rows, user=context.user, source=Source.PEER)


PEERS = register(Form(
    name="peers",
    title=_lazy("全省通报数据"),
    description=_lazy("全省各市的指标值，来自省里的月度通报，用于全省排位；仅限市级管理员。"),
    columns=(
        Column("unit", "城市", ColumnType.UNIT,
               synonyms=("单位", "地市", "市州", "设区市", "地区", "市", "单位名称"),
               help=_lazy("全省各市名称；“全省”行为全省合计或平均")),
        INDICATOR, PERIOD, VALUE,
    ),
    key=("unit", "indicator", "period"),
    apply=_apply_peers,
    pivot=Pivot(key="indicator", value="value"),
    defaults=_period_default,
    check=lambda context, records: _unended(records),
    unit_filter=_peer_units,
    unit_guard=_peer_guard,
    skip=_peer_skip,
    city_office_only=True,
    quirks=(
        _lazy("本市所在行按本市填报数据为准，导入时跳过"),
        _lazy("“全省”行存入省级单位（须有写入省级数据的权限，否则跳过）"),
        _lazy("宽表与两级表头同“indicators”"),
    ),
    example_rows=(("样本市", "固定资产投资", "2019-11", "1234.5"),),
))
