"""Deadlines against a holiday calendar: known years, a year entered by the office (2027,
see notice2027), and a year with no arrangement (estimated on weekends only)."""

import datetime as dt

import pytest

from jiangping.tasks.deadlines import (
    Deadline,
    estimated_break_start,
    festival_day,
    festival_start,
    find_deadline,
)
from jiangping.tasks.tests.notice2027 import up_to_2026, with_2027
from jiangping.tasks.workdays import Calendar

D = dt.date
ENTERED = with_2027()
UNKNOWN = up_to_2026()


@pytest.mark.parametrize(("stem", "year", "day"), [
    ("春节", 2027, D(2027, 2, 6)),
    ("春节", 2028, D(2028, 1, 26)),
    ("春节", 2026, D(2026, 2, 17)),
    ("端午", 2027, D(2027, 6, 9)),
    ("中秋", 2027, D(2027, 9, 15)),
    ("清明", 2027, D(2027, 4, 5)),
    ("清明", 2028, D(2028, 4, 4)),
    ("元旦", 2027, D(2027, 1, 1)),
    ("劳动", 2027, D(2027, 5, 1)),
    ("国庆", 2027, D(2027, 10, 1)),
])
def test_festival_days_are_astronomical_or_fixed(stem, year, day):
    assert festival_day(stem, year) == day


@pytest.mark.parametrize(("stem", "year", "start"), [
    ("春节", 2027, D(2027, 2, 5)),   # 除夕 Friday
    ("春节", 2028, D(2028, 1, 25)),  # 除夕 Tuesday
    ("清明", 2027, D(2027, 4, 3)),   # Monday 5 April: the weekend before joins
    ("劳动", 2027, D(2027, 5, 1)),   # a Saturday: nothing before it joins
    ("国庆", 2028, D(2028, 9, 30)),  # a Sunday: the Saturday before joins
])
def test_an_unknown_year_expects_the_break_on_the_festival(stem, year, start):
    assert estimated_break_start(stem, year) == start


@pytest.mark.parametrize(("sentence", "meeting", "calendar", "expected", "estimated"), [
    # 15个工作日内 across the 2027 Spring Festival, arrangement entered.
    ("15个工作日内完成", D(2027, 1, 25), ENTERED, D(2027, 2, 20), False),
    # Not entered: weekends only, marked estimated.
    ("15个工作日内完成", D(2027, 1, 25), UNKNOWN, D(2027, 2, 15), True),
    # From December 2026 (known) into January 2027 (not known).
    ("十个工作日内完成", D(2026, 12, 24), UNKNOWN, D(2027, 1, 7), True),
    ("十个工作日内完成", D(2026, 12, 24), ENTERED, D(2027, 1, 8), False),
    ("十个工作日内完成", D(2026, 11, 2), UNKNOWN, D(2026, 11, 16), False),
    # 春节前 said in January 2027: the break from 除夕 (5 Feb) either way.
    ("春节前完成", D(2027, 1, 10), ENTERED, D(2027, 2, 4), False),
    ("春节前完成", D(2027, 1, 10), UNKNOWN, D(2027, 2, 4), True),
    # After the 2026 break, 春节前 is the 2027 one.
    ("春节前完成", D(2026, 3, 1), UNKNOWN, D(2027, 2, 4), True),
    ("春节前完成", D(2026, 1, 10), UNKNOWN, D(2026, 2, 14), False),
    ("2027年春节前完成", D(2026, 1, 10), ENTERED, D(2027, 2, 4), False),
    ("清明前完成", D(2027, 3, 1), ENTERED, D(2027, 4, 2), False),
    ("国庆前完成", D(2027, 3, 1), ENTERED, D(2027, 9, 30), False),
    ("中秋前完成", D(2027, 3, 1), ENTERED, D(2027, 9, 14), False),
    ("中秋前完成", D(2027, 3, 1), UNKNOWN, D(2027, 9, 14), True),
    ("五一前完成", D(2027, 3, 1), ENTERED, D(2027, 4, 30), False),
    # After the 2027 break, the 2028 Spring Festival, not known even with 2027 entered.
    ("春节前完成", D(2027, 3, 1), ENTERED, D(2028, 1, 24), True),
    # Said on the first day of the 2026 break: the next one.
    ("春节前完成", D(2026, 2, 15), UNKNOWN, D(2027, 2, 4), True),
    ("春节前完成", D(2026, 2, 14), UNKNOWN, D(2026, 2, 14), False),
    # A named year: its festival, even on its first day or in January.
    ("2027年元旦前完成", D(2026, 6, 1), ENTERED, D(2026, 12, 31), False),
    ("2027年元旦前完成", D(2026, 6, 1), UNKNOWN, D(2026, 12, 31), True),
    ("2028年春节前完成", D(2026, 6, 1), ENTERED, D(2028, 1, 24), True),
    # Not a working-day count nor a festival: never estimated.
    ("2027年3月底前完成", D(2026, 12, 1), UNKNOWN, D(2027, 3, 31), False),
])
def test_deadlines_follow_the_calendar(sentence, meeting, calendar, expected, estimated):
    deadline = find_deadline(sentence, meeting, calendar)
    assert (deadline.date, deadline.estimated) == (expected, estimated)


def test_the_default_calendar_is_chinesecalendar():
    found = find_deadline("十个工作日内完成", D(2024, 12, 20))
    assert (found.date, found.estimated) == (D(2025, 1, 6), False)


def test_a_known_year_missing_a_festival_gives_no_break_that_year():
    def without_february(calendar, *years):
        return Calendar(frozenset(d for d in calendar.holidays
                                  if not (d.year in years and d.month == 2)),
                        calendar.workdays, calendar.years, calendar.names)

    no_2026 = without_february(UNKNOWN, 2026)
    assert festival_start("春节", D(2026, 1, 10), no_2026) == (D(2027, 2, 5), True)
    neither = without_february(ENTERED, 2026, 2027)
    assert festival_start("春节", D(2026, 1, 10), neither) is None
    found = find_deadline("春节前完成", D(2026, 1, 10), neither)
    assert (found.date, found.estimated) == (None, False)


def test_a_festival_named_day_may_be_late_in_its_break():
    # 2025: the break of 1–8 October names 6 October 中秋.
    assert festival_start("中秋", D(2025, 6, 1)) == (D(2025, 10, 1), False)


def test_a_deadline_is_not_estimated_unless_said():
    assert Deadline(0, 4, "年底前", D(2026, 12, 31)).estimated is False
