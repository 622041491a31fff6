"""The holiday calendar the city office keeps current (节假日安排).

The State Council publishes next year's arrangement each November or December, months
before a package release carries it. The product keeps it as data: :class:`Holiday`
rows (放假 / 调休上班) and a :class:`HolidayYear` per year whose arrangement is known.
The years ``chinesecalendar`` knows are seeded after every ``jiangping migrate``
(:func:`seed_package_years`, idempotent: a year already present, seeded or entered, is
left alone). The office enters a year by the import form ``holidays`` or the calendar
page; every write recomputes the deadlines that were estimated on weekends only
(:func:`recompute_estimated`).

:func:`current_calendar` is the :class:`~jiangping.tasks.workdays.Calendar` every
working-day computation asks for: built from the table and kept per process until a
write changes the table's version (one small query per call).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jiangping.core.pagecache import figures_changed
from jiangping.orgs.scope import Scope
from jiangping.tasks.deadlines import find_deadline
from jiangping.tasks.models import (
    DayKind,
    EventKind,
    Holiday,
    HolidayYear,
    Status,
    Task,
    TaskEvent,
)
from jiangping.tasks.workdays import Calendar

_cache: dict[str, tuple[tuple, Calendar]] = {}
_lock = threading.Lock()


def _version() -> tuple:
    found = HolidayYear.objects.aggregate(n=Count("year"), at=Max("entered_at"))
    return found["n"], found["at"]


def _build() -> Calendar:
    years = frozenset(HolidayYear.objects.values_list("year", flat=True))
    rows = list(Holiday.objects.filter(date__year__in=years)
                .values_list("date", "kind", "name"))
    return Calendar(
        holidays=frozenset(day for day, kind, _name in rows if kind == DayKind.OFF),
        workdays=frozenset(day for day, kind, _name in rows if kind == DayKind.WORK),
        years=years,
        names={day: name for day, kind, name in rows if kind == DayKind.OFF},
    )


def current_calendar() -> Calendar:
    """The holiday calendar of the table (office-entered and seeded years); the package's
    (:meth:`Calendar.default`) when there is no database to ask (not migrated yet, or
    unreachable). Rebuilt only when the table's version (years, last entry) changed."""
    try:
        version = _version()
        with _lock:
            cached = _cache.get("calendar")
            if cached is not None and cached[0] == version:
                return cached[1]
        calendar = _build()
    except DatabaseError:
        return Calendar.default()
    with _lock:
        _cache["calendar"] = (version, calendar)
    return calendar


def seed_package_years(**_kwargs) -> int:
    """Add every year ``chinesecalendar`` knows that the table has not got yet (its off
    days named after their festival, its make-up workdays); returns how many years were
    added. Connected to ``post_migrate``; never overwrites a year already present, and
    does nothing while the tasks app's tables are not migrated yet."""
    tables = {HolidayYear._meta.db_table, Holiday._meta.db_table, Task._meta.db_table}
    if not tables <= set(connection.introspection.table_names()):
        return 0
    package = Calendar.default()
    with transaction.atomic():
        present = set(HolidayYear.objects.values_list("year", flat=True))
        missing = sorted(set(package.years) - present)
        if not missing:
            return 0
        taken = set(Holiday.objects.filter(date__year__in=missing)
                    .values_list("date", flat=True))
        Holiday.objects.bulk_create(
            [Holiday(date=day, kind=DayKind.OFF, name=package.names.get(day, ""))
             for day in package.holidays if day.year in missing and day not in taken]
            + [Holiday(date=day, kind=DayKind.WORK, name="")
               for day in package.workdays if day.year in missing and day not in taken])
        HolidayYear.objects.bulk_create(
            HolidayYear(year=year, source=HolidayYear.Source.PACKAGE) for year in missing)
        # Years no office entered, added after a migrate: the tasks whose estimated
        # deadlines move are saved one by one (and change the figures version).
        recompute_estimated()
    return len(missing)


def arrangement_refusals(year: int, rows: list[tuple[dt.date, str, str]], *,
                         repeated: bool = True) -> list[tuple[int, str, str]]:
    """Why a year's arrangement cannot be taken: ``(row index, column, Chinese message)``
    for a date outside ``year``, a date given twice (unless ``repeated`` is False: the
    import engine refuses repeated keys itself), an unknown type (``rows`` hold
    ``DayKind`` values or anything else) and a weekday marked 调休上班 (only a weekend day
    can be worked in lieu). A weekend day marked 放假 is fine (a break's weekend)."""
    refusals, seen = [], {}
    for index, (day, kind, _name) in enumerate(rows):
        if day.year != year:
            refusals.append((index, "date", _("日期 %(date)s 不在 %(year)d 年内。")
                             % {"date": day.isoformat(), "year": year}))
        elif day in seen and repeated:
            refusals.append((index, "date", _("日期 %(date)s 重复（与第%(row)d行相同）。")
                             % {"date": day.isoformat(), "row": seen[day] + 1}))
        else:
            seen[day] = index
        if kind not in DayKind.values:
            refusals.append((index, "kind", _("类型“%(kind)s”无效，应为“放假”或“调休上班”。")
                             % {"kind": kind}))
        elif kind == DayKind.WORK and day.weekday() < 5:
            refusals.append((index, "kind", _("%(date)s 是工作日（星期一至五），不能标为调休上班。")
                             % {"date": day.isoformat()}))
    return refusals


