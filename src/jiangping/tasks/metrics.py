"""Task metrics (督办考核口径), registered in :mod:`jiangping.indicators.metrics`.

Both are per lead unit and month, computed from dates (deadline, completion, creation)
so that a past month reads the same today as it did then, in one query for all units.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from jiangping.indicators import formulas
from jiangping.indicators.metrics import Metric, register


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the month ``YYYY-MM``."""
    year, month = formulas.parse_period(period)
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def overdue_counts(unit_ids: list[int], period: str) -> dict[int, Decimal | None]:
    """Tasks led by each unit that were overdue at the end of ``period``: assigned by then,
    due by then, and not reported done by then."""
    from jiangping.tasks.models import Task

    _first, last = period_bounds(period)
    rows = (
        Task.objects.filter(lead_unit__in=unit_ids, deadline__lte=last,
                            created_at__date__lte=last)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=last))
        .values("lead_unit").annotate(n=Count("pk")).values_list("lead_unit", "n")
    )
    found = dict(rows)
    return {unit_id: Decimal(found.get(unit_id, 0)) for unit_id in unit_ids}


def on_time_rates(unit_ids: list[int], period: str) -> dict[int, Decimal | None]:
    """Of the tasks led by each unit and due in ``period``, the share (%) reported done by
    their deadline; ``None`` for a unit with no task due in the month."""
    from jiangping.tasks.models import Task

    first, last = period_bounds(period)
    rows = (
        Task.objects.filter(lead_unit__in=unit_ids, deadline__range=(first, last))
        .values("lead_unit")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=Q(
            completed_on__isnull=False, completed_on__lte=F("deadline"))))
        .values_list("lead_unit", "due", "on_time")
    )
    return {unit_id: formulas.ratio_percent(on_time, due) for unit_id, due, on_time in rows}


OVERDUE = register(Metric(
    code="tasks.overdue",
    name=_("逾期督办事项数"),
    unit="项",
    direction="lower",
    formula=_("期末逾期事项数 = 牵头、期末前已到期且期末前未报完成的事项数"),
    description="Tasks led by the unit that are overdue at the end of the month: due on or "
                "before its last day and not reported done by then.",
    calculate=overdue_counts,
))

ON_TIME_RATE = register(Metric(
    code="tasks.on_time_rate",
    name=_("督办事项按期完成率"),
    unit="%",
    direction="higher",
    formula=_("按期完成率 = 本月到期事项中按期完成数 ÷ 本月到期事项数 × 100"),
    description="Of the tasks led by the unit whose deadline falls in the month, the share "
                "reported done on or before the deadline, in %; empty when none is due.",
    calculate=on_time_rates,
))
