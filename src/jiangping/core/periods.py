"""Which months (期间) the pages offer: the months that hold data, newest first; data entry
also the months being reported (:func:`reporting_periods`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jiangping.indicators.formulas import format_period, previous_period
from jiangping.indicators.models import Source, Value


def data_periods(limit: int | None = None) -> list[str]:
    """Months with reported values, newest first (all of them, or the ``limit`` newest)."""
    periods = (
        Value.objects.filter(source=Source.REPORTED)
        .order_by("-period")
        .values_list("period", flat=True)
        .distinct()
    )
    return list(periods if limit is None else periods[:limit])


def by_year(periods: list[str]) -> list[tuple[str, list[str]]]:
    """Months grouped by their year, in the order given: ``[("2026", ["2026-10", …]), …]``."""
    groups: list[tuple[str, list[str]]] = []
    for period in periods:
        if not groups or groups[-1][0] != period[:4]:
            groups.append((period[:4], []))
        groups[-1][1].append(period)
    return groups


def latest_complete_period(today: date | None = None) -> str:
    """The last month that has ended (2026-11-27 → ``2026-10``): the newest month a unit
    reports, the current one being still under way."""
    today = today or timezone.localdate()
    return previous_period(format_period(today.year, today.month))


def default_period(periods: list[str] | None = None) -> str:
    """The month a page opens on: the latest with data, else last calendar month."""
    periods = data_periods(limit=1) if periods is None else periods
    if periods:
        return periods[0]
    return latest_complete_period()


REPORTING_GAP_MONTHS = 12


def reporting_periods(*also: Iterable[str]) -> list[str]:
    """The months data entry offers (填报月份), newest first: every month with data, the
    months after the newest of them up to the latest complete month (at most a year of
    them), and the months in ``also`` (those with a submission, the month shown). The
    current month is offered only once it has data or a submission."""
    periods = set(data_periods())
    month = latest_complete_period()
    newest = max(periods, default="")
    for _step in range(REPORTING_GAP_MONTHS):
        if month <= newest:
            break
        periods.add(month)
        month = previous_period(month)
    for months in also:
        periods.update(months)
    return sorted(periods, reverse=True)


def period_label(period: str) -> str:
    """``2019-11`` → ``2019年11月`` as the pages show it; in English ``2019-09``, the
    month zero-padded so that the labels line up and sort like the periods."""
    english = (get_language() or "").startswith("en")
    month = period[5:7] if english else int(period[5:])
    return _("%(year)s年%(month)s月") % {"year": period[:4], "month": month}
