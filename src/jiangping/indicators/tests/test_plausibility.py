"""Plausibility warnings (pure) and the chart's robust axis, with hypothesis properties."""

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from jiangping.indicators.plausibility import Bounds, Figure, axis_bounds, check

positive = st.decimals(min_value=D("0.01"), max_value=D("1e6"), places=2)
rate = st.decimals(min_value=D("-50"), max_value=D("80"), places=1)


def codes(figure, bounds=None):
    return [w.code for w in check(figure, bounds or Bounds())]


# --- the examples ------------------------------------------------------------
def test_a_cumulative_figure_twelve_times_last_months_warns():
    warnings = check(Figure("flow", 11, D(1680), previous=D(140), last_year=D(150)))
    assert [w.code for w in warnings] == ["jump_month", "jump_year"]
    assert warnings[0].other == D(140) and warnings[0].bound == D(3)


def test_a_cumulative_figure_falling_within_the_year_warns():
    assert codes(Figure("flow", 5, D(90), previous=D(100), last_year=D(95))) == ["falling"]
    # January restarts the year: neither falling nor compared with December
    assert codes(Figure("flow", 1, D(10), previous=D(100), last_year=D(9))) == []


def test_reported_growth_off_the_computed_one_warns_unless_at_comparable_prices():
    figure = Figure("growth", 11, D("8.0"), previous=D("7.5"), computed_growth=D("10.2"))
    assert codes(figure) == ["growth_gap"]
    comparable = Figure("growth", 11, D("8.0"), previous=D("7.5"), computed_growth=D("10.2"),
                        comparable_price=True)
    assert codes(comparable) == []


def test_a_growth_rate_jumping_by_many_points_warns():
    assert codes(Figure("growth", 6, D("45.0"), previous=D("8.0"))) == ["jump_month"]
    assert codes(Figure("growth", 6, D("9.0"), previous=D("8.0"), last_year=D("40"))) == [
        "jump_year"]


def test_balances_and_levels_compared_with_last_month_and_last_year():
    assert codes(Figure("stock", 3, D(10), previous=D(100), last_year=D(12))) == ["jump_month"]
    assert codes(Figure("level", 3, D(80), previous=D(70), last_year=D(20))) == ["jump_year"]


def test_bounds_come_from_the_caller():
    figure = Figure("flow", 4, D(250), previous=D(100))
    assert codes(figure) == []
    assert codes(figure, Bounds(month_ratio=D(2))) == ["jump_month"]


# --- properties -----------------------------------------------------------------------
@given(value=positive, ratio=st.decimals(min_value=D("0.34"), max_value=D("2.99"), places=2),
       month=st.integers(2, 12))
def test_a_figure_within_the_bounds_raises_no_jump(value, ratio, month):
    previous = value / ratio
    found = codes(Figure("flow", month, value, previous=previous, last_year=previous))
    assert "jump_month" not in found and "jump_year" not in found


@given(previous=positive, factor=st.decimals(min_value=D("3.01"), max_value=D("100"), places=2),
       month=st.integers(2, 12))
def test_a_figure_beyond_the_bound_always_warns(previous, factor, month):
    assert "jump_month" in codes(Figure("flow", month, previous * factor, previous=previous))
    assert "jump_year" in codes(Figure("flow", month, previous * factor, last_year=previous))


@given(value=positive, previous=positive, month=st.integers(2, 12))
def test_falling_exactly_when_below_last_month(value, previous, month):
    assert ("falling" in codes(Figure("flow", month, value, previous=previous))) == (
        value < previous)


@given(value=rate, computed=rate)
def test_growth_gap_exactly_beyond_the_tolerance(value, computed):
    found = "growth_gap" in codes(Figure("growth", 6, value, computed_growth=computed))
    assert found == (abs(value - computed) > D("0.5"))


@given(value=positive, month=st.integers(1, 12))
def test_no_history_no_warning(value, month):
    for kind in ("flow", "growth", "stock", "level"):
        assert check(Figure(kind, month, value)) == []


# --- the chart's axis -------------------------------------------------------------------
def test_one_extreme_bar_is_cut_and_the_others_stay_readable():
    values = [140.0, 120.0, 100.0, 96.0, 90.0, 1680.0]
    axis = axis_bounds(values)
    assert axis["min"] == 0.0 and 140.0 < axis["max"] < 200.0


def test_tame_values_keep_the_whole_axis():
    assert axis_bounds([12.0, 9.5, 8.0, 7.2, -1.5, 3.0]) is None
    assert axis_bounds([40.0, -12.0, 25.0, 30.0, 28.0, 5.0]) is None
    assert axis_bounds([1.0, 1000.0, 3.0]) is None  # too few bars to tell an outlier
    assert axis_bounds([0.0, 0.0, 0.0, 5.0]) is None  # nothing to scale by


def test_four_bars_one_extreme():
    axis = axis_bounds([9000.0, 70.0, 65.0, 60.0])
    assert axis == {"min": 0.0, "max": 70.0 + 70.0 * 0.15}
    assert axis_bounds([100.0, 100.0, 100.0, 1200.0])["max"] == 115.0
    assert axis_bounds([-900.0, 5.0, 6.0, 7.0])["min"] < 5.0


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=4,
                max_size=40))
def test_the_axis_holds_every_value_but_the_far_out_ones(values):
    axis = axis_bounds(values)
    if axis is None:
        return
    ordered = sorted(values)
    cut = [v for v in values if (axis["max"] is not None and v > axis["max"])
           or (axis["min"] is not None and v < axis["min"])]
    assert cut, "an axis is only cut for a value beyond it"
    assert len(cut) <= (len(values) - 1) // 2
    assert ordered[len(ordered) // 2] not in cut  # the median is always shown whole
