"""The month's review from a scheme: hand-computed totals, ranks, grades, lists and gaps."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiangping.reviews.engine import Unit, review
from jiangping.reviews.methods import Entry
from jiangping.reviews.scheme import load

METRICS = {"completion.fai": "higher", "value.gdp_growth": "higher", "tasks.overdue": "lower",
           "tasks.on_time_rate": "higher", "quality.accidents": "lower",
           "value.start_rate": "higher"}

SCHEME = """\
name = "测试方案"
year = 2026
total = 100

[grades]
bands = [["优秀", 90], ["良好", 80], ["合格", 60], ["不合格", 0]]
veto_cap = "合格"

[[groups]]
name = "县市组"
units = ["甲县", "乙县", "丙县"]

[[groups]]
name = "城区组"
units = ["丁区", "戊区"]
total = 90

[[items]]
code = "fai"
name = "投资完成率"
metric = "completion.fai"
method = "step"
weight = 60
target = 100
params = { bonus = 0.1, bonus_cap = 2, deduction = 0.1, zero_below = 80 }

[[items]]
code = "gdp"
name = "GDP增速"
metric = "value.gdp_growth"
method = "rank"
weight = 40
params = { per_place = 5 }

[[items]]
code = "overdue"
name = "逾期事项"
kind = "deduction"
metric = "tasks.overdue"
method = "count"
weight = 3
params = { each = 1 }

[[items]]
code = "on_time"
name = "按期完成率"
kind = "bonus"
metric = "tasks.on_time_rate"
method = "bands"
weight = 3
when = "met:fai"
params = { bands = [[90, 100, 1], [100, "", 3]] }

[[items]]
code = "safety"
name = "安全事故"
kind = "veto"
metric = "quality.accidents"
condition = { op = ">", value = 0 }

[lists]
red = { top = 5, require = "met:fai" }
black = { bottom = 4, require = "missed:fai" }
speakers = { bottom = 1 }
escalation = { bottom = 1, months = 2 }
"""

UNITS = [Unit("A", "甲县", "县市组"), Unit("B", "乙县", "县市组"), Unit("C", "丙县", "县市组"),
         Unit("D", "丁区", "城区组"), Unit("E", "戊区", "城区组")]


def entries(**values):
    return {k: Entry(None if v is None else D(str(v))) for k, v in values.items()}


def inputs(**changes):
    data = {
        "fai": entries(A=105, B=95, C=79, D=100, E=None),
        "gdp": entries(A=8, B=8, C="6.5", D=7, E=5),
        "overdue": entries(A=0, B=2, C=1, D=0, E=0),
        "on_time": entries(A=100, B=100, C=95, D=None, E=90),
        "safety": entries(A=0, B=0, C=1, D=0, E=0),
    }
    data.update(changes)
    return data


def run(**kwargs):
    scheme = load(SCHEME, METRICS)
    return review(scheme, UNITS, kwargs.pop("data", inputs()), METRICS, **kwargs)


def test_totals_ranks_and_grades_by_hand():
    result = run(previous={"A": 2, "B": 1})
    got = {r.unit: (r.score, r.rank, r.tied, r.grade, r.vetoed) for r in result.units}
    assert got == {
        "A": (D("103.5"), 1, False, "优秀", False),   # 60.5 + 40 + 0 + 3
        "B": (D("97.5"), 2, False, "优秀", False),    # 59.5 + 40 − 2 + 0 (gate: fai missed)
        "C": (D(29), 3, False, "不合格", True),        # 0 (below 80%) + 30 − 1
        "D": (D(90), 1, False, "优秀", False),        # (60 + 40) × 0.9
        "E": (D("31.5"), 2, False, "不合格", False),   # fai missing → 0; 35 × 0.9
    }
    assert [r.unit for r in result.units] == ["A", "B", "C", "D", "E"]
    assert result.unit("A").rank_change == 1 and result.unit("B").rank_change == -1
    assert result.unit("C").rank_change is None
    assert result.unit("C").veto_reasons == ["安全事故（1）"]


def test_item_explanations_carry_the_numbers():
    a = {i.item: i for i in run().unit("A").items}
    assert a["fai"].explain == "完成率105%，基础分60，加0.5分，得60.5分"
    assert a["fai"].points == D("60.5") and a["fai"].target == D(100)
    assert a["gdp"].explain.startswith("数值8，并列第1名") and a["gdp"].rank == 1
    assert a["on_time"].points == D(3)
    b = {i.item: i for i in run().unit("B").items}
    assert b["overdue"].points == D(-2)
    assert b["on_time"].points == 0 and "未满足条件（投资完成率完成目标）" in b["on_time"].explain
    e = {i.item: i for i in run().unit("E").items}
    assert e["fai"].missing and e["fai"].explain == "缺少数据，按方案记0分"


def test_veto_on_the_top_scorer_caps_grade_and_removes_red_flag():
    result = run(data=inputs(safety=entries(A=2, B=0, C=0, D=0, E=0)))
    a = result.unit("A")
    assert a.score == D("103.5") and a.rank == 1 and a.grade == "合格" and a.vetoed
    assert "A" not in result.lists["red_flag"] and "A" not in result.lists["red"]


def test_lists_by_rule():
    result = run(exempt={"C"}, history=[{"C": (3, 3), "B": (2, 3)}])
    assert result.lists["red"] == ["A", "D"]
    assert result.lists["black"] == ["B"]           # C is exempt (force majeure)
    assert result.lists["speakers"] == ["C", "E"]
    assert result.lists["escalation"] == ["C"]      # last two months running
    assert result.lists["red_flag"] == ["A", "D"]
    assert result.lists["yellow_flag"] == ["C", "E"]
    assert run(exempt=set()).lists["black"] == ["B", "C"]
    assert run(history=[]).lists["escalation"] == []


def test_ties_share_a_rank():
    result = run(data=inputs(fai=entries(A=95, B=95, C=79, D=100, E=None),
                             overdue=entries(A=0, B=0, C=1, D=0, E=0)))
    assert [(result.unit(k).rank, result.unit(k).tied) for k in "ABC"] == [
        (1, True), (1, True), (3, False)]


@pytest.mark.parametrize(("rule", "score", "rank", "excluded"), [
    ("zero", D("31.5"), 2, False),
    ("reweight", D("78.75"), 2, False),   # 31.5 × 100 / (100 − 60)
    ("exclude", D("31.5"), None, True),
])
def test_missing_data_rules(rule, score, rank, excluded):
    text = SCHEME.replace('target = 100\n', f'target = 100\nmissing = "{rule}"\n', 1)
    result = review(load(text, METRICS), UNITS, inputs(), METRICS)
    e = result.unit("E")
    assert (e.score, e.rank, e.excluded) == (score, rank, excluded)


GAP = """\
name = "找差距"
year = 2026
total = 100

