"""Import forms of the tasks module: ``tasks`` (督办事项导入) and ``holidays`` (节假日安排).

One row per task, as the city office keeps its 督办台账 after a review meeting or a
document. The natural key is the task, its source and the source date, so importing
the ledger again updates the tasks rather than duplicating them; the writes go through
:func:`jiangping.tasks.services.upsert_tasks`.

``holidays`` is one year of the State Council's notice, one row per day (日期, 类型
放假/调休上班, 名称); importing it replaces that year's arrangement through
:func:`jiangping.tasks.holidays.replace_year`.
"""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jiangping.intake.normalize import CellError
from jiangping.intake.references import OrgUnits
from jiangping.intake.registry import Column, ColumnType, Form, max_length_of, register
from jiangping.intake.resolve import split_synonyms
from jiangping.orgs.models import OrgUnit
from jiangping.tasks import holidays, services
from jiangping.tasks.models import DayKind, Holiday, HolidayYear, SourceKind, Task

COLUMNS = (
    Column("title", "事项", synonyms=("督办事项", "事项名称", "工作任务", "任务"),
           help=_lazy("督办事项的内容"), max_length=max_length_of(Task, "title")),
    Column("source_title", "来源", synonyms=("来源名称", "会议名称", "文件名称", "事项来源"),
           help=_lazy("会议、讲话或文件的名称"), max_length=max_length_of(Task, "source_title")),
    Column("source_kind", "来源类型", ColumnType.CHOICE, required=False,
           choices=tuple((value, str(label)) for value, label in SourceKind.choices),
           help=_lazy("会议、讲话或文件；不填为会议")),
    Column("source_date", "来源日期", ColumnType.DATE,
           synonyms=("会议日期", "文件日期", "交办日期"),
           help=_lazy("如 2019-12-10、2019年12月10日")),
    Column("lead_unit", "牵头单位", ColumnType.REFERENCE, reference=OrgUnits(),
           synonyms=("牵头部门", "责任单位", "牵头"),
           help=_lazy("县（市、区）或市直部门的名称、简称或代码")),
    Column("co_units", "配合单位", required=False, synonyms=("配合部门", "协办单位", "配合"),
           help=_lazy("可填多个，以“、”“，”或“；”分隔")),
    Column("deadline", "完成时限", ColumnType.DATE, required=False,
           synonyms=("办结时限", "完成时间", "时限要求"),
           help=_lazy("完成日期；与“工作日”只填一项")),
    Column("deadline_workdays", "工作日", ColumnType.INT, required=False,
           synonyms=("工作日数", "时限工作日"),
           help=_lazy("自来源日期起 N 个工作日内完成（按法定节假日和调休计算）")),
    Column("target", "目标要求", required=False, synonyms=("目标", "工作要求", "工作目标"),
           help=_lazy("量化目标或完成标准")),
)
_CO = 5
_DEADLINE, _WORKDAYS = 6, 7


def _co_unit_ids(context, text: str | None) -> list[int]:
    """The ids of the co-units named in one cell; CellError naming the first bad name."""
    if not text:
        return []
    convert = context.lookups().converter(context.form.column("lead_unit"))
    ids = []
    for name in split_synonyms(text):
        found = convert(name)
        if found is not None:
            ids.append(found)
    return ids


def _check(context, records: list[tuple]) -> list[tuple[int, str, str]]:
    """Refuse unknown or out-of-scope co-units, a deadline given twice, a working-day
    deadline that cannot be computed, and a change to a task already closed out."""
    refusals = []
    sound = []
    for index, record in enumerate(records):
        failed = len(refusals)
        try:
            _co_unit_ids(context, record[_CO])
        except CellError as error:
            refusals.append((index, "co_units", error.message))
        workdays = record[_WORKDAYS]
        if workdays is not None:
            if record[_DEADLINE] is not None:
                refusals.append((index, "deadline_workdays",
                                 _("完成时限与工作日只能填写一项。")))
            elif workdays < 1:
                refusals.append((index, "deadline_workdays", _("工作日数应为正整数。")))
            else:
                try:
                    services.workday_deadline(record[3], workdays)
                except ValidationError as error:
                    refusals.extend((index, "deadline_workdays", m) for m in error.messages)
        if len(refusals) == failed and record[4] is not None:
            sound.append(index)
    drafts = _drafts(context, [records[index] for index in sound])
    refusals.extend((sound[position], "title", message)
                    for position, message in services.closed_updates(drafts).items())
    return refusals


def _drafts(context, records: list[tuple]) -> list[dict]:
    ids = {record[4] for record in records}
    co_ids = [_co_unit_ids(context, record[_CO]) for record in records]
    ids.update(pk for row in co_ids for pk in row)
    units = OrgUnit.objects.in_bulk(ids)
    return [
        {
            "title": title, "source_title": source_title,
            "source_kind": source_kind or SourceKind.MEETING, "source_date": source_date,
            "lead_unit": units[lead], "co_units": [units[pk] for pk in co],
            "deadline": deadline, "deadline_workdays": workdays, "target": target or "",
        }
        for (title, source_title, source_kind, source_date, lead, _co, deadline, workdays,
             target), co in zip(records, co_ids, strict=True)
    ]