def _mark_entered(year: int, user) -> None:
    HolidayYear.objects.update_or_create(
        year=year, defaults={"source": HolidayYear.Source.OFFICE, "entered_by": user,
                             "entered_at": timezone.now()})


@transaction.atomic
def replace_year(scope: Scope, year: int, rows: Iterable[tuple[dt.date, str, str]],
                 user=None) -> int:
    """录入节假日安排: the city office replaces ``year``'s arrangement with ``rows``
    (``(date, DayKind value, name)``), all or nothing, marks the year known and
    recomputes the estimated deadlines; returns how many days were stored.
    ValidationError (Chinese, naming the row) for the refusals of
    :func:`arrangement_refusals`; PermissionDenied outside the city office."""
    scope.require_city_office()
    rows = list(rows)
    refusals = arrangement_refusals(year, rows)
    if refusals:
        raise ValidationError([_("第%(row)d行：%(message)s") % {"row": index + 1,
                                                               "message": message}
                               for index, _column, message in refusals])
    Holiday.objects.filter(date__year=year).delete()
    Holiday.objects.bulk_create(Holiday(date=day, kind=kind, name=(name or "").strip())
                                for day, kind, name in rows)
    _mark_entered(year, user)
    recompute_estimated()
    figures_changed()
    return len(rows)


@transaction.atomic
def set_day(scope: Scope, day: dt.date, kind: str, name: str = "", user=None) -> Holiday:
    """Add or change one day of a year's arrangement (the calendar page); the year then
    counts as entered. Same refusals as :func:`replace_year` for that one day."""
    scope.require_city_office()
    refusals = arrangement_refusals(day.year, [(day, kind, name)])
    if refusals:
        raise ValidationError([message for _i, _c, message in refusals])
    holiday, _created = Holiday.objects.update_or_create(
        date=day, defaults={"kind": kind, "name": (name or "").strip()})
    _mark_entered(day.year, user)
    recompute_estimated()
    return holiday


@transaction.atomic
def delete_day(scope: Scope, day: dt.date, user=None) -> bool:
    """Remove one day from its year's arrangement (it becomes an ordinary day); returns
    whether there was one."""
    scope.require_city_office()
    deleted, _kinds = Holiday.objects.filter(date=day).delete()
    if deleted:
        _mark_entered(day.year, user)
        recompute_estimated()
        figures_changed()
    return bool(deleted)


def year_days(year: int) -> tuple[HolidayYear | None, list[Holiday]]:
    """The record of ``year`` (None when its arrangement is not known) and its days."""
    record = HolidayYear.objects.select_related("entered_by").filter(year=year).first()
    return record, list(Holiday.objects.filter(date__year=year))


def workday_deadline(calendar: Calendar, start: dt.date, n: int) -> tuple[dt.date, bool]:
    """The deadline ``n`` working days after ``start`` and whether it is estimated."""
    end = calendar.add_workdays(start, n)
    return end, calendar.estimated(start, end)


def recompute(task: Task, calendar: Calendar) -> tuple[dt.date | None, bool] | None:
    """The deadline and estimate flag ``task`` gets on ``calendar`` when it was computed
    (a working-day count or a festival written in the speech, from its source date);
    None when its deadline is a plain date."""
    if task.source_date is None:
        return None
    if task.deadline_workdays is not None:
        return workday_deadline(calendar, task.source_date, task.deadline_workdays)
    if task.deadline_text:
        found = find_deadline(task.deadline_text, task.source_date, calendar)
        if found is not None and found.date is not None:
            return found.date, found.estimated
    return None


@transaction.atomic
def recompute_estimated() -> int:
    """重算: every task whose deadline was estimated (weekends only) gets it computed
    again on the current calendar, with an event (修改) when the date moved; returns how
    many tasks changed. Run after each change of the calendar. An overdue task whose
    deadline moves to today or later is under way again, as in an import's update."""
    calendar = current_calendar()
    changed = 0
    for task in Task.objects.select_for_update().filter(deadline_estimated=True):
        found = recompute(task, calendar)
        if found is None:
            continue
        deadline, estimated = found
        if (deadline, estimated) == (task.deadline, task.deadline_estimated):
            continue
        if deadline != task.deadline:
            TaskEvent.objects.create(
                task=task, kind=EventKind.UPDATED, status=task.status,
                comment=_("节假日安排已录入，完成时限由%(old)s重算为%(new)s。") % {
                    "old": task.deadline.isoformat() if task.deadline else "—",
                    "new": deadline.isoformat()})
        task.deadline, task.deadline_estimated = deadline, estimated
        if task.status == Status.OVERDUE and deadline >= timezone.localdate():
            task.status = (Status.IN_PROGRESS if task.progress.exists()
                           else Status.NOT_STARTED)
        task.save(update_fields=["deadline", "deadline_estimated", "status", "updated_at"])
        changed += 1
    return changed
