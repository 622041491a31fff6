"""The month under review (本期讲评月份) and the months the pages offer: one home every
app asks (DESIGN §10).

The month a page opens on, :func:`review_month`, is decided in this order:

1. the latest month the city office has opened (:func:`open_review_month`, kept in
   :class:`~jiangping.core.models.ReviewMonth`);
2. otherwise the first answer of the *month sources* the apps register
   (:func:`register_month_source`), asked by priority. The intake app answers "the
   latest month in which more than half of the units that owe the monthly report have
   submitted it (已报送 or 已审核)"; the indicators app, for a database filled by import
   without submissions, "the latest month in which more than half of those units hold
   figures" (read from :class:`~jiangping.core.models.DataMonth`). "Most" is always
   *strictly more than half*, so one unit's stray value never moves anybody's month;
3. otherwise the latest complete month (the month before today's).

The months offered in pickers (:func:`data_periods`) come from
:class:`~jiangping.core.models.DataMonth`, an index the writing apps keep with
:func:`record_months`, and the opened months: a page costs the same however long the
history is. ``core`` imports no domain app: the apps plug in here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jiangping.core.models import DataMonth, ReviewMonth
from jiangping.core.pagecache import figures_changed

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


# --- month arithmetic (the indicators' formulas have the full set) ---------------
def _shift(period: str, months: int) -> str:
    index = int(period[:4]) * 12 + int(period[5:7]) - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def current_period(today: date | None = None) -> str:
    """The month under way (本月), ``YYYY-MM``."""
    today = today or timezone.localdate()
    return f"{today.year:04d}-{today.month:02d}"


def latest_complete_period(today: date | None = None) -> str:
    """The last month that has ended (2026-11-27 → ``2026-10``): the newest month a unit
    reports, the current one being still under way."""
    return _shift(current_period(today), -1)


def has_ended(period: str, today: date | None = None) -> bool:
    """Whether ``period`` (``YYYY-MM``) is over: only then can its month-end and
    year-to-date figures exist."""
    return period < current_period(today)


def require_ended(period: str, today: date | None = None) -> None:
    """Refuse (ValidationError, in Chinese, naming the month) a month that has not ended."""
    if not has_ended(period, today):
        raise ValidationError(
            _("%(period)s尚未结束，不能填报该月的月末或累计数据；请在月份结束后填报。")
            % {"period": period_label(period)})


# --- the month under review ------------------------------------------------------
MonthSource = Callable[[], "str | None"]


@dataclass(frozen=True)
class _Source:
    priority: int
    name: str
    answer: MonthSource


_sources: dict[str, _Source] = {}


def register_month_source(name: str, answer: MonthSource, priority: int = 100) -> None:
    """Let an app propose the month under review when the office has opened none: ``answer``
    returns a ``YYYY-MM`` or ``None``; sources are asked by ``priority`` (lowest first)."""
    _sources[name] = _Source(priority, name, answer)


def opened_month() -> ReviewMonth | None:
    """The latest month the city office has opened, with who opened it and when."""
    return ReviewMonth.objects.select_related("opened_by").order_by("-period").first()


def review_month() -> str:
    """The month under review (本期讲评月份): the month every page opens on (module doc)."""
    opened = ReviewMonth.objects.order_by("-period").values_list("period", flat=True).first()
    if opened:
        return opened
    for source in sorted(_sources.values(), key=lambda s: (s.priority, s.name)):
        answer = source.answer()
        if answer:
            return answer
    return latest_complete_period()


def default_period() -> str:
    """The month a page opens on: :func:`review_month` (the stable name the pages call)."""
    return review_month()


def majority(owing: int) -> int:
    """The least count that is *most* of ``owing`` units: strictly more than half."""
    return owing // 2 + 1


def validate(period: str) -> str:
    if not isinstance(period, str) or not _PERIOD.match(period):
        raise ValidationError(
            _("期间“%(period)s”格式不正确，应为“YYYY-MM”，如 2019-11。") % {"period": period})
    return period


@transaction.atomic
def open_review_month(scope, period: str, user=None) -> ReviewMonth:
    """开启讲评月份: the city office makes ``period`` the month under review; the pages of
    every user open on it from now on. Only a month that has ended can be opened."""
    scope.require_city_office()
    ReviewMonth(period=period).clean()
    figures_changed()
    month, created = ReviewMonth.objects.get_or_create(
        period=period, defaults={"opened_by": user, "opened_at": timezone.now()})
    if not created:
        month.opened_by, month.opened_at = user, timezone.now()
        month.save(update_fields=["opened_by", "opened_at"])
    return month


@transaction.atomic
def close_review_month(scope, period: str) -> None:
    """撤销讲评月份: the office withdraws an opened month (the previous opened one, or the
    default rule, applies again)."""
    scope.require_city_office()
    figures_changed()
    ReviewMonth.objects.filter(period=validate(period)).delete()


# --- the months pickers offer ------------------------------------------------------
def record_months(counts: Mapping[str, int | None]) -> None:
    """Keep the months index: ``counts`` maps a period to how many units that owe the
    report hold figures of it, or to ``None`` when the month holds no data any more.
    Called by the apps that write monthly data, in their write's transaction."""
    figures_changed()
    gone = [period for period, units in counts.items() if units is None]
    if gone:
        DataMonth.objects.filter(period__in=gone).delete()
    rows = [DataMonth(period=period, units=units) for period, units in counts.items()
            if units is not None]
    if rows:
        DataMonth.objects.bulk_create(rows, update_conflicts=True, unique_fields=["period"],
                                      update_fields=["units"])


