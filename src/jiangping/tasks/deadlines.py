"""Deadlines written in a speech, resolved against the meeting date (完成时限).

Pure Python, no Django: ``12月底前``, ``年底前``/``年终``, ``一季度``/``明年一季度``,
``上半年``, ``2020年``, ``春节前`` (and the other statutory festivals), ``12月20日前``,
``12月份当月``, ``3月中旬前`` (上旬 to the 10th, 中旬 to the 20th, 下旬 to the month's end),
``月底前``/``本月内``/``下月底前``/``下月10日前``, ``15日前`` (this month's 15th, the next
month's when past), ``本周内``/``本周五前``/``下周内`` (to the week's Sunday or the day
named), ``十个工作日内``. A date without a year falls in the meeting's year, or in the
next year when that date is already past on the meeting day; a month or day without a year
that passed at most ``RECENTLY_PAST`` before the meeting is left unresolved (see
docs/tasks.md).

Working days and festival breaks come from a holiday :class:`~jiangping.tasks.workdays.Calendar`;
in a year whose arrangement it does not know they are estimated (weekends only; a
festival's break from its lunar, solar-term or fixed day) and the deadline says so.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from chinese_calendar import get_solar_terms
from lunardate import LunarDate

from jiangping.tasks.workdays import Calendar

NUM = r"(?:\d{1,2}|[一二三四五六七八九十两]{1,3})"
YEAR = r"(?P<year>明年|今年|下一年|次年|\d{4}年)?"
BEFORE = r"(?:前|之前|以前)?"

# Festivals named in speeches → the stem that names the days of their break in a
# holiday calendar (chinesecalendar says 劳动节/国庆节, a notice 中秋节、国庆节).
FESTIVALS = {
    "春节": "春节",
    "元旦": "元旦",
    "清明": "清明",
    "五一": "劳动",
    "劳动节": "劳动",
    "端午": "端午",
    "中秋": "中秋",
    "国庆": "国庆",
}
# The day a festival falls on: lunar (正月初一, 五月初五, 八月十五), the solar term 清明, or
# a fixed Gregorian date.
LUNAR_DAYS = {"春节": (1, 1), "端午": (5, 5), "中秋": (8, 15)}
FIXED_DAYS = {"元旦": (1, 1), "劳动": (5, 1), "国庆": (10, 1)}
_DAY = dt.timedelta(days=1)

# "十一月底前" said on 5 December is a deadline just missed (or a slip), not one a year out.
RECENTLY_PAST = dt.timedelta(days=62)

WEEKDAYS = "一二三四五六日"
QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

NOT_A_DEADLINE_YEAR = r"(?![\d一二三四五六七八九十]|同期|度|的|以来)"
PATTERNS = [
    ("workdays",
     re.compile(r"(?P<n>\d{1,3}|[一二三四五六七八九十两百]{1,4})个工作日(?:内|之内)?")),
    ("day", re.compile(rf"{YEAR}(?P<month>{NUM})月(?P<day>{NUM})日{BEFORE}")),
    ("month_end",
     re.compile(rf"{YEAR}(?P<month>{NUM})月(?:份)?(?:底|末|当月|内){BEFORE}")),
    # 上旬/中旬 end on the 10th and 20th, 下旬 with the month.
    ("xun", re.compile(rf"{YEAR}(?P<month>{NUM})月(?:份)?(?P<xun>上|中|下)旬{BEFORE}")),
    ("relative_day", re.compile(rf"(?P<rel>本|当|下个?)月(?P<day>{NUM})[日号]{BEFORE}")),
    ("week",
     re.compile(r"(?P<rel>本|下)周(?:(?P<weekday>[一二三四五六日])(?:前|之前)|内|之内|末前|末)")),
    # A day of the month alone (请于15日前报送): this month's, the next one's when past.
    ("month_day", re.compile(r"(?<![月\d号])(?P<day>\d{1,2})[日号](?:前|之前)(?!后)")),
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
    (None when it cannot be told, e.g. a day just past). ``estimated``: the date counts
    working days, or places a festival's break, in a year whose holiday arrangement is
    not known, so it was computed on weekends only (see :mod:`jiangping.tasks.workdays`)."""

    start: int
    end: int
    text: str
    date: dt.date | None
    estimated: bool = False


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


def _break_start(day: dt.date, calendar: Calendar) -> dt.date:
    """The first day of the holiday break containing ``day``, whatever its days are
    named (中秋 and 国庆 may share one break)."""
    while day - _DAY in calendar.holidays:
        day -= _DAY
    return day


def festival_day(stem: str, year: int) -> dt.date:
    """The day the festival ``stem`` (a value of ``FESTIVALS``) falls on in ``year``:
    正月初一, 五月初五 and 八月十五 of the lunar calendar (``lunardate``), the solar term
    清明 (``chinesecalendar``), or 1 January, 1 May, 1 October."""
    if stem in LUNAR_DAYS:
        month, day = LUNAR_DAYS[stem]
        return LunarDate(year, month, day).to_solar_date()
    if stem == "清明":
        terms = get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 10))
        return next(day for day, name in terms if name == "清明")
    month, day = FIXED_DAYS[stem]
    return dt.date(year, month, day)


