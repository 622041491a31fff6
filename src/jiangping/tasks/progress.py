"""What a task's progress (完成进度) is, from its reports (进展报送).

The lead unit (牵头单位) answers for the task: its latest report with a percentage is
the task's progress. Each co-unit's (配合单位) latest report is shown beside it and never
sets it. A status and its progress never disagree: a task reported done (已完成) or
closed out (已销号) is at 100%; a task still open (未启动/推进中/逾期) is at most 99%, since
only the close-out says it is done. A close-out sent back (退回销号申请) makes the task
under way again, so it shows the lead unit's latest report again, at most 99%, until the
lead unit reports anew.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from jiangping.orgs.models import OrgUnit
from jiangping.tasks.models import Status, Task, TaskProgress

DONE_PERCENT = 100
OPEN_CEILING = 99


def shown_percent(status: str, lead_percent: int | None) -> int | None:
    """The task's progress in % for its ``status`` and the lead unit's latest reported
    percentage (None: no report with one): 100 when done or closed out; else the lead's
    report, capped at ``OPEN_CEILING``; None when there is none."""
    if status in (Status.DONE, Status.CLOSED):
        return DONE_PERCENT
    if lead_percent is None:
        return None
    return min(lead_percent, OPEN_CEILING)


@dataclass(frozen=True)
class UnitPercent:
    """A co-unit's latest reported percentage."""

    unit: OrgUnit
    percent: int


def reports_prefetch() -> Prefetch:
    """The reports with a percentage of each task, oldest first, as ``task.reports``
    (one query for a whole list of tasks)."""
    return Prefetch("progress", to_attr="reports", queryset=TaskProgress.objects
                    .filter(percent__isnull=False).select_related("unit").order_by("at", "pk"))


def _latest(task: Task) -> dict[int, TaskProgress]:
    reports = getattr(task, "reports", None)
    if reports is None:
        reports = list(task.progress.filter(percent__isnull=False).select_related("unit")
                       .order_by("at", "pk"))
    latest: dict[int, TaskProgress] = {}
    for report in reports:
        latest[report.unit_id] = report
    return latest


def attach(task: Task) -> Task:
    """Set ``task.percent`` (the task's progress, :func:`shown_percent`), and
    ``task.co_percents`` (each co-unit's latest :class:`UnitPercent`, in the order of the
    co-units' reports). Uses ``task.reports`` (:func:`reports_prefetch`) when present."""
    latest = _latest(task)
    lead = latest.pop(task.lead_unit_id, None)
    task.lead_percent = lead.percent if lead else None
    task.percent = shown_percent(task.status, task.lead_percent)
    task.co_percents = [UnitPercent(report.unit, report.percent)
                        for report in sorted(latest.values(), key=lambda r: (r.at, r.pk))]
    return task