def months_held_by(least_units: int) -> str | None:
    """The latest month in which at least ``least_units`` owing units hold figures."""
    return (DataMonth.objects.filter(units__gte=least_units).order_by("-period")
            .values_list("period", flat=True).first())


def data_periods(limit: int | None = None) -> list[str]:
    """Months with data or opened for review, newest first (all, or the ``limit`` newest)."""
    months = set(DataMonth.objects.values_list("period", flat=True))
    months.update(ReviewMonth.objects.values_list("period", flat=True))
    ordered = sorted(months, reverse=True)
    return ordered if limit is None else ordered[:limit]


def offered_periods(period: str, periods: list[str] | None = None) -> list[str]:
    """The months a picker offers (:func:`data_periods`) with the month shown among them."""
    periods = data_periods() if periods is None else periods
    return periods if period in periods else sorted([period, *periods], reverse=True)


def by_year(periods: list[str]) -> list[tuple[str, list[str]]]:
    """Months grouped by their year, in the order given: ``[("2026", ["2026-10", …]), …]``."""
    groups: list[tuple[str, list[str]]] = []
    for period in periods:
        if not groups or groups[-1][0] != period[:4]:
            groups.append((period[:4], []))
        groups[-1][1].append(period)
    return groups


REPORTING_GAP_MONTHS = 12


def reporting_periods(*also: Iterable[str]) -> list[str]:
    """The months data entry offers (填报月份), newest first: every month with data, the
    months after the newest of them up to the latest complete month (at most a year of
    them), and the months in ``also`` (those with a submission, the month shown). The
    current month is never offered for entry unless it is in ``also``: its figures are
    refused until it has ended."""
    periods = set(data_periods())
    month = latest_complete_period()
    newest = max(periods, default="")
    for _step in range(REPORTING_GAP_MONTHS):
        if month <= newest:
            break
        periods.add(month)
        month = _shift(month, -1)
    for months in also:
        periods.update(months)
    return sorted(periods, reverse=True)


def period_label(period: str) -> str:
    """``2019-11`` → ``2019年11月`` as the pages show it; in English ``2019-09``, the
    month zero-padded so that the labels line up and sort like the periods."""
    english = (get_language() or "").startswith("en")
    month = period[5:7] if english else int(period[5:])
    return _("%(year)s年%(month)s月") % {"year": period[:4], "month": month}
