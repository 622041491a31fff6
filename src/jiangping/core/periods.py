"""Which months (期间) the pages offer: the months that hold data, newest first."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from jiangping.indicators.formulas import format_period, previous_period
from jiangping.indicators.models import Source, Value


def data_periods(limit: int = 36) -> list[str]:
    """Months with reported values, newest first (at most ``limit``)."""
    return list(
        Value.objects.filter(source=Source.REPORTED)
        .order_by("-period")
        .values_list("period", flat=True)
        .distinct()[:limit]
    )


def default_period(periods: list[str] | None = None) -> str:
    """The month a page opens on: the latest with data, else last calendar month."""
    periods = data_periods(limit=1) if periods is None else periods
    if periods:
        return periods[0]
    today = timezone.localdate()
    return previous_period(format_period(today.year, today.month))


def period_label(period: str) -> str:
    """``2019-11`` → ``2019年11月`` as the pages show it."""
    return _("%(year)s年%(month)s月") % {"year": period[:4], "month": int(period[5:])}
