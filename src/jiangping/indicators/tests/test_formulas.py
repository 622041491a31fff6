"""The indicator arithmetic: hand-computed cases and properties."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiangping.core import numbers as n
from jiangping.core import phrasing as ph
from jiangping.indicators import formulas as f

FAST = settings(max_examples=60, deadline=None)
decimals = st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False,
                       allow_infinity=False)


# --- periods -----------------------------------------------------------------
def test_periods():
    assert f.parse_period("2019-11") == (2019, 11)
    assert f.previous_period("2019-01") == "2018-12"
    assert f.previous_period("2019-11") == "2019-10"
    assert f.same_period_last_year("2019-03") == "2018-03"
    assert f.december_of_last_year("2019-07") == "2018-12"
    assert f.shift_period("2019-12", 1) == "2020-01"
    assert ph.months_label("2019-11") == "1—11月"
    assert ph.months_label("2019-01") == "1月"


@pytest.mark.parametrize("bad", ["2019-13", "2019-1", "19-01", "", "2019/01", "2019-00"])
def test_bad_period(bad):
    with pytest.raises(ValueError):
        f.parse_period(bad)


# --- hand-computed -----------------------------------------------------------
def test_month_value():
    assert f.month_value(D("120.5"), D("100.2"), 5) == D("20.3")
    assert f.month_value(D("30"), None, 1) == D("30")
    assert f.month_value(D("30"), D("999"), 1) == D("30")
    assert f.month_value(D("30"), None, 2) is None
    assert f.month_value(None, D("1"), 2) is None
    assert f.month_values([D(10), D(25), D(25), D(40)]) == [D(10), D(15), D(0), D(15)]


def test_yoy_growth():
    assert f.yoy_growth(D("108.2"), D("100")) == D("8.2")
    assert f.yoy_growth(D("92.9"), D("100")) == D("-7.1")
    assert n.round_half_up(f.yoy_growth(D(110), D(90)), 2) == D("22.22")
    assert f.yoy_growth(D(5), D(0)) is None
    assert f.yoy_growth(D(5), None) is None
    assert f.yoy_growth(None, D(5)) is None
    assert f.yoy_growth(D(5), D(-5)) is None
    assert isinstance(f.yoy_growth(110, 100), D)


def test_points_and_mom():
    assert f.pp_change(D("8.2"), D("7.5")) == D("0.7")
    assert f.pp_change(D("8.2"), None) is None
    assert f.mom(D(90), D(100)) == D(-10)
    assert f.since_start_of_year(D("1250.0"), D("1180.5")) == D("69.5")


def test_completion_and_schedule():
    assert f.completion_rate(D("91.3"), D("100")) == D("91.3")
    assert f.completion_rate(D("50"), D("0")) is None
    assert f.completion_rate(D("50"), D("-50")) is None  # not −100%
    assert f.completion_rate(None, D("100")) is None
    assert f.time_schedule(6) == D(50)
    assert n.round_half_up(f.time_schedule(11), 1) == D("91.7")
    assert f.time_schedule(12) == D(100)
    assert f.schedule_gap(D(55), 6) == D(5)
    assert f.schedule_gap(None, 6) is None
    with pytest.raises(ValueError):
        f.time_schedule(13)


def test_average_total_and_flag():
    assert f.average([D(1), None, D(2)]) == D("1.5")
    assert f.average([None]) is None
    assert f.total([D(1), None, D(2)]) == D(3)
    assert f.vs_average(D("8.2"), D("6.1")) == D("2.1")
    assert f.growth_gap_flag(D("8.2"), D("7.6"), D("0.5"))
    assert not f.growth_gap_flag(D("8.2"), D("7.7"), D("0.5"))
    assert not f.growth_gap_flag(D("8.2"), None, D("0.5"))


def test_rank_competition():
    values = {"a": D(10), "b": D(8), "c": D(8), "d": D(5), "e": None}
    assert f.rank(values) == {"a": 1, "b": 2, "c": 2, "d": 4, "e": None}
    assert f.rank(values, f.LOWER) == {"d": 1, "b": 2, "c": 2, "a": 4, "e": None}
    assert f.rank_order(values, f.LOWER) == ["d", "b", "c", "a", "e"]
    assert f.tied(f.rank(values)) == {"b", "c"}
    assert f.rank_change(6, 4) == 2
    assert f.rank_change(3, 4) == -1
    assert f.rank_change(None, 4) is None


def test_formatting_keeps_trailing_zeros():
    assert n.format_number(D("30.9"), 2) == "30.90"
    assert n.format_number(D("0.05"), 1) == "0.1"
    assert n.format_number(D("-0.05"), 1) == "-0.1"
    assert n.format_number(D("2.345"), 2) == "2.35"
    assert n.format_number(D("-0.04"), 1) == "0.0"
    assert n.format_number(D("1234"), 0) == "1234"
    assert n.format_number(None) == "—"


def test_signed_and_tone():
    assert n.format_signed(D("2.14")) == "+2.1"
    assert n.format_signed(D("-0.4")) == "-0.4"
    assert n.format_signed(D("-0.04")) == n.format_signed(D("0")) == "0.0"
    assert n.format_signed(D("30.9"), 2) == "+30.90"
    assert n.format_signed(None) == "—"
    assert n.tone(D("35.3")) == "good" and n.tone(D("35.3"), 1, f.LOWER) == "bad"
    assert n.tone(D("-8.0"), 1, f.LOWER) == "good" and n.tone(D("-8.0")) == "bad"
    assert n.tone(D("0.04"), 1, f.LOWER) == "flat" and n.tone(None) == ""


def test_phrases():
    assert ph.growth_phrase(D("8.2")) == "同比增长8.2%"
    assert ph.growth_phrase(D("-7.1")) == "同比下降7.1%"
    assert ph.growth_phrase(D("-0.04")) == "同比持平"
    assert ph.growth_phrase(D("30.9"), 2) == "同比增长30.90%"
    assert ph.pp_phrase(D("2.1")) == "提高2.1个百分点"
    assert ph.pp_phrase(D("-1.25")) == "回落1.3个百分点"
    assert ph.rank_move_phrase(2) == "前移2位"
    assert ph.rank_move_phrase(-1) == "后退1位"
    assert ph.rank_move_phrase(0) == "与上月持平"
    assert ph.rank_move_phrase(0, same="与上年同期持平") == "与上年同期持平"
    assert ph.schedule_phrase(D("0.6")) == "超序时进度0.6个百分点"
    assert ph.schedule_phrase(D("-3.1")) == "低于序时进度3.1个百分点"
    assert ph.vs_average_phrase(D("2.1"), what="全省平均增速（6.1%）") == (
        "高于全省平均增速（6.1%）2.1个百分点"
    )
    assert ph.rank_phrase(1, is_tied=True) == "并列第1位"
    assert ph.rank_phrase(6) == "第6位"
    assert ph.growth_phrase(None) == ph.pp_phrase(None) == ph.rank_move_phrase(None) == ""


# --- properties --------------------------------------------------------------
value_maps = st.dictionaries(st.integers(0, 50), st.one_of(st.none(), decimals), max_size=15)


@FAST
@given(value_maps)
def test_ties_share_a_rank(values):
    ranks = f.rank(values)
    for a, va in values.items():
        for b, vb in values.items():
            if va is not None and vb is not None:
                assert (ranks[a] == ranks[b]) == (va == vb)
                if va > vb:
                    assert ranks[a] < ranks[b]


@FAST
@given(st.lists(decimals, unique=True, max_size=15))
def test_distinct_values_rank_as_a_permutation(values):
    ranks = f.rank(dict(enumerate(values)))
    assert sorted(ranks.values()) == list(range(1, len(values) + 1))


@FAST
@given(value_maps)
def test_direction_flips_the_order(values):
    higher = f.rank_order(values, f.HIGHER)
    lower = f.rank_order(values, f.LOWER)
    present = [k for k in higher if values[k] is not None]
    assert [values[k] for k in present] == [values[k] for k in
                                             lower[: len(present)]][::-1]
    ranks_h, ranks_l = f.rank(values), f.rank(values, f.LOWER)
    n = sum(v is not None for v in values.values())
    for key, value in values.items():
        if value is None:
            assert ranks_h[key] is ranks_l[key] is None
        else:
            equal = sum(v == value for v in values.values() if v is not None)
            assert ranks_h[key] + ranks_l[key] == n + 2 - equal


@FAST
@given(value_maps)
def test_missing_values_are_placed_last(values):
    order = f.rank_order(values)
    seen_missing = False
    for key in order:
        if values[key] is None:
            seen_missing = True
        else:
            assert not seen_missing


@FAST
@given(st.lists(st.decimals(min_value=0, max_value=1000, places=2), min_size=1, max_size=12))
def test_month_values_sum_back_to_cumulative(months):
    cumulative, running = [], D(0)
    for m in months:
        running += m
        cumulative.append(running)
    derived = f.month_values(cumulative)
    assert derived == months
    assert sum(derived, D(0)) == cumulative[-1]


@FAST
@given(st.one_of(st.none(), st.integers(1, 30)), st.one_of(st.none(), st.integers(1, 30)))
def test_rank_change_is_antisymmetric(a, b):
    forward, backward = f.rank_change(a, b), f.rank_change(b, a)
    if a is None or b is None:
        assert forward is None and backward is None
    else:
        assert forward == -backward


@FAST
@given(decimals, st.integers(0, 4))
def test_rounding_keeps_places_and_sign_phrases_agree(value, places):
    text = n.format_number(value, places)
    assert len(text.partition(".")[2]) == places
    assert "−" not in ph.growth_phrase(value, places) and "-" not in ph.growth_phrase(value, places)
    assert ("下降" in ph.growth_phrase(value, places)) == text.startswith("-")
    signed = n.format_signed(value, places)
    assert signed.lstrip("+-") == text.lstrip("-")
    assert (n.tone(value, places) == "good") == signed.startswith("+")
    assert {n.tone(value, places, f.HIGHER), n.tone(value, places, f.LOWER)} in (
        {"good", "bad"}, {"flat"})


@FAST
@given(st.decimals(min_value=1, max_value=10_000, places=2),
       st.decimals(min_value=1, max_value=10_000, places=2))
def test_growth_round_trip(current, base):
    growth = f.yoy_growth(current, base)
    assert abs(base * (1 + growth / 100) - current) < D("1e-20")