[[items]]
code = "start"
name = "开工率"
metric = "value.start_rate"
method = "{method}"
weight = 100
{params}
"""


@pytest.mark.parametrize(("method", "params"), [
    ("ratio", "target = 10\nparams = { cap = 1 }"),
    ("rank", "params = { per_place = 10 }"),
])
def test_gap_is_the_smallest_single_improvement(method, params):
    scheme = load(GAP.format(method=method, params=params), METRICS)
    units = [Unit("X", "甲"), Unit("Y", "乙"), Unit("Z", "丙")]
    data = {"start": entries(X=9, Y=8, Z=5)}
    result = review(scheme, units, data, METRICS, measures={"value.start_rate": ("%", 1)})
    assert result.unit("X").gap["move_up"] == []
    y = result.unit("Y").gap["move_up"][0]
    assert y["change"] == D("1.0") and y["needed"] == D("9.0")
    assert y["phrase"] == "开工率再提高1个百分点即可前移1位"
    z = result.unit("Z").gap["move_up"][0]
    assert z["change"] == D("3.0")
    lost = result.unit("Y").gap["lost"][0]
    assert lost["vs_full"] == lost["full"] - lost["points"]
    assert lost["vs_best"] == result.unit("X").items[0].points - lost["points"]


def test_gap_re_scores_instead_of_guessing():
    # 99.7% with 0.05 off per whole 0.1 point below: less than a whole step below the target
    # costs nothing, so 99.91% already ties X — a formula guessing 0.3 points would be wrong.
    text = GAP.format(method="step", params='target = 100\nparams = { step = 0.1, '
                                           'deduction = 0.05 }')
    scheme = load(text, METRICS)
    units = [Unit("X", "甲"), Unit("Y", "乙")]
    result = review(scheme, units, {"start": entries(X=100, Y="99.7")}, METRICS,
                    measures={"value.start_rate": ("%", 2)})
    assert result.unit("Y").score == D("99.85")
    assert result.unit("Y").gap["move_up"][0]["change"] == D("0.21")


def test_no_move_when_no_single_item_can_lift_the_unit():
    # B (97.5) would need 103.5: investment gives at most 62 − 59.5, no more GDP points
    # (it is tied first), two overdue tasks are 2 points; the bonus is gated.
    result = run()
    assert [result.unit(k).gap["move_up"] for k in "BCE"] == [[], [], []]
    closer = run(data=inputs(overdue=entries(A=0, B=0, C=1, D=0, E=0),
                             on_time=entries(A=90, B=100, C=95, D=None, E=90)))
    # A 60.5 + 40 + 1 = 101.5; B 59.5 + 40 = 99.5. GDP growth 0.01 above A's breaks their
    # tie; investment at 100% gives 60 and opens the gated 3-point bonus: 103.
    move = closer.unit("B").gap["move_up"]
    assert [(m["item"], m["change"]) for m in move] == [("gdp", D("0.01")), ("fai", D("5.00"))]
    assert move[0]["phrase"] == "GDP增速再提高0.01即可前移1位"


# --- properties ------------------------------------------------------------------------

figure = st.one_of(st.none(), st.decimals(min_value=-20, max_value=150, places=1))
count = st.one_of(st.none(), st.integers(min_value=0, max_value=5))


@st.composite
def months(draw):
    n = draw(st.integers(min_value=2, max_value=5))
    keys = [f"U{i}" for i in range(n)]
    data = {
        "fai": {k: Entry(draw(figure)) for k in keys},
        "gdp": {k: Entry(draw(figure)) for k in keys},
        "overdue": {k: Entry(None if (c := draw(count)) is None else D(c)) for k in keys},
        "on_time": {k: Entry(draw(figure)) for k in keys},
        "safety": {k: Entry(D(draw(st.integers(0, 1)))) for k in keys},
    }
    return keys, data, draw(st.randoms())


def one_group_scheme():
    return load(SCHEME.replace("[[groups]]\nname = \"城区组\"\nunits = [\"丁区\", \"戊区\"]\n"
                               "total = 90\n", ""), METRICS)


@settings(max_examples=40, deadline=None)
@given(months())
def test_results_do_not_depend_on_unit_order(case):
    keys, data, rnd = case
    scheme = one_group_scheme()
    units = [Unit(k, k, "县市组") for k in keys]
    shuffled = units[:]
    rnd.shuffle(shuffled)
    first = review(scheme, units, data, METRICS)
    second = review(scheme, shuffled, data, METRICS)
    assert {r.unit: (r.score, r.rank, r.grade, r.gap["move_up"]) for r in first.units} == {
        r.unit: (r.score, r.rank, r.grade, r.gap["move_up"]) for r in second.units}


@settings(max_examples=40, deadline=None)
@given(months())
def test_ranks_agree_with_scores(case):
    keys, data, _rnd = case
    result = review(one_group_scheme(), [Unit(k, k, "县市组") for k in keys], data, METRICS)
    ranked = [r for r in result.units if r.rank is not None]
    for a in ranked:
        for b in ranked:
            assert (a.rank < b.rank) == (a.score > b.score)
            assert (a.rank == b.rank) == (a.score == b.score)


BRUTE = {
    "ratio": "target = 40\nparams = { cap = 1.2 }",
    "step": "target = 20\nparams = { bonus = 0.5, bonus_cap = 3, deduction = 0.4 }",
    "rank": "params = { per_place = 7 }",
    "scaled": 'params = { to = "average", cap = 1.5 }',
    "efficacy": "",
}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=2, max_size=4),
       st.integers(min_value=0, max_value=40), st.sampled_from(sorted(BRUTE)),
       st.sampled_from(["higher", "lower"]))
def test_gap_equals_a_brute_force_search(values, other, method, direction):
    metrics = {**METRICS, "value.x": direction, "value.y": "higher"}
    text = (f'name = "暴力"\nyear = 2026\ntotal = 100\n\n[[items]]\ncode = "x"\nname = "甲"\n'
            f'metric = "value.x"\nmethod = "{method}"\nweight = 60\n{BRUTE[method]}\n\n'
            '[[items]]\ncode = "y"\nname = "乙"\nmetric = "value.y"\nmethod = "rank"\n'
            'weight = 40\nparams = { per_place = 5 }\n')
    scheme = load(text, metrics)
    units = [Unit(f"U{i}", f"U{i}") for i in range(len(values))]
    ys = {f"U{i}": Entry(D((i * 7 + other) % 11)) for i in range(len(values))}
    data = {"x": {f"U{i}": Entry(D(v)) for i, v in enumerate(values)}, "y": ys}
    result = review(scheme, units, data, metrics, measures={"value.x": ("", 0)})
    sign = 1 if direction == "higher" else -1
    for r in result.units:
        if r.rank in (None, 1):
            continue
        found = next((m["change"] for m in r.gap["move_up"] if m["item"] == "x"), None)
        brute = None
        for n in range(1, 200):
            value = D(values[int(r.unit[1:])]) + sign * n
            moved = {**data, "x": {**data["x"], r.unit: Entry(value)}}
            again = review(scheme, units, moved, metrics, gaps=False).unit(r.unit)
            if again.rank is not None and again.rank < r.rank:
                brute = D(n)
                break
        assert found == brute, (r.unit, found, brute)


def test_a_bottom_list_as_large_as_the_group_names_no_one_without_a_condition():
    text = SCHEME.replace("speakers = { bottom = 1 }", "speakers = { bottom = 2 }")
    result = review(load(text, METRICS), UNITS, inputs(), METRICS)
    # 县市组 A, B, C: the last two speak; 城区组 D, E: both would, the first included.
    assert result.lists["speakers"] == ["B", "C"]
    # A condition still tells a small group's members apart (black: missed target).
    assert run(exempt=set()).lists["black"] == ["B", "C"]
