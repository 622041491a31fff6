"""Working days (工作日) of the Chinese calendar, for deadlines such as "10个工作日内".

A working day is Monday to Friday unless it is a public holiday (放假), plus the weekend
days declared make-up workdays (调休上班). The State Council publishes each year's
arrangement (节假日安排) in November or December; a :class:`Calendar` holds the off days
and make-up workdays of the years whose arrangement is known. In a year not known, Monday
to Friday are working days (weekends only) and the caller marks the result estimated
(:meth:`Calendar.estimated`) — nothing here raises for a date outside the known years.

:meth:`Calendar.default` is seeded from ``chinesecalendar``; the product's calendar is
the office's table (:func:`jiangping.tasks.holidays.current_calendar`). Pure Python: no
Django import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

from chinese_calendar.constants import Holiday
from chinese_calendar.constants import holidays as _package_holidays
from chinese_calendar.constants import workdays as _package_workdays

# The years chinesecalendar carries (the package's own range, not the product's).
FIRST_YEAR = min(_package_holidays).year
LAST_YEAR = max(_package_holidays).year
ESTIMATED_NOTE = "节假日安排未公布，暂按双休日计算"
_DAY = dt.timedelta(days=1)


def _date(day: dt.date) -> dt.date:
    if isinstance(day, dt.datetime):
        return day.date()
    if not isinstance(day, dt.date):
        raise TypeError(f"expected a date, got {type(day).__name__}")
    return day


@dataclass(frozen=True)
class Calendar:
    """The holiday arrangement of the ``years`` whose arrangement is known.

    ``holidays``: the off days (放假) on any day of the week; ``workdays``: the make-up
    workdays (调休上班); ``names``: the festival an off day belongs to (``date → "春节"``),
    used to find the break of a festival (see :mod:`jiangping.tasks.deadlines`)."""

    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    years: frozenset[int]
    names: Mapping[dt.date, str] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def default(cls) -> Calendar:
        """The calendar of the ``chinesecalendar`` package (its years, its day names)."""
        return _package_calendar()

    @classmethod
    def weekends_only(cls) -> Calendar:
        """A calendar that knows no year: every working day is Monday to Friday."""
        return cls(frozenset(), frozenset(), frozenset())

    def known(self, year: int) -> bool:
        """Whether the arrangement of ``year`` is known (entered or seeded)."""
        return year in self.years

    def estimated(self, a: dt.date, b: dt.date) -> bool:
        """Whether a count of working days between ``a`` and ``b`` (either order) runs
        through a year whose arrangement is not known, i.e. is counted on weekends only."""
        low, high = sorted((_date(a).year, _date(b).year))
        return any(not self.known(year) for year in range(low, high + 1))

    def is_workday(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day: a make-up workday, or a weekday that is no
        off day."""
        day = _date(day)
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (``start`` itself not counted), so
        "10个工作日内" from a meeting on ``start`` ends on ``add_workdays(start, 10)``;
        ``n == 0`` is ``start``. ValueError (Chinese) when ``n`` is negative."""
        if n < 0:
            raise ValueError(f"工作日数不能为负数（{n}）。")
        day = _date(start)
        while n:
            day += _DAY
            if self.is_workday(day):
                n -= 1
        return day

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        """The number of working days after ``a`` up to and including ``b``; negative
        (the count after ``b`` up to and including ``a``) when ``b`` is before ``a``."""
        a, b = _date(a), _date(b)
        if b < a:
            return -self.workdays_between(b, a)
        count, day = 0, a + _DAY
        while day <= b:
            count += self.is_workday(day)
            day += _DAY
        return count

    def named(self, year: int) -> dict[dt.date, str]:
        """The off days of ``year`` with their festival names, in date order."""
        return {day: self.names.get(day, "") for day in sorted(self.holidays)
                if day.year == year}


@cache
def _package_calendar() -> Calendar:
    chinese = {holiday.value: holiday.chinese for holiday in Holiday}
    names = {day: chinese.get(name, name) for day, name in _package_holidays.items()}
    years = {day.year for day in _package_holidays}
    return Calendar(frozenset(_package_holidays), frozenset(_package_workdays),
                    frozenset(years), MappingProxyType(names))


def is_workday(day: dt.date) -> bool:
    """:meth:`Calendar.is_workday` on the default calendar."""
    return Calendar.default().is_workday(day)


def add_workdays(start: dt.date, n: int) -> dt.date:
    """:meth:`Calendar.add_workdays` on the default calendar."""
    return Calendar.default().add_workdays(start, n)


def workdays_between(a: dt.date, b: dt.date) -> int:
    """:meth:`Calendar.workdays_between` on the default calendar."""
    return Calendar.default().workdays_between(a, b)
