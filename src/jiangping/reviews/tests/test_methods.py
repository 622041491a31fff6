"""Scoring methods against hand-computed scores, and their properties."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiangping.reviews.grading import Band, Grading, combine
from jiangping.reviews.methods import (
    METHODS,
    Entry,
    completion,
    fmt,
    quiet,
    reduction,
    score_bands,
    score_count,
    score_efficacy,
    score_manual,
    score_rank,
    score_ratio,
    score_scaled,
    score_step,
    whole_steps,
)


def points(results):
    return {k: r.points for k, r in results.items()}


def entries(**values):
    return {k: Entry(None if v is None else D(str(v))) for k, v in values.items()}


def targeted(**pairs):
    return {k: Entry(D(str(v)), D(str(t))) for k, (v, t) in pairs.items()}


# --- ratio ---------------------------------------------------------------------------
def test_ratio_full_times_share_capped():
    # "分值=实际/目标×50，最高得50分"
    got = score_ratio(targeted(a=(8, 10), b=(12, 10), c=(0, 10)), {"cap": D(1)}, D(50))
    assert points(got) == {"a": D(40), "b": D(50), "c": D(0)}
    assert got["a"].explain == "8÷10=80%，50×80%=40分"
    assert "封顶" in got["b"].explain and "封顶" not in got["a"].explain


def test_ratio_cap_above_one_and_lower_is_better():
    got = score_ratio(targeted(a=(11, 10), b=(15, 10)), {"cap": D("1.2")}, D(10))
    assert points(got) == {"a": D(11), "b": D(12)}
    lower = score_ratio(targeted(a=(8, 10), b=(20, 10), c=(0, 10)), {}, D(10), "lower")
    assert points(lower) == {"a": D(10), "b": D(5), "c": D(10)}
    assert lower["b"].explain.startswith("10÷20=50%")


def test_ratio_zero_or_negative_target_scores_met_or_not():
    got = score_ratio(targeted(a=(-1, -3), b=(-4, -3), c=(0, 0)), {}, D(5))
    assert points(got) == {"a": D(5), "b": D(0), "c": D(5)}
    assert "不为正" in got["a"].explain
    lower = score_ratio(targeted(a=(-4, -3), b=(-1, -3)), {}, D(5), "lower")
    assert points(lower) == {"a": D(5), "b": D(0)}


def test_ratio_missing_value_or_target_is_not_scored():
    got = score_ratio({"a": Entry(None, D(10)), "b": Entry(D(3), None)}, {}, D(5))
    assert got["a"].points is None and got["a"].missing and got["a"].explain == "缺少数据"
    assert got["b"].missing and got["b"].explain == "缺少目标值"


# --- step ----------------------------------------------------------------------------
STEP = {"bonus": D("0.1"), "bonus_cap": D(2), "deduction": D("0.1")}


def test_step_bonus_and_deduction_per_point():
    # "每超1个百分点加0.1分，最多加2分；每低1个百分点扣0.1分，扣完为止"
    got = score_step(targeted(a=(105, 100), b=(140, 100), c=(96.5, 100), d=(100, 100)),
                     STEP, D(10))
    assert points(got) == {"a": D("10.5"), "b": D(12), "c": D("9.7"), "d": D(10)}
    assert got["a"].explain == "完成率105%，基础分10，加0.5分，得10.5分"
    assert got["c"].explain == "完成率96.5%，基础分10，扣0.3分，得9.7分"


def test_step_deduction_to_zero_and_its_cap():
    got = score_step(targeted(a=(0, 100), b=(50, 100)), {"deduction": D(1)}, D(10))
    assert points(got) == {"a": D(0), "b": D(0)}
    capped = score_step(targeted(a=(50, 100)), {"deduction": D(1), "deduction_cap": D(3)}, D(10))
    assert points(capped) == {"a": D(7)}


def test_step_counts_whole_steps_exactly():
    # (100 − 99.7) / 0.1 is 3 steps, not the 2 that binary floating point gives.
    assert whole_steps(D(100) - D("99.7"), D("0.1")) == 3
    assert int((100 - 99.7) / 0.1) == 2
    got = score_step(targeted(a=("99.7", 100)), {"step": D("0.1"), "deduction": D("0.05")}, D(5))
    assert points(got) == {"a": D("4.85")}
    half = score_step(targeted(a=("101.5", 100)), {"bonus": D(1)}, D(5))
    assert points(half) == {"a": D(6)}
    exact = score_step(targeted(a=("101.5", 100)), {"bonus": D(1), "counting": "exact"}, D(5))
    assert points(exact) == {"a": D("6.5")}


def test_step_piecewise_bonus_bands():
    # 100–130% +0.2 per point, above 130% +0.1 per point
    bands = [[100, 130, D("0.2")], [130, None, D("0.1")]]
    got = score_step(targeted(a=(120, 100), b=(150, 100)), {"bonus_bands": bands}, D(10))
    assert points(got) == {"a": D(14), "b": D(18)}


def test_step_hard_zero_threshold_includes_the_number():
    params = {**STEP, "zero_below": D(80)}
    got = score_step(targeted(a=(79.9, 100), b=(80, 100)), params, D(10))
    assert got["a"].points == 0 and "低于80%" in got["a"].explain
    assert got["b"].points == D(8)


def test_step_difference_basis_in_percentage_points():
    # growth 8.3% against a target of 7%: 1.3 pp above, 1 whole step → +0.5
    params = {"basis": "difference", "bonus": D("0.5"), "deduction": D("0.5")}
    got = score_step(targeted(a=("8.3", 7), b=("-1", 7)), params, D(6))
    assert points(got) == {"a": D("6.5"), "b": D(2)}
    assert "高于目标1.3" in got["a"].explain and "低于目标8" in got["b"].explain
    lower = score_step(targeted(a=(3, 5)), params, D(6), "lower")
    assert points(lower) == {"a": D(7)} and "优于目标2" in lower["a"].explain


def test_step_lower_is_better_counts_linearly():
    # energy use 0.92 against a target of 1.00: 8% below, +0.1 per point
    got = score_step(targeted(a=("0.92", 1), b=("1.05", 1), c=(0, 1)),
                     {**STEP, "bonus_cap": D(5)}, D(10), "lower")
    assert points(got) == {"a": D("10.8"), "b": D("9.5"), "c": D(15)}


def test_step_rate_basis_needs_a_positive_target():
    got = score_step(targeted(a=(5, 0)), STEP, D(10))
    assert got["a"].points is None and got["a"].missing


# --- rank ----------------------------------------------------------------------------
def test_rank_per_place_with_ties():
    got = score_rank(entries(a=9, b=7, c=9, d=5), {"per_place": D("0.5")}, D(5))
    assert points(got) == {"a": D(5), "c": D(5), "b": D(4), "d": D("3.5")}
    assert {k: r.rank for k, r in got.items()} == {"a": 1, "c": 1, "b": 3, "d": 4}
    assert got["a"].explain.startswith("数值9，并列第1名") and "并列" not in got["b"].explain


def test_rank_per_place_percent_floor_and_lower():
    got = score_rank(entries(a=1, b=2, c=3, d=4), {"per_place_percent": D(40)}, D(10), "lower")
    assert points(got) == {"a": D(10), "b": D(6), "c": D(2), "d": D(0)}


def test_rank_bands():
    bands = [[1, 3, D(7)], [4, 6, D(5)], [7, 10, D(3)]]
    values = {f"u{i}": 20 - i for i in range(12)}
    got = score_rank(entries(**values), {"bands": bands, "others": D(1)}, D(7))
    assert [got[f"u{i}"].points for i in range(12)] == [7, 7, 7, 5, 5, 5, 3, 3, 3, 3, 1, 1]


def test_rank_missing_units_are_not_ranked():
    got = score_rank(entries(a=3, b=None), {"per_place": D(1)}, D(5))
    assert got["a"].rank == 1 and got["b"].missing and got["b"].rank is None


# --- scaled ----------------------------------------------------------------------------
def test_scaled_to_best():
    got = score_scaled(entries(a=10, b=5, c=2), {"to": "best"}, D(20))
    assert points(got) == {"a": D(20), "b": D(10), "c": D(4)}
    lower = score_scaled(entries(a=2, b=4), {"to": "best"}, D(20), "lower")
    assert points(lower) == {"a": D(20), "b": D(10)}


def test_scaled_to_average_with_cap_and_floor():
    got = score_scaled(entries(a=30, b=12, c=3), {"to": "average", "cap": D("1.5")}, D(10))
    assert points(got) == {"a": D(15), "b": D(8), "c": D(2)}
    assert got["b"].explain == "12÷平均值15×10=8分"


def test_scaled_falls_back_to_linear_for_non_positive_values():
    got = score_scaled(entries(a=6, b=-2, c=2), {"to": "best"}, D(8))
    assert points(got) == {"a": D(8), "b": D(0), "c": D(4)}
    assert "最差值" in got["c"].explain


# --- efficacy --------------------------------------------------------------------------
def test_efficacy_scaled_to_weight():
    got = score_efficacy(entries(a=20, b=10, c=15), {}, D(5))
    assert points(got) == {"a": D(5), "b": D(3), "c": D(4)}
    lower = score_efficacy(entries(a=20, b=10), {}, D(10), "lower")
    assert points(lower) == {"a": D(6), "b": D(10)}
    equal = score_efficacy(entries(a=3, b=3), {}, D(10))
    assert points(equal) == {"a": D(10), "b": D(10)}


# --- count -----------------------------------------------------------------------------
def test_count_each_with_cap():
    got = score_count(entries(a=3, b=12), {"each": D("0.5")}, D(5))
    assert points(got) == {"a": D("1.5"), "b": D(5)}
    assert "上限5分" in got["b"].explain


def test_count_bands_by_size_and_once():
    things = (("p1", D("1.2")), ("p2", D("6")), ("p1", D("1.2")), ("p3", D("0.5")))
    params = {"bands": [[1, 5, D(1)], [5, None, D(2)]], "cap": D(10)}
    assert score_count({"a": Entry(None, None, things)}, params, D(4))["a"].points == D(3)
    twice = score_count({"a": Entry(None, None, things)}, {**params, "once": False}, D(4))
    assert twice["a"].points == D(4)


# --- bands, manual ---------------------------------------------------------------------
def test_value_bands_include_lower_bound():
    bands = [[100, None, D(10)], [90, 100, D(8)]]
    got = score_bands(entries(a=100, b=90, c="89.9"), {"bands": bands}, D(10))
    assert points(got) == {"a": D(10), "b": D(8), "c": D(0)}


def test_manual_kept_between_zero_and_full():
    got = score_manual(entries(a=4, b=12, c=-1), {}, D(10))
    assert points(got) == {"a": D(4), "b": D(10), "c": D(0)}
    assert "录入12" in got["b"].explain


# --- grading, combining, formatting ------------------------------------------------------
GRADES = Grading((Band("优秀", D(90)), Band("良好", D(80)), Band("合格", D(60)),
                  Band("不合格", D(0))), veto_cap="合格")


def test_grade_bands_include_their_minimum_and_veto_caps():
    assert GRADES.grade(D(90)) == "优秀"
    assert GRADES.grade(D("89.99")) == "良好"
    assert GRADES.grade(D(59)) == "不合格"
    assert GRADES.grade(D(98), vetoed=True) == "合格"
    assert GRADES.grade(D(50), vetoed=True) == "不合格"
    assert Grading(GRADES.bands).grade(D(99), vetoed=True) == "不合格"


def test_combine_by_weight_skips_missing_parts():
    assert combine([(D(30), D(80)), (D(30), D(90)), (D(40), D(100))]) == D(91)
    assert combine([(D("0.5"), D(80)), (D("0.5"), None)]) == D(80)
    assert combine([(D(1), None)]) is None


def test_fmt_half_up_and_trimmed():
    assert fmt(D("7.675")) == "7.68"
    assert fmt(D("50.00")) == "50"
    assert fmt(D("-0.001")) == "0"
    assert fmt(None) == "—"
    assert completion(D(5), D(10), "lower") == D(200)
    assert completion(D(0), D(10), "lower") == D("Infinity")
    assert reduction(D(8), D(10)) == D(120) and reduction(D(25), D(10)) == D(-50)


def test_every_method_is_documented_with_params():
    for name, spec in METHODS.items():
        assert spec.doc, name
        assert all(p.label for p in spec.params.values()), name


# --- properties ------------------------------------------------------------------------
values = st.decimals(min_value=-50, max_value=500, places=2, allow_nan=False)
positive = st.decimals(min_value=1, max_value=500, places=2, allow_nan=False)
CASES = [
    (score_ratio, {"cap": D("1.2")}, True),
    (score_step, {**STEP, "zero_below": D(60)}, True),
    (score_step, {"basis": "difference", "bonus": D("0.3"), "deduction": D("0.2")}, True),
    (score_step, {"bonus_bands": [[100, 120, D("0.2")], [120, None, D("0.1")]],
                  "deduction": D("0.1")}, True),
    (score_rank, {"per_place": D(1)}, False),
    (score_rank, {"bands": [[1, 2, D(5)], [3, 4, D(3)]]}, False),
    (score_scaled, {"to": "best"}, False),
    (score_scaled, {"to": "average", "cap": D("1.5")}, False),
    (score_efficacy, {}, False),
    (score_bands, {"bands": [[0, 50, D(2)], [50, None, D(5)]]}, False),
]


@st.composite
def unit_sets(draw):
    n = draw(st.integers(min_value=1, max_value=7))
    return [(draw(values), draw(positive)) for _ in range(n)]


@settings(max_examples=60, deadline=None)
@given(unit_sets(), st.sampled_from(range(len(CASES))), st.sampled_from(["higher", "lower"]),
       st.randoms())
def test_scores_do_not_depend_on_unit_order(units, case, direction, rnd):
    fn, params, with_target = CASES[case]
    data = {f"u{i}": Entry(v, t if with_target else None) for i, (v, t) in enumerate(units)}
    keys = list(data)
    rnd.shuffle(keys)
    assert points(fn(data, params, D(10), direction)) == points(
        fn({k: data[k] for k in keys}, params, D(10), direction))


@settings(max_examples=80, deadline=None)
@given(unit_sets(), st.sampled_from(range(len(CASES))), st.sampled_from(["higher", "lower"]),
       st.decimals(min_value="0.01", max_value=100, places=2))
def test_improving_a_value_never_loses_points(units, case, direction, delta):
    fn, params, with_target = CASES[case]
    if fn is score_bands and direction == "lower":
        return  # value bands follow the direction the scheme gives them; loading checks it
    if fn is score_scaled and any(v - delta < 0 for v, _t in units):
        return  # crossing zero switches to the linear placement (documented)
    data = {f"u{i}": Entry(v, t if with_target else None) for i, (v, t) in enumerate(units)}
    before = fn(data, params, D(10), direction)["u0"].points
    value = data["u0"].value
    better = value + delta if direction == "higher" else value - delta
    data["u0"] = Entry(better, data["u0"].target)
    after = fn(data, params, D(10), direction)["u0"].points
    if before is not None and after is not None:
        assert after >= before


@settings(max_examples=60, deadline=None)
@given(unit_sets(), st.sampled_from(["higher", "lower"]))
def test_rank_scores_agree_with_ranks(units, direction):
    data = {f"u{i}": Entry(v) for i, (v, _t) in enumerate(units)}
    got = score_rank(data, {"per_place": D("0.5")}, D(10), direction)
    for a in got.values():
        for b in got.values():
            if a.rank < b.rank:
                assert a.points >= b.points
            if a.rank == b.rank:
                assert a.points == b.points


@pytest.mark.parametrize("name", sorted(METHODS))
def test_methods_ignore_a_missing_unit(name):
    spec = METHODS[name]
    params = {"to": "best", "bands": [[0, None, D(1)]]}
    data = {"a": Entry(D(5), D(10)), "b": Entry(D(3), D(10)), "x": Entry(None, D(10))}
    with_missing = spec.compute(data, params, D(10), "higher")
    assert with_missing["x"].points is None and with_missing["x"].missing
    without = spec.compute({k: v for k, v in data.items() if k != "x"}, params, D(10), "higher")
    assert points(without) == {k: v for k, v in points(with_missing).items() if k != "x"}


# --- edges the mutants found ---------------------------------------------------------
def test_completion_of_a_small_positive_value_lower_is_better():
    assert completion(D("0.5"), D(10), "lower") == D(2000)


def test_ratio_edges():
    # a small positive target still gives a ratio; met exactly at a negative target
    assert points(score_ratio(targeted(a=("0.5", 1)), {}, D(10))) == {"a": D(5)}
    lower = score_ratio(targeted(a=(-3, -3)), {}, D(5), "lower")
    assert points(lower) == {"a": D(5)}
    at_cap = score_ratio(targeted(a=(12, 10)), {"cap": D("1.2")}, D(10))
    assert at_cap["a"].points == D(12) and "封顶" not in at_cap["a"].explain


def test_step_edges():
    on_target = score_step(targeted(a=(7, 7)), {"basis": "difference", "bonus": D(1)}, D(6))
    assert on_target["a"].explain == "实际7、目标7，高于目标0，基础分6，得6分"
    lower = score_step(targeted(a=(7, 7)), {"basis": "difference"}, D(6), "lower")
    assert "优于目标0" in lower["a"].explain
    exact = score_step(targeted(a=("101.25", 100)),
                       {"step": D("0.5"), "bonus": D(1), "counting": "exact"}, D(5))
    assert points(exact) == {"a": D("7.5")}


def test_value_bands_in_ascending_order_hold_their_lower_bound():
    bands = [[90, 100, D(8)], [100, None, D(10)]]
    assert points(score_bands(entries(a=100, b="99.99"), {"bands": bands}, D(10))) == {
        "a": D(10), "b": D(8)}


def test_scaled_edges():
    # to the average without a cap: above the average earns more than full marks
    assert points(score_scaled(entries(a=30, b=10), {"to": "average"}, D(10))) == {
        "a": D(15), "b": D(5)}
    # lower is better, a zero against a positive average: the cap; the other in proportion
    got = score_scaled(entries(a=0, b=10), {"to": "average", "cap": D("1.5")}, D(10), "lower")
    assert points(got) == {"a": D(15), "b": D(5)}


def test_count_edges():
    things = (("p1", None), ("p2", D(6)))
    got = score_count({"a": Entry(None, None, things)}, {"bands": [[5, None, D(2)]]}, D(4))
    assert got["a"].points == D(2)
    assert score_count(entries(a=3), {}, D(4))["a"].points == 0
    full = score_count(entries(a=4), {"each": D(1)}, D(4))
    assert full["a"].points == D(4) and "上限" not in full["a"].explain


def test_grade_below_every_band_is_the_lowest():
    grading = Grading((Band("好", D(80)), Band("一般", D(60))))
    assert grading.grade(D(10)) == "一般"


def test_combine_without_weight_is_none():
    assert combine([(D(0), D(80))]) is None


# --- defaults, explanations and boundaries, by hand ----------------------------------------
def test_parameters_left_out_score_as_documented():
    # ratio: cap 1 (100%); step: rate basis, whole steps of 1, no bonus or deduction
    assert points(score_ratio(targeted(a=(12, 10)), {}, D(50))) == {"a": D(50)}
    assert points(score_step(targeted(a=("105.5", 100), b=(95, 100)), {}, D(10))) == {
        "a": D(10), "b": D(10)}
    assert points(score_step(targeted(a=("101.9", 100)), {"bonus": D(1)}, D(10))) == {
        "a": D(11)}
    # rank by bands: a place in no band scores 0; count: a thing counted twice scores once
    got = score_rank(entries(a=3, b=2, c=1), {"bands": [[1, 1, D(5)]]}, D(5))
    assert points(got) == {"a": D(5), "b": D(0), "c": D(0)}
    things = (("p", D(2)), ("p", D(2)), ("q", None))
    assert score_count({"a": Entry(None, None, things)}, {"each": D(1)}, D(5))["a"].points == 2
    # efficacy: 60 + 40 on the 100-point scale
    assert points(score_efficacy(entries(a=20, b=10, c=15), {}, D(100))) == {
        "a": D(100), "b": D(60), "c": D(80)}


def test_method_metadata_the_scheme_and_the_gap_analysis_read():
    assert METHODS["efficacy"].params["base"].default == 60
    assert METHODS["ratio"].params["cap"].default == 1
    assert [n for n, m in METHODS.items() if m.relative] == ["rank", "scaled", "efficacy"]
    assert [n for n, m in METHODS.items() if m.needs_target] == ["ratio", "step"]


def test_explanations_in_full():
    ratio = score_ratio(targeted(a=(12, 10), b=(10, 10)), {}, D(50))
    assert ratio["a"].explain == "12÷10=120%（封顶），50×100%=50分"
    assert ratio["b"].explain == "10÷10=100%，50×100%=50分"
    zero = score_ratio(targeted(a=(0, 0), b=(-1, 0)), {}, D(5))
    assert zero["a"].explain == "目标值0不为正，按是否完成计分：完成，得5分"
    assert zero["b"].explain == "目标值0不为正，按是否完成计分：未完成，得0分"
    infinite = score_ratio(targeted(a=(0, 10)), {}, D(10), "lower")
    assert infinite["a"].explain == "实际0，低于目标且不大于0，按上限100%计，得10分"
    worse = score_step(targeted(a=(9, 7)), {"basis": "difference", "deduction": D("0.5")},
                       D(6), "lower")
    assert worse["a"].points == 5
    assert worse["a"].explain == "实际9、目标7，差于目标2，基础分6，扣1分，得5分"
    below = score_step(targeted(a=(4, 7)), {"basis": "difference", "zero_below": D(-2)}, D(6))
    assert below["a"].points == 0
    assert below["a"].explain == "实际4、目标7，低于目标3，低于-2，不得分"
    rate = score_step(targeted(a=(5, 0)), STEP, D(10))
    assert rate["a"].explain == "目标值0不为正，无法计算完成率"
    rank = score_rank(entries(a=3, b=2), {"bands": [[1, 1, D(5)]]}, D(5))
    assert rank["b"].explain == "数值2，第2名，按名次分档，得0分"
    per_place = score_rank(entries(a=3, b=2), {"per_place": D(1)}, D(5))
    assert per_place["b"].explain == "数值2，第2名，第1名5分，每后退1名减1分，得4分"
    best = score_scaled(entries(a=10, b=5), {"to": "best"}, D(20))
    assert best["b"].explain == "5÷最优值10×20=10分"
    lower = score_scaled(entries(a=2, b=4), {"to": "best"}, D(20), "lower")
    assert lower["b"].explain == "最优值2÷4×20=10分"
    efficacy = score_efficacy(entries(a=20, b=10, c=15), {}, D(5))
    assert efficacy["c"].explain == "60+40×（15−10）÷（20−10）=80，×5÷100=4分"
    count = score_count(entries(a=12, b=None), {"each": D("0.5")}, D(5))
    assert count["a"].explain == "12个，计6分（上限5分），得5分"
    assert count["b"].points is None and count["b"].missing and count["b"].explain == "缺少数据"
    assert score_bands(entries(a=95), {"bands": [[90, 100, D(8)]]}, D(10))["a"].explain == \
        "数值95，得8分"
    manual = score_manual(entries(a=4, b=None), {}, D(10))
    assert manual["a"].explain == "人工评分4分" and manual["b"].missing


def test_scaled_linear_when_lower_is_better_and_values_cross_zero():
    # best −2, worst 4: (value − 4) ÷ (−2 − 4) × 9
    got = score_scaled(entries(a=-2, b=4, c=1), {"to": "best"}, D(9), "lower")
    assert points(got) == {"a": D(9), "b": D(0), "c": D("4.5")}
    assert got["c"].explain == "（1−最差值4）÷（最优值-2−最差值4）×9=4.5分"
    # a zero against a positive average, lower is better, capped at 1.5 × full
    capped = score_scaled(entries(a=0, b=4, c=8), {"to": "average", "cap": D("1.5")}, D(10),
                          "lower")
    assert points(capped) == {"a": D(15), "b": D(10), "c": D(5)}
    # without a cap a zero has no proportion: linear between the worst (8) and the average (4)
    linear = score_scaled(entries(a=0, b=4, c=8), {"to": "average"}, D(10), "lower")
    assert points(linear) == {"a": D(20), "b": D(10), "c": D(0)}
    # all units equal below zero: each at the reference, full marks; a floor holds
    assert points(score_scaled(entries(a=-1, b=-1), {"to": "best"}, D(6))) == {
        "a": D(6), "b": D(6)}
    floored = score_scaled(entries(a=10, b=1), {"to": "best", "floor": D(3)}, D(20))
    assert points(floored) == {"a": D(20), "b": D(3)}
    assert score_scaled({"x": Entry(None)}, {"to": "best"}, D(5))["x"].missing


def test_efficacy_lower_is_better_and_its_base_and_span():
    got = score_efficacy(entries(a=2, b=6, c=4), {"base": D(50), "span": D(50)}, D(10),
                         "lower")
    # best 2, worst 6: 50 + 50 × (x − 6) ÷ (2 − 6)
    assert points(got) == {"a": D(10), "b": D(5), "c": D("7.5")}
    assert score_efficacy({"x": Entry(None)}, {}, D(5))["x"].missing


def test_step_a_bonus_band_below_the_target_adds_nothing():
    bands = [[80, 90, D(1)], [100, None, D("0.1")]]
    got = score_step(targeted(a=(120, 100)), {"bonus_bands": bands, "counting": "exact"}, D(10))
    assert points(got) == {"a": D(12)}
    capped = score_step(targeted(a=(150, 100)), {"bonus_bands": bands, "bonus_cap": D(3)}, D(10))
    assert points(capped) == {"a": D(13)}


def test_step_deduction_cap_above_full_marks_stops_at_zero():
    got = score_step(targeted(a=(50, 100)), {"deduction": D(1), "deduction_cap": D(20)}, D(10))
    assert points(got) == {"a": D(0)} and got["a"].explain == "完成率50%，基础分10，扣10分，得0分"


def test_rank_per_place_percent_takes_precedence_over_nothing_and_floors():
    got = score_rank(entries(a=3, b=2, c=1), {"per_place_percent": D(25), "floor": D(6)}, D(10))
    assert points(got) == {"a": D(10), "b": D("7.5"), "c": D(6)}
    none = score_rank(entries(a=3, b=2), {}, D(10))
    assert points(none) == {"a": D(10), "b": D(10)}


def test_count_once_false_and_no_each():
    things = (("p", D(2)), ("p", D(2)))
    assert score_count({"a": Entry(None, None, things)}, {"each": D(1), "once": False},
                       D(5))["a"].points == 2
    assert score_count({"a": Entry(None, None, things)}, {}, D(5))["a"].explain == \
        "1个，计0分，得0分"


def test_helpers_at_their_edges():
    assert whole_steps(D(-1), D(1)) == 0 and whole_steps(D(0), D(1)) == 0
    assert whole_steps(D("0.25"), D("0.1")) == 2
    assert completion(D(0), D(10), "higher") == 0 and completion(D(-5), D(10), "lower") == \
        D("Infinity")
    assert fmt(D(100)) == "100" and fmt(D("1.005")) == "1.01" and fmt(7) == "7"
    assert fmt(D("2.25"), 1) == "2.3" and fmt(D("0.04"), 1) == "0"
    with quiet():
        assert fmt(D(5)) == "" and fmt(None) == ""
        assert score_rank(entries(a=1), {"per_place": D(1)}, D(5))["a"].explain == ""
    assert fmt(D(5)) == "5"


def test_grade_below_every_band_of_three_is_the_lowest():
    grading = Grading((Band("好", D(80)), Band("中", D(70)), Band("差", D(60))))
    assert grading.grade(D(10)) == "差" and grading.grade(D(70)) == "中"
    assert Grading(grading.bands, "中").grade(D(90), vetoed=True) == "中"
    assert Grading(grading.bands, "中").grade(D(65), vetoed=True) == "差"


def test_scaled_proportions_below_one_and_all_zero():
    # a best value below 1 is still a proportion: 0.25 ÷ 0.5 × 10
    assert points(score_scaled(entries(a="0.5", b="0.25"), {"to": "best"}, D(10))) == {
        "a": D(10), "b": D(5)}
    # all at zero: no proportion, every unit at the reference
    assert points(score_scaled(entries(a=0, b=0), {"to": "best"}, D(10))) == {
        "a": D(10), "b": D(10)}
    # lower is better, values up to 1, against their average 0.75: without a cap in
    # proportion (0.75 ÷ 0.5 = 1.5); with a cap of 2 the value 1 still scores 0.75 ÷ 1
    no_cap = score_scaled(entries(a="0.5", b=1), {"to": "average"}, D(10), "lower")
    assert points(no_cap) == {"a": D(15), "b": D("7.5")}
    capped = score_scaled(entries(a="0.5", b=1), {"to": "average", "cap": D(2)}, D(10), "lower")
    assert points(capped) == {"a": D(15), "b": D("7.5")}
    # a zero earns the cap, 1.5 × full, also when full marks are below one point
    small = score_scaled(entries(a=0, b=10), {"to": "average", "cap": D("1.5")}, D("0.5"),
                         "lower")
    assert points(small) == {"a": D("0.75"), "b": D("0.25")}


def test_step_missing_target_and_scored_units_are_not_missing():
    got = score_step({"a": Entry(D(5), None), "b": Entry(D(5), D(5))}, STEP, D(10))
    assert got["a"].points is None and got["a"].missing and got["a"].explain == "缺少目标值"
    assert got["b"].points == 10 and got["b"].missing is False
