"""The year's result (年度综合得分) combined from published months, against hand-computed
values: the weights of months, quarters and the year end, a missing month, ties, a veto."""

from decimal import Decimal as D

from jiangping.reviews.grading import Band, Grading, MonthScore, combine_year

GRADING = Grading((Band("优秀", D(90)), Band("良好", D(80)), Band("合格", D(60)),
                   Band("不合格", D(0))), veto_cap="合格")
WEIGHTS = {"month": D(30), "quarter": D(30), "year_end": D(40)}


def year(scores: dict[str, dict[int, D | MonthScore]]) -> dict[int, dict[str, MonthScore]]:
    """Months → unit → score from unit → month → score (a plain number: group 县市组)."""
    months: dict[int, dict[str, MonthScore]] = {}
    for unit, per_month in scores.items():
        for month, score in per_month.items():
            entry = score if isinstance(score, MonthScore) else MonthScore(D(score), "县市组")
            months.setdefault(month, {})[unit] = entry
    return months


def by_unit(results):
    return {r.unit: r for r in results}


def test_months_quarters_and_year_end_by_weight_with_a_tie():
    a = {m: D(80) for m in range(1, 13)} | {3: D(90), 6: D(90), 9: D(90), 12: D(100)}
    b = dict.fromkeys(range(1, 13), D(93))
    c = dict.fromkeys(range(1, 13), D(70))
    results = by_unit(combine_year(["a", "b", "c"], year({"a": a, "b": b, "c": c}),
                                   WEIGHTS, GRADING))
    # a: months (8 × 80 + 3 × 90 + 100) ÷ 12 = 84.1666… → 84.17; quarters (90 × 3 + 100) ÷ 4
    # = 92.50; year end 100; (30 × 84.17 + 30 × 92.50 + 40 × 100) ÷ 100 = 93.001 → 93.00
    assert results["a"].parts == {"month": D("84.17"), "quarter": D("92.50"), "year_end": D(100)}
    assert results["a"].score == D("93.00")
    # b: 93 in every part → 93.00, tied with a for first place
    assert results["b"].score == D("93.00")
    assert [(r.rank, r.tied, r.grade) for r in (results["a"], results["b"], results["c"])] == [
        (1, True, "优秀"), (1, True, "优秀"), (3, False, "合格")]
    assert results["a"].used == list(range(1, 13)) and results["a"].missing == []


def test_a_missing_month_counts_for_nothing_and_an_absent_part_passes_its_weight_on():
    # Published January to June; 丁 was not in March's review, 戊 not ranked in June.
    ding = {1: D(80), 2: D(90), 4: D(70), 5: D(80), 6: D(100)}
    wu = dict.fromkeys(range(1, 6), D(60)) | {6: MonthScore(D(50), "县市组", excluded=True)}
    months = year({"ding": ding, "wu": wu})  # March was published (戊 is in it), without 丁
    results = by_unit(combine_year(["ding", "wu"], months, WEIGHTS, GRADING))
    ding_year = results["ding"]
    # months (80 + 90 + 70 + 80 + 100) ÷ 5 = 84.00 (not ÷ 6: a missing month is not a zero);
    # quarters: June only, 100.00; no December, so the year end's 40 are shared:
    # (30 × 84 + 30 × 100) ÷ 60 = 92.00
    assert ding_year.parts == {"month": D("84.00"), "quarter": D("100.00"), "year_end": None}
    assert ding_year.score == D("92.00") and ding_year.rank == 1
    assert ding_year.used == [1, 2, 4, 5, 6]
    # the reasons are the words of the JSON (``jiangping review --year --json``)
    assert ding_year.missing == [(3, "absent")] + [(m, "unpublished") for m in range(7, 13)]
    # 戊: June left out (不参与排名), so March alone is its quarter: 60, 60 → 60.00
    assert results["wu"].used == [1, 2, 3, 4, 5]
    assert results["wu"].missing[0] == (6, "excluded")
    assert results["wu"].score == D("60.00") and results["wu"].rank == 2


def test_a_veto_in_any_month_caps_the_year_but_not_the_rank():
    vetoed = dict.fromkeys(range(1, 13), D(95)) | {5: MonthScore(D(95), "县市组", vetoed=True)}
    clean = dict.fromkeys(range(1, 13), D(90))
    results = by_unit(combine_year(["x", "y"], year({"x": vetoed, "y": clean}), WEIGHTS,
                                   GRADING))
    assert results["x"].score == D("95.00") and results["x"].rank == 1
    assert results["x"].veto_months == [5] and results["x"].vetoed
    assert results["x"].grade == "合格"  # 优秀 by score, capped at veto_cap
    assert results["y"].grade == "优秀" and not results["y"].vetoed


def test_without_weights_the_year_is_the_average_of_its_months():
    scores = {1: D("80.55"), 2: D("80.50")}
    [result] = combine_year(["u"], year({"u": scores}), {}, GRADING)
    # (80.55 + 80.50) ÷ 2 = 80.525 → 80.53 (四舍五入, half up)
    assert result.parts == {"month": D("80.53")} and result.score == D("80.53")
    assert result.grade == "良好"


def test_a_year_end_only_scheme_has_no_result_before_december():
    [result] = combine_year(["u"], year({"u": {1: D(90)}}), {"year_end": D(1)}, GRADING)
    assert result.score is None and result.rank is None and result.grade == ""
    assert result.tied is False and result.used == [1]
    assert result.parts == {"year_end": None}


def test_units_are_ranked_within_the_group_of_their_last_month():
    moved = {1: MonthScore(D(70), "县市组"), 2: MonthScore(D(70), "城区组")}
    stayed = {1: MonthScore(D(80), "县市组"), 2: MonthScore(D(80), "县市组")}
    results = by_unit(combine_year(["m", "s"], year({"m": moved, "s": stayed}), {}, GRADING,
                                   places=1))
    assert (results["m"].group, results["m"].rank) == ("城区组", 1)
    assert (results["s"].group, results["s"].rank, results["s"].score) == ("县市组", 1, D("80.0"))
