"""Deadlines written in a speech, resolved against the meeting date (完成时限).

Pure Python, no Django: ``12月底前``, ``年底前``/``年终``, ``一季度``/``明年一季度``,
``上半年``, ``2020年``, ``春节前`` (and the other statutory festivals), ``12月20日前``,
``12月份当月``, ``月底前``/``本月内``/``下月底前``/``下月10日前``, ``十个工作日内``. A date
without a year falls in the meeting's year, or in the next year when that date is already
past on the meeting day; a month or day without a year that passed at most
``RECENTLY_PAST`` before the meeting is left unresolved (see docs/tasks.md).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from chinese_calendar.constants import Holiday, holidays

from jiangping.tasks.workdays import add_workdays

NUM = r"(?:\d{1,2}|[一二三四五六七八九十两]{1,3})"
YEAR = r"(?P<year>明年|今年|下一年|次年|\d{4}年)?"
BEFORE = r"(?:前|之前|以前)?"

# Festivals named in speeches → the holiday of chinesecalendar whose break they mean.
FESTIVALS = {
    "春节": Holiday.spring_festival,
    "元旦": Holiday.new_years_day,
    "清明": Holiday.tomb_sweeping_day,
    "五一": Holiday.labour_day,
    "劳动节": Holiday.labour_day,
    "端午": Holiday.dragon_boat_festival,
    "中秋": Holiday.mid_autumn_festival,
    "国庆": Holiday.national_day,
}

# Gregorian range of the lunar festivals (八月十五, 正月初一), used in a year in which
# chinesecalendar names no day after the festival: in 2020 中秋 fell inside the National Day
# break and every day of it is labelled National Day. No lunar converter is installed.
LUNAR_RANGE = {
    Holiday.mid_autumn_festival: ((9, 7), (10, 8)),
    Holiday.spring_festival: ((1, 21), (2, 20)),
}
_NAMED: dict[tuple[str, int], list[dt.date]] = defaultdict(list)
for _day, _name in sorted(holidays.items()):
    _NAMED[_name, _day.year].append(_day)
_DAY = dt.timedelta(days=1)

# "十一月底前" said on 5 December is a deadline just missed (or a slip), not one a year out.
RECENTLY_PAST = dt.timedelta(days=62)

QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

NOT_A_DEADLINE_YEAR = r"(?![\d一二三四五六七八九十]|同期|度|的|以来)"
PATTERNS = [
    ("workdays",
     re.compile(r"(?P<n>\d{1,3}|[一二三四五六七八九十两百]{1,4})个工作日(?:内|之内)?")),
    ("day", re.compile(rf"{YEAR}(?P<month>{NUM})月(?P<day>{NUM})日{BEFORE}")),
    ("month_end",
     re.compile(rf"{YEAR}(?P<month>{NUM})月(?:份)?(?:底|末|当月|内){BEFORE}")),
    ("relative_day", re.compile(rf"(?P<rel>本|当|下个?)月(?P<day>{NUM})[日号]{BEFORE}")),
    ("relative_month",
     re.compile(rf"(?P<rel>本|当|下个?)月(?:份)?(?:底|末|内){BEFORE}"
                rf"|(?<![\d一二三四五六七八九十两个数几半每])月(?:底|末){BEFORE}")),
    ("quarter", re.compile(rf"{YEAR}第?(?P<q>[一二三四1-4])季度(?:末|底)?{BEFORE}")),
    ("half", re.compile(rf"{YEAR}(?P<half>上|下)半年{BEFORE}")),
    ("festival", re.compile(rf"{YEAR}(?P<fest>{'|'.join(FESTIVALS)})(?:节|假期)?{BEFORE}")),
    ("year_end",
     re.compile(rf"(?P<year>明年|今年|\d{{4}}年)?(?:年底|年末|年终|年内|底){BEFORE}")),
    ("year", re.compile(rf"(?<![比较于与同])(?P<year>\d{{4}})年{NOT_A_DEADLINE_YEAR}")),
]


@dataclass(frozen=True)
class Deadline:
    """A deadline found in a sentence: where it is, as written, and the date it means
    (None when the calendar cannot tell, e.g. a working-day count beyond the known years)."""

    start: int
    end: int
    text: str
    date: dt.date | None


def small_number(text: str) -> int:
    """``12`` / ``十二`` / ``两`` → int; Chinese numerals through cn2an."""
    if text.isdigit():
        return int(text)
    import cn2an

    return int(cn2an.cn2an(text.replace("两", "二"), "smart"))


def _year(written: str | None, meeting: dt.date) -> int | None:
    """The year named (``明年`` → next, ``2020年`` → 2020), None when none is named."""
    if not written:
        return None
    if written in ("明年", "下一年", "次年"):
        return meeting.year + 1
    if written == "今年":
        return meeting.year
    return int(written.rstrip("年"))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _upcoming(named: int | None, meeting: dt.date, make, *,
              recent_is_past: bool = False) -> dt.date | None:
    """``make(year)`` in the named year, or the first year from the meeting's on which
    it is not already past; with ``recent_is_past``, None when the meeting's year gives a
    day at most ``RECENTLY_PAST`` before the meeting."""
    if named is not None:
        return make(named)
    day = make(meeting.year)
    if day >= meeting:
        return day
    if recent_is_past and meeting - day <= RECENTLY_PAST:
        return None
    return make(meeting.year + 1)


def _break_start(day: dt.date) -> dt.date:
    """The first day of the holiday break containing ``day``, whatever its days are
    named (中秋 and 国庆 may share one break)."""
    while day - _DAY in holidays:
        day -= _DAY
    return day


def festival_start(holiday: Holiday, after: dt.date) -> dt.date | None:
    """The first day of the first break carrying ``holiday`` that starts after ``after``.

    The break is found from a day named after the festival, which need not be its first
    day (2025: 中秋 is 6 October in a break from 1 October). In a year where no day carries
    the name of 中秋 or 春节, the break with a day in the festival's Gregorian range
    (``LUNAR_RANGE``) is taken instead."""
    years = sorted({year for _name, year in _NAMED})
    for year in (y for y in years if y >= after.year):
        days = _NAMED.get((holiday.value, year), [])
        if not days and holiday in LUNAR_RANGE:
            (m1, d1), (m2, d2) = LUNAR_RANGE[holiday]
            low, high = dt.date(year, m1, d1), dt.date(year, m2, d2)
            days = sorted(day for day in holidays if low <= day <= high)
        for day in days:
            start = _break_start(day)
            if start > after:
                return start
    return None


def _resolve(kind: str, m: re.Match, meeting: dt.date) -> dt.date | None:
    year = _year(m.groupdict().get("year"), meeting)
    if kind == "workdays":
        try:
            return add_workdays(meeting, small_number(m["n"]))
        except ValueError:
            return None
    if kind == "day":
        month, day = small_number(m["month"]), small_number(m["day"])
        if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year or meeting.year,
                                                                     month)[1]):
            return None
        try:
            return _upcoming(year, meeting, lambda y: dt.date(y, month, day),
                             recent_is_past=True)
        except ValueError:  # 2月29日 in a common year
            return None
    if kind == "month_end":
        month = small_number(m["month"])
        if not 1 <= month <= 12:
            return None
        return _upcoming(year, meeting, lambda y: _month_end(y, month), recent_is_past=True)
    if kind in ("relative_day", "relative_month"):
        # 本月/当月/月底 is the meeting's month, 下月/下个月 the one after.
        ahead = 1 if (m["rel"] or "").startswith("下") else 0
        year, month = divmod(meeting.year * 12 + meeting.month - 1 + ahead, 12)
        month += 1
        if kind == "relative_month":
            return _month_end(year, month)
        day = small_number(m["day"])
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            return None
        resolved = dt.date(year, month, day)
        return None if resolved < meeting else resolved
    if kind == "quarter":
        last = QUARTERS[m["q"]] * 3
        return _upcoming(year, meeting, lambda y: _month_end(y, last))
    if kind == "half":
        last = 6 if m["half"] == "上" else 12
        return _upcoming(year, meeting, lambda y: _month_end(y, last))
    if kind == "festival":
        after = dt.date(year, 1, 1) - dt.timedelta(days=1) if year else meeting
        start = festival_start(FESTIVALS[m["fest"]], after)
        return start - dt.timedelta(days=1) if start else None
    if kind == "year_end":
        return dt.date(year or meeting.year, 12, 31)
    return dt.date(int(m["year"]), 12, 31)


def find_deadline(sentence: str, meeting: dt.date) -> Deadline | None:
    """The first deadline written in ``sentence`` (the earliest in the text; at one
    position the more specific form wins, so ``12月20日前`` is a day, not a month)."""
    found = []
    for rank, (kind, pattern) in enumerate(PATTERNS):
        for m in pattern.finditer(sentence):
            if kind == "year_end" and m.group().startswith("底"):
                continue
            if kind == "year" and int(m["year"]) < meeting.year:
                continue
            found.append((m.start(), rank, -len(m.group()), kind, m))
    if not found:
        return None
    start, _rank, _length, kind, m = min(found, key=lambda f: f[:3])
    return Deadline(start, m.end(), m.group(), _resolve(kind, m, meeting))


def find_deadlines(sentence: str, meeting: dt.date, calendar=None) -> list[Deadline]:
    """Every deadline written in ``sentence``, in text order and not overlapping ("9月底前
    完成…上报，10月底前全部发放到位" → two): :func:`find_deadline` read again after each one
    found, the text before it blanked so that offsets stay those of ``sentence``.
    ``calendar`` is passed to :func:`find_deadline` when it takes one."""
    import inspect

    extra = {}
    if calendar is not None and "calendar" in inspect.signature(find_deadline).parameters:
        extra["calendar"] = calendar
    found: list[Deadline] = []
    at = 0
    while at < len(sentence):
        deadline = find_deadline("\0" * at + sentence[at:], meeting, **extra)
        if deadline is None:
            break
        found.append(deadline)
        at = max(deadline.end, at + 1)
    return found
