"""Working days over the Chinese holiday calendar (pure, no database)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiangping.tasks.tests.notice2027 import up_to_2026, with_2027
from jiangping.tasks.workdays import (
    ESTIMATED_NOTE,
    FIRST_YEAR,
    LAST_YEAR,
    Calendar,
    add_workdays,
    is_workday,
    workdays_between,
)

D = dt.date


@pytest.mark.parametrize(("day", "expected"), [
    (D(2024, 2, 4), True),    # Sunday, make-up workday before the Spring Festival
    (D(2024, 2, 9), True),    # Friday, New Year's Eve, not a public holiday in 2024
    (D(2024, 2, 12), False),  # Monday in the Spring Festival holiday (Feb 10–17)
    (D(2024, 2, 17), False),
    (D(2024, 2, 18), True),   # Sunday, make-up workday after it
    (D(2024, 2, 24), False),  # an ordinary Saturday
    (D(2025, 1, 26), True),   # Sunday, make-up workday before the 2025 Spring Festival
    (D(2025, 1, 28), False),  # Jan 28 – Feb 4
    (D(2025, 2, 4), False),
    (D(2025, 2, 8), True),    # Saturday, make-up workday
    (D(2024, 10, 7), False),  # National Day Oct 1–7
    (D(2024, 10, 12), True),  # Saturday, make-up workday
])
def test_is_workday(day, expected):
    assert is_workday(day) is expected


@pytest.mark.parametrize(("start", "n", "expected"), [
    (D(2024, 2, 2), 1, D(2024, 2, 4)),    # Fri → the make-up Sunday
    (D(2024, 2, 8), 1, D(2024, 2, 9)),
    (D(2024, 2, 8), 2, D(2024, 2, 18)),   # over the whole holiday to the make-up Sunday
    (D(2024, 2, 8), 3, D(2024, 2, 19)),
    (D(2025, 1, 24), 1, D(2025, 1, 26)),
    (D(2025, 1, 24), 2, D(2025, 1, 27)),
    (D(2025, 1, 24), 3, D(2025, 2, 5)),
    (D(2025, 2, 7), 1, D(2025, 2, 8)),    # Fri → the make-up Saturday
    (D(2024, 9, 27), 1, D(2024, 9, 29)),  # National Day 2024: make-up Sunday Sep 29
    (D(2024, 9, 30), 1, D(2024, 10, 8)),
    (D(2025, 9, 30), 1, D(2025, 10, 9)),  # National Day 2025: Oct 1–8
    (D(2024, 2, 12), 0, D(2024, 2, 12)),
    (D(2024, 11, 1), 10, D(2024, 11, 15)),  # an ordinary fortnight
])
def test_add_workdays(start, n, expected):
    assert add_workdays(start, n) == expected


def test_workdays_between():
    assert workdays_between(D(2024, 2, 9), D(2024, 2, 18)) == 1
    assert workdays_between(D(2024, 2, 8), D(2024, 2, 19)) == 3
    assert workdays_between(D(2024, 2, 19), D(2024, 2, 8)) == -3
    assert workdays_between(D(2025, 1, 1), D(2025, 1, 1)) == 0


def test_a_year_not_known_counts_weekends_only_and_says_so():
    calendar = Calendar.default()
    after = LAST_YEAR + 1
    assert not calendar.known(after) and calendar.known(LAST_YEAR)
    assert not calendar.known(FIRST_YEAR - 1) and calendar.known(FIRST_YEAR)
    new_year = D(after, 1, 1)
    assert is_workday(new_year) is (new_year.weekday() < 5)
    before = up_to_2026()
    assert [before.is_workday(D(2027, 2, d)) for d in range(5, 10)] == [
        True, False, False, True, True]
    assert before.add_workdays(D(2027, 2, 5), 1) == D(2027, 2, 8)
    assert before.workdays_between(D(2027, 2, 1), D(2027, 2, 14)) == 9
    assert before.estimated(D(2026, 12, 20), D(2027, 1, 5))
    assert before.estimated(D(2027, 1, 5), D(2026, 12, 20))
    assert not before.estimated(D(2026, 1, 5), D(2026, 12, 20))
    assert Calendar.weekends_only().estimated(D(2024, 1, 1), D(2024, 1, 1))
    with pytest.raises(ValueError, match="负数"):
        add_workdays(D(2024, 1, 2), -1)


def test_an_entered_year_counts_its_holidays_and_make_up_days():
    calendar = with_2027()
    assert calendar.known(2027) and not calendar.estimated(D(2026, 12, 20), D(2027, 3, 1))
    assert calendar.is_workday(D(2027, 1, 31))       # Sunday worked before 春节
    assert not calendar.is_workday(D(2027, 2, 8))    # Monday in the break
    assert calendar.is_workday(D(2027, 2, 20))       # Saturday worked after it
    assert not calendar.is_workday(D(2027, 2, 21))
    # Thu 4 Feb → Sun 31 Jan does not count (before), then the break to Sun 14 Feb.
    assert calendar.add_workdays(D(2027, 2, 4), 1) == D(2027, 2, 15)
    assert calendar.add_workdays(D(2027, 1, 29), 1) == D(2027, 1, 31)
    assert calendar.workdays_between(D(2027, 2, 4), D(2027, 2, 20)) == 6
    assert calendar.workdays_between(D(2027, 2, 20), D(2027, 2, 4)) == -6
    # 15个工作日内 from a meeting on 25 January 2027.
    assert calendar.add_workdays(D(2027, 1, 25), 15) == D(2027, 2, 20)
    assert up_to_2026().add_workdays(D(2027, 1, 25), 15) == D(2027, 2, 15)
    assert calendar.named(2027)[D(2027, 2, 5)] == "春节"
    assert D(2026, 2, 17) not in calendar.named(2027)


def test_datetimes_are_days_and_other_values_are_refused():
    calendar = Calendar.default()
    assert calendar.is_workday(dt.datetime(2024, 2, 4, 9)) is True
    with pytest.raises(TypeError):
        calendar.is_workday("2024-02-04")


days = st.dates(min_value=D(FIRST_YEAR, 1, 1), max_value=D(LAST_YEAR, 9, 30))


@given(days, st.integers(min_value=1, max_value=60))
def test_add_workdays_lands_on_a_workday(day, n):
    assert is_workday(add_workdays(day, n))


@given(days, st.integers(min_value=0, max_value=60))
def test_workdays_between_inverts_add_workdays(day, n):
    end = add_workdays(day, n)
    assert workdays_between(day, end) == n
    assert workdays_between(end, day) == -n


def test_calendars_with_the_same_days_are_equal_whatever_their_names():
    days = frozenset({D(2027, 2, 8)}), frozenset({D(2027, 2, 20)}), frozenset({2027})
    named, unnamed = Calendar(*days, {D(2027, 2, 8): "春节"}), Calendar(*days)
    assert named == unnamed and hash(named) == hash(unnamed)
    assert named != Calendar(days[0], frozenset(), days[2])


def test_the_estimate_note_is_the_one_users_read():
    assert ESTIMATED_NOTE == "节假日安排未公布，暂按双休日计算"