def _apply(context, records: list[tuple]) -> tuple[int, int]:
    return services.upsert_tasks(context.scope, _drafts(context, records), user=context.user)


def _preview(context, records: list[tuple]) -> tuple[int, int]:
    """The dry run: what :func:`_apply` would count and refuse, reading only."""
    return services.preview_tasks(context.scope, _drafts(context, records))


def _stage(context, records: list[tuple]) -> None:
    """Check a batch as :func:`_apply` would and keep it for :func:`_merge` (a ledger is
    a few hundred tasks: kept in memory)."""
    _preview(context, records)
    context.cache.setdefault("tasks", []).extend(records)


@transaction.atomic
def _merge(context) -> tuple[int, int]:
    """Write every staged task in one transaction."""
    return _apply(context, context.cache.pop("tasks", []))


TASKS = register(Form(
    name="tasks",
    title=_lazy("督办事项"),
    description=_lazy("督办台账：会议、讲话或文件交办的事项，牵头和配合单位、完成时限与目标；"
                      "仅限市级管理员。"),
    columns=COLUMNS,
    key=("title", "source_title", "source_date"),
    apply=_apply,
    check=_check,
    preview=_preview,
    stage=_stage,
    merge=_merge,
    city_office_only=True,
    quirks=(
        _lazy("再次导入同一事项（事项、来源、来源日期相同）时更新该事项，不重复交办"),
        _lazy("配合单位可填多个，以“、”“，”“,”或“；”分隔；牵头单位不计入配合单位"),
        _lazy("完成时限填日期，或在“工作日”列填自来源日期起算的工作日数"),
    ),
    example_rows=(("加快推进重点项目建设", "全市经济运行讲评会", "讲话", "2019-12-10",
                   "甲区", "市发改委、乙县", "2019-12-31", "", "开工率达到90%"),),
))


HOLIDAY_COLUMNS = (
    Column("date", "日期", ColumnType.DATE, synonyms=("日", "放假日期", "调休日期"),
           help=_lazy("如 2027-02-05、2027年2月5日")),
    Column("kind", "类型", ColumnType.CHOICE, synonyms=("安排", "放假/上班"),
           choices=tuple((value, str(label)) for value, label in DayKind.choices),
           help=_lazy("放假，或调休上班（周末上班）")),
    Column("name", "名称", required=False, synonyms=("节日", "节日名称", "节假日"),
           help=_lazy("所属节日，如 春节、国庆节"), max_length=max_length_of(Holiday, "name")),
)


def _holiday_year(context, records: list[tuple]) -> int:
    """The year of the notice: the year of ``--period`` when given, else the year most
    of the dates fall in (the later one on a tie), fixed at the first batch."""
    if "holidays.year" not in context.cache:
        if context.period:
            year = int(context.period[:4])
        else:
            counts = Counter(day.year for day, _kind, _name in records)
            year = max(counts, key=lambda y: (counts[y], y)) if counts else 0
        context.cache["holidays.year"] = year
    return context.cache["holidays.year"]


def _check_holidays(context, records: list[tuple]) -> list[tuple[int, str, str]]:
    """A date outside the notice's year; a weekday marked 调休上班 (repeated dates are
    refused by the engine, as every repeated key)."""
    year = _holiday_year(context, records)
    return holidays.arrangement_refusals(year, records, repeated=False)


def _apply_holidays(context, records: list[tuple]) -> tuple[int, int]:
    """Replace the year's arrangement with every row read so far (a later batch adds
    its rows to the earlier ones): rows count as created for a year not yet known, as
    updated for a year replaced."""
    year = _holiday_year(context, records)
    if "holidays.rows" not in context.cache:
        context.cache["holidays.new"] = not HolidayYear.objects.filter(year=year).exists()
    rows = context.cache.setdefault("holidays.rows", [])
    rows.extend(records)
    holidays.replace_year(context.scope, year, rows, user=context.user)
    return (len(records), 0) if context.cache["holidays.new"] else (0, len(records))


HOLIDAYS = register(Form(
    name="holidays",
    title=_lazy("节假日安排"),
    description=_lazy("国务院办公厅公布的一年节假日安排：放假日期与调休上班日期；"
                      "导入后替换该年度的安排，并重算暂按双休日计算的完成时限；仅限市级管理员。"),
    columns=HOLIDAY_COLUMNS,
    key=("date",),
    apply=_apply_holidays,
    check=_check_holidays,
    city_office_only=True,
    quirks=(
        _lazy("一个文件为一年的安排；年度取 --period 的年份，未指定时取多数日期所在年份，"
              "其他年份的日期被拒绝"),
        _lazy("导入即整体替换该年度已有的安排（含内置日历的安排）"),
        _lazy("只有周六、周日可以标为调休上班；与周末连休的周末可标为放假，也可不填"),
    ),
    example_rows=(("2027-02-05", "放假", "春节"), ("2027-02-20", "调休上班", "春节")),
))