def estimated_break_start(stem: str, year: int) -> dt.date:
    """Where the break of a festival is expected to begin in a year whose arrangement is
    not known: on the festival's day, on 除夕 for 春节 (the eve is an off day since the
    2024 revision of 全国年节及纪念日放假办法), moved back over a weekend just before it."""
    day = festival_day(stem, year) - (_DAY if stem == "春节" else dt.timedelta(0))
    while (day - _DAY).weekday() >= 5:
        day -= _DAY
    return day


def _known_break_start(stem: str, year: int, calendar: Calendar) -> dt.date | None:
    """The first day of the break of festival ``stem`` in a known ``year``: from a day
    named after it, which need not be the break's first day (2025: 中秋 is 6 October in a
    break from 1 October); when no day carries its name (2020: every day of the break
    holding 中秋 is named 国庆), the break holding the festival's day."""
    named = [day for day, name in calendar.named(year).items() if stem in name]
    if named:
        return _break_start(named[0], calendar)
    day = festival_day(stem, year)
    return _break_start(day, calendar) if day in calendar.holidays else None


def festival_start(festival: str, after: dt.date,
                   calendar: Calendar | None = None) -> tuple[dt.date, bool] | None:
    """The first day of the first break of ``festival`` (a key of ``FESTIVALS``) that
    starts after ``after``, and whether it is estimated (its year's arrangement is not
    known in ``calendar``, default :meth:`Calendar.default`). None when the festival's
    break is missing from a known year."""
    calendar = calendar or Calendar.default()
    stem = FESTIVALS[festival]
    for year in (after.year, after.year + 1):
        if calendar.known(year):
            start, estimated = _known_break_start(stem, year, calendar), False
        else:
            start, estimated = estimated_break_start(stem, year), True
        if start is not None and start > after:
            return start, estimated
    return None


def _resolve(kind: str, m: re.Match, meeting: dt.date, calendar: Calendar,
             ) -> tuple[dt.date | None, bool]:
    """The date ``m`` means and whether it is estimated."""
    if kind == "workdays":
        end = calendar.add_workdays(meeting, small_number(m["n"]))
        return end, calendar.estimated(meeting, end)
    if kind == "festival":
        year = _year(m["year"], meeting)
        after = dt.date(year, 1, 1) - _DAY if year else meeting
        found = festival_start(m["fest"], after, calendar)
        return (found[0] - _DAY, found[1]) if found else (None, False)
    return _resolve_date(kind, m, meeting), False


def _resolve_date(kind: str, m: re.Match, meeting: dt.date) -> dt.date | None:
    year = _year(m.groupdict().get("year"), meeting)
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
    if kind in ("month_end", "xun"):
        month = small_number(m["month"])
        if not 1 <= month <= 12:
            return None
        xun = m.groupdict().get("xun")
        if xun in ("上", "中"):
            day = 10 if xun == "上" else 20
            return _upcoming(year, meeting, lambda y: dt.date(y, month, day), recent_is_past=True)
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
    if kind == "week":
        # 本周内/本周末 is the meeting's week up to Sunday, 本周五前 its Friday.
        monday = meeting - dt.timedelta(days=meeting.weekday() - (7 if m["rel"] == "下" else 0))
        resolved = monday + dt.timedelta(days=WEEKDAYS.index(m["weekday"] or "日"))
        return None if resolved < meeting else resolved
    if kind == "month_day":
        day = small_number(m["day"])
        year, month = meeting.year, meeting.month
        if day < meeting.day:
            year, month = divmod(year * 12 + month, 12)
            month += 1
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            return None
        return dt.date(year, month, day)
    if kind == "quarter":
        last = QUARTERS[m["q"]] * 3
        return _upcoming(year, meeting, lambda y: _month_end(y, last))
    if kind == "half":
        last = 6 if m["half"] == "上" else 12
        return _upcoming(year, meeting, lambda y: _month_end(y, last))
    if kind == "year_end":
        return dt.date(year or meeting.year, 12, 31)
    return dt.date(int(m["year"]), 12, 31)


def find_deadline(sentence: str, meeting: dt.date,
                  calendar: Calendar | None = None) -> Deadline | None:
    """The first deadline written in ``sentence`` (the earliest in the text; at one
    position the more specific form wins, so ``12月20日前`` is a day, not a month),
    resolved against ``meeting`` and the holiday ``calendar`` (default
    :meth:`Calendar.default`); never raises for a year the calendar does not know."""
    found = []
    for rank, (kind, pattern) in enumerate(PATTERNS):
        for m in pattern.finditer(sentence):
            if kind == "year_end" and m.group().startswith("底"):
                continue
            if kind == "year" and int(m["year"]) < meeting.year:
                continue
            found.append((m.start(), rank, kind, m))
    if not found:
        return None
    # One pattern matches at most once at a position, so position and rank decide.
    start, _rank, kind, m = min(found, key=lambda f: f[:2])
    date, estimated = _resolve(kind, m, meeting, calendar or Calendar.default())
    return Deadline(start, m.end(), m.group(), date, estimated)


def find_deadlines(sentence: str, meeting: dt.date, calendar=None) -> list[Deadline]:
    """Every deadline written in ``sentence``, in text order and not overlapping ("9月底前
    完成…上报，10月底前全部发放到位" → two): :func:`find_deadline` read again after each one
    found, the text before it blanked so that offsets stay those of ``sentence``."""
    found: list[Deadline] = []
    at = 0
    while at < len(sentence):
        deadline = find_deadline("\0" * at + sentence[at:], meeting, calendar)
        if deadline is None:
            break
        found.append(deadline)
        at = deadline.end
    return found
