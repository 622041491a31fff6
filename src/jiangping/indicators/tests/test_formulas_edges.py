"""Edges of the indicator arithmetic and its phrasing that the main formula tests leave
open: a base of exactly one, the first month of the schedule, default decimals, and the
flat cases of every phrase (each one a behaviour a bulletin sentence depends on)."""

from decimal import Decimal as D

import pytest

from jiangping.core import numbers as n
from jiangping.core import phrasing as ph
from jiangping.indicators import formulas as f


def test_ratio_over_a_base_of_one_and_of_zero():
    assert f.ratio_percent(5, 1) == D(500)
    assert f.ratio_percent(5, 0) is None
    assert f.ratio_percent(None, 3) is None


def test_completion_of_small_positive_targets():
    assert f.completion_rate(D("0.5"), D("0.5")) == D(100)
    assert f.completion_rate(D("1"), D("1")) == D(100)
    assert f.completion_rate(D("1"), D("0")) is None
    assert f.completion_rate(D("1"), D("-2")) is None


@pytest.mark.parametrize("month, expected", [(1, D(100) / 12), (12, D(100))])
def test_time_schedule_at_both_ends(month, expected):
    assert f.time_schedule(month) == expected


@pytest.mark.parametrize("month", [0, 13])
def test_time_schedule_refuses_months_outside_the_year(month):
    with pytest.raises(ValueError):
        f.time_schedule(month)


def test_default_decimals_are_one():
    assert n.format_number(D("1.25")) == "1.3"
    assert n.tone(D("0.04")) == "flat"
    assert n.tone(D("0.05")) == "good"
    assert n.tone(D("0.05"), direction=f.LOWER) == "bad"


def test_flat_phrases():
    assert ph.pp_phrase(D("0.04")) == "持平"
    assert ph.pp_phrase(D("-0.06")) == "回落0.1个百分点"
    assert ph.vs_average_phrase(D("0")) == "与平均水平持平"
    assert ph.vs_average_phrase(D("1.26")) == "高于平均水平1.3个百分点"
    assert ph.vs_average_phrase(D("-1"), what="全省平均") == "低于全省平均1.0个百分点"
    assert ph.schedule_phrase(D("0.01")) == "与序时进度持平"
    assert ph.schedule_phrase(D("-3.14")) == "低于序时进度3.1个百分点"


def test_rank_moves():
    assert ph.rank_move_phrase(0) == "与上月持平"
    assert ph.rank_move_phrase(0, same="与上年同期持平") == "与上年同期持平"
    assert ph.rank_move_phrase(1) == "前移1位"
    assert ph.rank_move_phrase(-1) == "后退1位"
    assert ph.rank_move_phrase(None) == ""
