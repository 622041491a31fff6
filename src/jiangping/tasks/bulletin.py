"""The bulletin's section on supervision tasks (督办事项落实情况).

What the month's bulletin says of the tasks, as of the last day of the month and computed
from dates (creation, deadline, completion, close-out) as the task metrics are
(:mod:`jiangping.tasks.metrics`), so a past month's section reads the same whenever it is
built: the year's tasks (those assigned by the end of the month and not done before the
year began, 上年结转 included), how many are done (办结) and closed out (销号), under way,
overdue; the month's new tasks, and of the tasks due in the month how many were done by
their deadline (按期完成率, the metric's definition). Overdue tasks are named by lead unit
and listed in a table, the longest overdue first and at most :data:`LISTED` of them.

Registered from :class:`jiangping.tasks.apps.TasksConfig` as section ``tasks`` (order 70).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q

from jiangping.bulletins.document import Paragraph, Section, Table
from jiangping.bulletins.sections import Context, Draft
from jiangping.core.numbers import format_number
from jiangping.core.phrasing import bounded_list
from jiangping.indicators.formulas import ratio_percent
from jiangping.tasks.metrics import period_bounds
from jiangping.tasks.services import tasks_for

KEY = "tasks"
ORDER = 70
LISTED = 10  # overdue tasks in the table
NAMED = 5  # lead units named in a sentence before 等


@dataclass(frozen=True)
class TaskFigures:
    """The task counts of a month (项), as of its last day.

    ``total``: the year's tasks (assigned by the end of the month, not done before the
    year began), of them ``carried`` assigned in an earlier year (上年结转); ``done``
    reported done by the end of the month (办结), ``closed`` of them closed out (销号);
    ``overdue`` due by the end of the month and not done (逾期未办结); ``assigned`` and
    ``done_in_month`` in the month; ``due`` the tasks whose deadline falls in the month
    and ``on_time`` those of them done by their deadline (the metric
    ``tasks.on_time_rate``)."""

    total: int
    carried: int
    done: int
    closed: int
    overdue: int
    assigned: int
    done_in_month: int
    due: int
    on_time: int

    @property
    def in_progress(self) -> int:
        """Neither done nor overdue (正在推进)."""
        return self.total - self.done - self.overdue

    @property
    def done_rate(self) -> Decimal | None:
        """办结率 in %; ``None`` without tasks."""
        return ratio_percent(self.done, self.total)

    @property
    def on_time_rate(self) -> Decimal | None:
        """按期完成率 in % of the tasks due in the month; ``None`` when none was due."""
        return ratio_percent(self.on_time, self.due)


def _bounds(period: str) -> tuple[dt.date, dt.date, dt.date]:
    first, last = period_bounds(period)
    return dt.date(first.year, 1, 1), first, last


def _of_the_year(period: str) -> Q:
    year_start, _first, last = _bounds(period)
    return Q(created_at__date__lte=last) & (
        Q(completed_on__isnull=True) | Q(completed_on__gte=year_start))


def _overdue(period: str) -> Q:
    """The metric ``tasks.overdue``'s tasks: due by the month's last day, not done by it."""
    _year_start, _first, last = _bounds(period)
    return Q(deadline__lte=last) & (Q(completed_on__isnull=True) | Q(completed_on__gt=last))


def month_figures(scope, period: str) -> TaskFigures:
    """The counts of the tasks ``scope`` sees for ``period`` (``YYYY-MM``), in one query.
    Raises ``ValueError`` for a malformed period."""
    year_start, first, last = _bounds(period)
    year = _of_the_year(period)
    # Due in the month and assigned by its end: a task entered later with a past
    # deadline does not change the month's rate once it is published.
    due = Q(deadline__range=(first, last), created_at__date__lte=last)
    counts = tasks_for(scope).aggregate(
        total=Count("pk", filter=year),
        carried=Count("pk", filter=year & Q(created_at__date__lt=year_start)),
        done=Count("pk", filter=year & Q(completed_on__lte=last)),
        closed=Count("pk", filter=year & Q(completed_on__lte=last, closed_at__date__lte=last)),
        overdue=Count("pk", filter=year & _overdue(period)),
        assigned=Count("pk", filter=year & Q(created_at__date__gte=first)),
        done_in_month=Count("pk", filter=year & Q(completed_on__range=(first, last))),
        due=Count("pk", filter=due),
        on_time=Count("pk", filter=due & Q(completed_on__lte=F("deadline"))),
    )
    return TaskFigures(**counts)


def overdue_by_unit(scope, period: str) -> list[tuple[str, int]]:
    """The overdue tasks per lead unit at the end of ``period``: ``[(unit's short name,
    n)]``, most first, then in the units' order; one query."""
    rows = (tasks_for(scope).filter(_of_the_year(period) & _overdue(period))
            .values("lead_unit", "lead_unit__short_name", "lead_unit__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "lead_unit__sort_order", "lead_unit__path"))
    return [(row["lead_unit__short_name"] or row["lead_unit__name"], row["n"]) for row in rows]


def overdue_tasks(scope, period: str, limit: int = LISTED) -> list:
    """The first ``limit`` overdue tasks at the end of ``period``, the earliest deadline
    first, with their lead unit; one query."""
    return list(tasks_for(scope).filter(_of_the_year(period) & _overdue(period))
                .order_by("deadline", "pk")[:limit])


def _day(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def _percent(rate: Decimal | None) -> str:
    return format_number(rate, 1) + "%"


def totals_sentence(figures: TaskFigures, month: int) -> str:
    """截至6月底，今年以来督办事项共42项（含上年结转5项），已办结30项（其中已销号26项），
    办结率71.4%；正在推进9项，逾期未办结3项。"""
    text = f"截至{month}月底，今年以来督办事项共{figures.total}项"
    if figures.carried:
        text += f"（含上年结转{figures.carried}项）"
    text += f"，已办结{figures.done}项"
    if figures.closed and figures.closed == figures.done:
        text += "（均已销号）"
    elif figures.closed:
        text += f"（其中已销号{figures.closed}项）"
    text += f"，办结率{_percent(figures.done_rate)}"
    rest = []
    if figures.in_progress:
        rest.append(f"正在推进{figures.in_progress}项")
    rest.append(f"逾期未办结{figures.overdue}项" if figures.overdue
                else "无逾期未办结事项")
    return text + "；" + "，".join(rest) + "。"


def month_sentence(figures: TaskFigures, month: int) -> str:
    """6月新交办5项，办结4项；6月到期事项8项，按期完成6项，按期完成率75.0%。"""
    text = (f"{month}月新交办{figures.assigned}项" if figures.assigned
            else f"{month}月无新交办事项")
    text += f"，办结{figures.done_in_month}项"
    if figures.due:
        text += (f"；{month}月到期事项{figures.due}项，按期完成{figures.on_time}项，"
                 f"按期完成率{_percent(figures.on_time_rate)}")
    else:
        text += f"；{month}月无到期事项"
    return text + "。"


def overdue_clause(overdue: int, by_unit: list[tuple[str, int]]) -> str:
    """逾期未办结事项3项，其中市发改委2项、甲区1项 (at most :data:`NAMED` units, then 等)."""
    entries = [f"{unit}{n}项" for unit, n in by_unit]
    return f"逾期未办结事项{overdue}项，其中{bounded_list(entries, NAMED)}"


def overdue_table(tasks: list, overdue: int, month: int) -> Table:
    """序号 | 督办事项 | 牵头单位 | 完成时限, with a note when the table shows only part."""
    rows = [[str(number), task.title, task.lead_unit.label, _day(task.deadline)]
            for number, task in enumerate(tasks, 1)]
    note = ""
    if overdue > len(tasks):
        note = f"注：共逾期未办结{overdue}项，表中列出完成时限最早的{len(tasks)}项。"
    return Table(
        caption=f"截至{month}月底逾期未办结的督办事项",
        header=["序号", "督办事项", "牵头单位", "完成时限"],
        rows=rows, align=["center", "left", "center", "center"], note=note,
    )


def build(context: Context) -> Draft | None:
    """The section ``tasks`` of ``context.period``'s bulletin; ``None`` when the year has
    no task by the end of the month. Problems and next steps when tasks are overdue or
    the month's due tasks were not all done on time."""
    figures = month_figures(context.scope, context.period)
    if not figures.total:
        return None
    month = int(context.period[5:7])
    blocks: list = [Paragraph(totals_sentence(figures, month)),
                    Paragraph(month_sentence(figures, month))]
    problems, actions = [], []
    shortfalls = []
    if figures.overdue:
        by_unit = overdue_by_unit(context.scope, context.period)
        clause = overdue_clause(figures.overdue, by_unit)
        blocks.append(Paragraph(clause + "。"))
        blocks.append(overdue_table(overdue_tasks(context.scope, context.period, LISTED),
                                    figures.overdue, month))
        shortfalls.append(clause)
        units = bounded_list([unit for unit, _n in by_unit], NAMED)
        actions.append(f"加快逾期督办事项办理，督促{units}限期办结")
    rate = figures.on_time_rate
    if rate is not None and rate < 100:
        shortfalls.append(f"{month}月到期事项按期完成率为{_percent(rate)}")
        if not figures.overdue:
            actions.append("严格落实督办事项办理时限，确保按期办结")
    if shortfalls:
        problems.append("部分督办事项落实不到位，" + "，".join(shortfalls))
    section = Section(KEY, "督办事项落实情况", blocks)
    return Draft(section, problems, actions)
