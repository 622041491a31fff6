"""Working days (工作日) of the Chinese calendar, for deadlines such as "10个工作日内".

A working day is Monday to Friday unless it is a public holiday, plus the weekend days
declared make-up workdays (调休上班). The calendar comes from ``chinesecalendar``, which
knows only the years the State Council has announced; a date outside them raises a
``ValueError`` with a Chinese message rather than guessing.

Pure Python: no Django import.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import chinese_calendar
from chinese_calendar.constants import holidays

FIRST_YEAR = min(holidays).year
LAST_YEAR = max(holidays).year
_DAY = dt.timedelta(days=1)


def _check(day: dt.date) -> dt.date:
    if isinstance(day, dt.datetime):
        day = day.date()
    if not isinstance(day, dt.date):
        raise TypeError(f"expected a date, got {type(day).__name__}")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(
            f"日期 {day.isoformat()} 超出节假日安排的已知范围（{FIRST_YEAR}—{LAST_YEAR}年），"
            "无法按工作日计算。"
        )
    return day


@cache
def _workday(day: dt.date) -> bool:
    # chinese_calendar checks every date against its whole holiday table (a min() and a
    # max() over it) on each call; a day's answer never changes, and the days asked are
    # bounded by the known years (_check), so each is computed once per process.
    return chinese_calendar.is_workday(day)


def is_workday(day: dt.date) -> bool:
    """Whether ``day`` is a working day: a weekday that is no public holiday, or a
    make-up workday (调休上班) on a weekend."""
    return _workday(_check(day))


def add_workdays(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` itself not counted), so "10个工作日内"
    from a meeting on ``start`` ends on ``add_workdays(start, 10)``; ``n == 0`` is ``start``."""
    if n < 0:
        raise ValueError(f"工作日数不能为负数（{n}）。")
    day = _check(start)
    while n:
        day = _check(day + _DAY)
        if _workday(day):
            n -= 1
    return day


def workdays_between(a: dt.date, b: dt.date) -> int:
    """The number of working days after ``a`` up to and including ``b``; negative (the
    count after ``b`` up to and including ``a``) when ``b`` is before ``a``."""
    a, b = _check(a), _check(b)
    if b < a:
        return -workdays_between(b, a)
    count, day = 0, a + _DAY
    while day <= b:
        count += _workday(day)
        day += _DAY
    return count
