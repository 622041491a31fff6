"""Import forms of the indicators module (指标数据导入): ``indicators``, ``targets``, ``peers``.

Declared as data for the intake engine; the writes go through
:mod:`jiangping.indicators.services`. Each form accepts the long layout (one value
per row) and the wide layout (units as rows, indicators as columns, the period from
``--period`` or the sheet title such as "2019年1-11月主要经济指标完成情况").
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jiangping.core.text import join_sentences
from jiangping.indicators import services, targets
from jiangping.indicators.models import Source
from jiangping.indicators.references import INDICATORS as INDICATOR_REFERENCE
from jiangping.intake.normalize import (
    CellError,
    is_dateline,
    months_without_year,
    period_above_header,
    sheet_period,
    year_in_title,
)
from jiangping.intake.references import OrgUnits
from jiangping.intake.registry import Column, ColumnType, Form, Pivot, register
from jiangping.orgs.models import Level

# The units that report the monthly values through a submission (填报).
REPORTING_LEVELS = (Level.COUNTY, Level.DEPARTMENT)


def _value_guard(context, unit) -> None:
    services.require_value_write(context.scope, unit, Source.REPORTED)


UNIT = Column(
    "unit", "单位", ColumnType.REFERENCE,
    reference=OrgUnits(guard=_value_guard, levels=REPORTING_LEVELS),
    synonyms=("单位名称", "县区", "县(市、区)", "县市区", "区县", "地区", "填报单位", "名称"),
    help=_lazy("县（市、区）、功能区或市直部门的名称、简称或代码"),
)
INDICATOR = Column(
    "indicator", "指标", ColumnType.REFERENCE, reference=INDICATOR_REFERENCE,
    synonyms=("指标名称", "指标项", "指标代码"),
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
    """The period of a sheet without a period column, from ``--period``, the title rows
    above the header (not a dateline such as 填报日期：2019年12月5日) and the sheet's name:
    any of them, and all that name one must agree, else the sheet is refused naming
    each (two different periods in the titles refuse it too)."""
    try:
        title = period_above_header(context.titles)
    except CellError as refusal:
        return {"period": refusal}
    sheet = sheet_period(context.sheet) if context.sheet else None
    agreed = _agreed("period", context.period, title, sheet, _("期间"))
    period = agreed.get("period")
    if isinstance(period, str):
        # A title or sheet name that names only a month (1-9月) must name this one.
        titles = [text for text in context.titles if not is_dateline(text)]
        title_month = next((m for m in map(months_without_year, titles) if m), [None])[0] \
            if title is None else None
        sheet_month = (months_without_year(context.sheet) or [None])[0] \
            if context.sheet and sheet is None else None
        month = int(period[5:])
        if any(named is not None and named != month for named in (title_month, sheet_month)):
            return _agreed("period", context.period,
                           title if title_month is None else f"{title_month}月",
                           sheet if sheet_month is None else f"{sheet_month}月", _("期间"))
    return agreed


def _year_default(context) -> dict:
    """The year of a sheet without a year column, from the year of ``--period``, the
    first title row above the header naming one (datelines left out) and the sheet's
    name: all that name one must agree, else the sheet is refused naming each."""
    titles = [title for title in context.titles if not is_dateline(title)]
    title = next((year for year in map(year_in_title, titles) if year), None)
    sheet = year_in_title(context.sheet) if context.sheet else None
    given = int(context.period[:4]) if context.period else None
    return _agreed("year", given, title, sheet, _("年度"))


def _agreed(key: str, given, title, sheet, what: str) -> dict:
    named = [value for value in (given, title, sheet) if value is not None]
    if not named:
        return {}
    if len(set(named)) > 1:
        parts = []
        if given is not None:
            parts.append(_("--period 为“%(value)s”") % {"value": given})
        if title is not None:
            parts.append(_("表头上方的标题为“%(value)s”") % {"value": title})
        if sheet is not None:
            parts.append(_("工作表名称为“%(value)s”") % {"value": sheet})
        return {key: CellError(
            _("%(what)s不一致：%(parts)s；请核对后改正，使其一致。") % {
                "what": what, "parts": "，".join(parts)})}
    return {key: named[0]}


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
    infos = context.lookups().infos("unit")
    locks = services.write_locks(
        context.scope, {r[0]: infos[r[0]] for r in records}, {r[2] for r in records})
    if not locks:
        return []
    return [
        (index, "unit", locks[record[0], record[2]])
        for index, record in enumerate(records)
        if (record[0], record[2]) in locks
    ]


def _value_rows(records: list[tuple]) -> list[tuple]:
    """Records (unit, indicator, period, value) as the actions take them."""
    return [(indicator, unit, period, value) for unit, indicator, period, value in records]


def _apply_values(context, records: list[tuple]) -> tuple[int, int]:
    return services.upsert_values(context.scope, _value_rows(records), user=context.user,
                                  source=Source.REPORTED)


def _preview_values(context, records: list[tuple]) -> tuple[int, int]:
    return services.preview_values(context.scope, _value_rows(records),
                                   source=Source.REPORTED)


def _stager(source: str):
    """The ``stage`` hook of a form of values of ``source``: each batch checked and
    staged after the ones before (:func:`services.stage_values`)."""

    def stage(context, records: list[tuple]) -> None:
        context.cache["staged"] = services.stage_values(
            context.scope, _value_rows(records), source=source,
            into=context.cache.get("staged"))

    return stage


def _merge_values(context) -> tuple[int, int]:
    staged = context.cache.pop("staged", None)
    if staged is None:
        return 0, 0
    return services.merge_values(context.scope, staged, user=context.user)


INDICATORS = register(Form(
    name="indicators",
    title=_lazy("指标数据"),
    description=_lazy("各单位的月度指标值（累计值、增速、余额、月度水平）。"),
    columns=(UNIT, INDICATOR, PERIOD, VALUE),
    key=("unit", "indicator", "period"),
    apply=_apply_values,
    preview=_preview_values,
    stage=_stager(Source.REPORTED),
    merge=_merge_values,
    pivot=Pivot(key="indicator", value="value"),
    defaults=_period_default,
    check=_value_checks,
    reported_by=REPORTING_LEVELS,
    quirks=(
        _lazy("宽表：每行一个单位、每列一个指标，期间取自 --period 或表格标题（如“2019年1-11月”）"),
        _lazy("两级表头：“固定资产投资”下分“累计”“增速”列，分别对应该指标及其增速指标"),
        _lazy("“全市”“本市”指本市；数值为空或“—”的单元格不导入"),
    ),
    example_rows=(("甲区", "固定资产投资", "2019-11", "123.4"),),
))


# --- targets ----------------------------------------------------------------------
def _target_guard(context, unit) -> None:
    targets.require_target_write(context.scope, unit)


TARGET_UNIT = Column(
    "unit", "单位", ColumnType.REFERENCE, reference=OrgUnits(guard=_target_guard),
    synonyms=UNIT.synonyms, help=UNIT.help,
)


def _apply_targets(context, records: list[tuple]) -> tuple[int, int]:
    return targets.upsert_targets(context.scope, _value_rows(records), user=context.user)


def _preview_targets(context, records: list[tuple]) -> tuple[int, int]:
    return targets.preview_targets(context.scope, _value_rows(records))


def _stage_targets(context, records: list[tuple]) -> None:
    """Targets are few (units × indicators × years): kept in memory for the merge."""
    context.cache.setdefault("targets", []).extend(records)


def _merge_targets(context) -> tuple[int, int]:
    return _apply_targets(context, context.cache.pop("targets", []))


TARGETS = register(Form(
    name="targets",
    title=_lazy("年度目标"),
    description=_lazy("各单位各指标的年度目标值（下达目标）；仅限市级管理员。"),
    columns=(
        TARGET_UNIT, INDICATOR,
        Column("year", "年度", ColumnType.YEAR, synonyms=("年份", "目标年度"),
               help=_lazy("如 2020")),
        Column("target", "目标值", ColumnType.DECIMAL, unit_of="indicator",
               blank_skips_row=True, synonyms=("年度目标", "全年目标", "目标任务", "目标数"),
               help=_lazy("按指标的计量单位填写；表头可注明单位并自动换算")),
    ),
    key=("unit", "indicator", "year"),
    apply=_apply_targets,
    preview=_preview_targets,
    stage=_stage_targets,
    merge=_merge_targets,
    pivot=Pivot(key="indicator", value="target"),
    defaults=_year_default,
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
    unit = context.lookups().infos("unit")[record[0]]
    if unit.is_home:
        return True
    if unit.level == Level.PROVINCE:
        allowed = context.cache.setdefault("province_allowed", {})
        if unit.id not in allowed:
            allowed[unit.id] = _may_write(context, unit)
        return not allowed[unit.id]
    return False


def _apply_peers(context, records: list[tuple]) -> tuple[int, int]:
    return services.upsert_values(context.scope, _value_rows(records), user=context.user,
                                  source=Source.PEER)


def _preview_peers(context, records: list[tuple]) -> tuple[int, int]:
    return services.preview_values(context.scope, _value_rows(records), source=Source.PEER)


PEERS = register(Form(
    name="peers",
    title=_lazy("全省通报数据"),
    description=_lazy("全省各市的指标值，来自省里的月度通报，用于全省排位；仅限市级管理员。"),
    columns=(
        Column("unit", "城市", ColumnType.REFERENCE,
               reference=OrgUnits(filter=_peer_units, guard=_peer_guard),
               synonyms=("单位", "地市", "市州", "设区市", "地区", "市", "单位名称"),
               help=_lazy("全省各市名称；“全省”行为全省合计或平均")),
        INDICATOR, PERIOD, VALUE,
    ),
    key=("unit", "indicator", "period"),
    apply=_apply_peers,
    preview=_preview_peers,
    stage=_stager(Source.PEER),
    merge=_merge_values,
    pivot=Pivot(key="indicator", value="value"),
    defaults=_period_default,
    check=lambda context, records: _unended(records),
    skip=_peer_skip,
    city_office_only=True,
    quirks=(
        _lazy("本市所在行按本市填报数据为准，导入时跳过"),
        _lazy("“全省”行存入省级单位（须有写入省级数据的权限，否则跳过）"),
        _lazy("宽表与两级表头同“indicators”"),
    ),
    example_rows=(("样本市", "固定资产投资", "2019-11", "1234.5"),),
))
