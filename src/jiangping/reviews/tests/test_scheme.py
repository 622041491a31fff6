"""Loading assessment schemes: a good one loads, a bad one is refused naming its line."""

from decimal import Decimal as D

import pytest

from jiangping.reviews.scheme import SchemeError, load

METRICS = {
    "completion.fai": "higher",
    "value.gdp_growth": "higher",
    "tasks.overdue": "lower",
    "tasks.on_time_rate": "higher",
    "quality.major_accident": "lower",
}

GOOD = """\
name = "某市2026年度县域经济发展月度考核方案"
year = 2026
version = "2026.1"
total = 100
places = 2
missing = "zero"

[grades]
bands = [["优秀", 90], ["良好", 80], ["合格", 60], ["不合格", 0]]
veto_cap = "合格"

[[groups]]
name = "县市组"
units = ["甲县", "乙市"]

[[groups]]
name = "城区组"
units = ["丙区"]
total = 90

[[groups]]
name = "功能区"
units = ["高新区"]
overall = false

[[items]]
code = "fai"
name = "固定资产投资完成率"
section = "经济发展"
metric = "completion.fai"
method = "step"
weight = 60
target = 100
params = { bonus = 0.1, bonus_cap = 2, deduction = 0.1, zero_below = 80 }

[[items]]
code = "gdp"
name = "地区生产总值增速"
metric = "value.gdp_growth"
method = "rank"
weight = 40
params = { bands = [[1, 3, 40], [4, 6, 30], [7, 10, 20]], others = 10 }

[[items]]
code = "overdue"
kind = "deduction"
metric = "tasks.overdue"
method = "count"
weight = 5
params = { each = 1 }

[[items]]
code = "on_time"
kind = "bonus"
metric = "tasks.on_time_rate"
method = "bands"
weight = 3
when = "met:fai"
params = { bands = [[90, 100, 1], [100, "", 3]] }

[[items]]
code = "safety"
kind = "veto"
metric = "quality.major_accident"
condition = { op = ">", value = 0 }

[lists]
red = { top = 5, require = "met:fai" }
black = { bottom = 4, require = "missed:fai" }
speakers = { bottom = 3 }
escalation = { bottom = 3, months = 2 }

[periods]
month = 30
quarter = 30
year_end = 40
"""


def test_good_scheme_loads():
    scheme = load(GOOD, METRICS)
    assert scheme.name.startswith("某市") and scheme.year == 2026 and scheme.version == "2026.1"
    assert scheme.total == 100 and scheme.places == 2
    assert [i.code for i in scheme.items] == ["fai", "gdp", "overdue", "on_time", "safety"]
    fai = scheme.item("fai")
    assert fai.params == {"bonus": D("0.1"), "bonus_cap": D(2), "deduction": D("0.1"),
                          "zero_below": D(80)}
    assert fai.target == D(100) and fai.line == 26
    assert scheme.item("gdp").params["bands"][0] == [D(1), D(3), D(40)]
    assert scheme.item("on_time").params["bands"][-1] == [D(100), None, D(3)]
    assert scheme.item("on_time").gate.op == "met" and scheme.item("on_time").gate.item == "fai"
    veto = scheme.item("safety").condition
    assert veto.holds(D(1)) and not veto.holds(D(0)) and not veto.holds(None)
    assert [g.name for g in scheme.groups] == ["县市组", "城区组", "功能区"]
    assert scheme.groups[1].total == 90 and scheme.groups[2].overall is False
    assert scheme.grading.grade(D(95), vetoed=True) == "合格"
    assert scheme.periods == {"month": D(30), "quarter": D(30), "year_end": D(40)}
    assert scheme.lists["red"]["top"] == 5


def refused(text: str) -> list[tuple[int, str]]:
    with pytest.raises(SchemeError) as info:
        load(text, METRICS)
    return info.value.problems


def with_change(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


def test_toml_syntax_error_names_the_line():
    problems = refused(with_change('weight = 40', 'weight = = 40'))
    assert problems[0][0] == 41 and "TOML" in problems[0][1]


def test_unknown_metric_and_method_name_their_lines():
    problems = refused(with_change('metric = "value.gdp_growth"', 'metric = "value.gpd"')
                       .replace('method = "rank"', 'method = "ranking"'))
    assert (39, "考核项“gdp”的考核口径“value.gpd”不存在。") in problems
    assert any(line == 40 and "计分方法“ranking”不存在" in msg for line, msg in problems)


def test_missing_unknown_and_contradictory_parameters():
    problems = refused(with_change('bonus = 0.1, bonus_cap', 'bonus = 0.1, bonus_bands = '
                                   '[[100, 120, 0.2]], bonsu = 1, bonus_cap'))
    messages = [m for _l, m in problems]
    assert any("没有参数“bonsu”" in m for m in messages)
    assert any("bonus、bonus_bands 互相矛盾" in m for m in messages)
    assert all(line == 34 for line, _m in problems)
    scaled = refused(with_change('method = "rank"\nweight = 40\nparams = { bands = [[1, 3, 40], '
                                 '[4, 6, 30], [7, 10, 20]], others = 10 }',
                                 'method = "scaled"\nweight = 40'))
    assert any("缺少参数“to”" in m for _l, m in scaled)


def test_step_needs_a_target():
    problems = refused(with_change("target = 100\n", ""))
    assert any("需要目标值" in m for _l, m in problems)


def test_weights_must_add_up_to_the_total():
    problems = refused(with_change("weight = 40", "weight = 35"))
    assert (4, "计分项权重合计 95 分，与方案总分 100 分不符。") in problems


def test_unit_in_two_groups():
    problems = refused(with_change('units = ["丙区"]', 'units = ["丙区", "甲县"]'))
    assert (18, "单位“甲县”同时在分组“县市组”和“城区组”中。") in problems


def test_bad_bands_and_grades():
    problems = refused(with_change("[[1, 3, 40], [4, 6, 30]", "[[1, 3, 40], [3, 6, 30]"))
    assert any("起止递增、互不重叠" in m for _l, m in problems)
    grades = refused(with_change('["良好", 80]', '["良好", 95]'))
    assert any("从高到低" in m for _l, m in grades)
    cap = refused(with_change('veto_cap = "合格"', 'veto_cap = "及格"'))
    assert any("“及格”不在等次之中" in m for _l, m in cap)


def test_value_bands_must_follow_the_direction():
    problems = refused(with_change('metric = "tasks.on_time_rate"', 'metric = "tasks.overdue"'))
    assert any("越低越好" in m for _l, m in problems)


def test_gates_and_lists_must_name_items():
    problems = refused(with_change('when = "met:fai"', 'when = "met:invest"')
                       .replace('require = "missed:fai"', 'require = "missed:invest"'))
    messages = [m for _l, m in problems]
    assert any("引用的考核项“invest”不存在" in m for m in messages)
    assert any("名单“black”" in m for m in messages)


def test_veto_needs_a_condition_and_a_valid_operator():
    problems = refused(with_change('condition = { op = ">", value = 0 }',
                                   'condition = { op = "bigger", value = 0 }'))
    assert any("否决条件" in m and "op 应为" in m for _l, m in problems)
    missing = refused(with_change('condition = { op = ">", value = 0 }\n', ''))
    assert any("缺少否决条件" in m for _l, m in missing)


def test_every_problem_is_reported_at_once():
    problems = refused(GOOD.replace('weight = 60', 'weight = -1')
                       .replace('"quality.major_accident"', '"quality.none"')
                       .replace("places = 2", "places = 9"))
    assert len(problems) >= 4
    assert problems == sorted(problems, key=lambda p: p[0])
    assert str(SchemeError(problems)).startswith("第")


def test_kind_and_missing_rules_are_checked():
    problems = refused(with_change('kind = "deduction"', 'kind = "penalty"')
                       .replace('missing = "zero"', 'missing = "skip"'))
    messages = [m for _l, m in problems]
    assert any("类型“penalty”无效" in m for m in messages)
    assert any("缺数处理“skip”无效" in m for m in messages)


def test_empty_file_is_refused_in_chinese():
    problems = refused("")
    assert any("没有考核项" in m for _l, m in problems)
    assert any("缺少方案的“name”" in m for _l, m in problems)


def test_groups_by_kind_and_manual_items():
    text = with_change('units = ["甲县", "乙市"]', 'kinds = ["county", "county_city"]')
    text = text.replace('metric = "tasks.overdue"\nmethod = "count"\nweight = 5\n'
                        'params = { each = 1 }', 'method = "manual"\nweight = 5')
    scheme = load(text, METRICS)
    assert scheme.groups[0].kinds == ("county", "county_city") and scheme.groups[0].units == ()
    assert scheme.item("overdue").metric == "manual"
    problems = refused(with_change('units = ["丙区"]', 'kinds = ["county", "town"]'))
    assert any("单位类别（kinds）" in m for _l, m in problems)
    empty = refused(with_change('units = ["丙区"]\n', ''))
    assert any("既没有单位" in m for _l, m in empty)


def test_periods_are_month_quarter_or_year_end_with_positive_weights():
    line = GOOD.splitlines().index("year_end = 40") + 1
    problems = refused(with_change("year_end = 40", "year_end = 0").replace(
        "quarter = 30", "season = 30"))
    assert (line, "期别权重“year_end = 0”应为正数。") in problems
    season = "期别“season”无效，应为 month（月度）、quarter（季度）或 year_end（年终）。"
    assert (line - 1, season) in problems
    table = refused(with_change("[periods]\nmonth = 30\nquarter = 30\nyear_end = 40\n", "")
                    .replace('name = "', 'periods = 5\nname = "', 1))
    assert any("期别权重（periods）应为表" in m for _l, m in table)


def one_item(method: str, params: str, target: str = "") -> str:
    """A scheme of one 10-point item scored by ``method`` with ``params`` (TOML inline)."""
    return (f'name = "单项方案"\nyear = 2026\ntotal = 10\n\n[[items]]\ncode = "x"\n'
            f'metric = "completion.fai"\nmethod = "{method}"\nweight = 10\n{target}'
            f'params = {{ {params} }}\n')


@pytest.mark.parametrize(("method", "params", "target", "expected"), [
    ("ratio", "cap = 1.2", "target = 100\n", {"cap": D("1.2")}),
    ("step", 'basis = "difference", step = 0.5, bonus = 0.2, bonus_cap = 2, deduction = 0.3, '
             'deduction_cap = 4, zero_below = -3, counting = "exact"', "target = 7\n",
     {"basis": "difference", "step": D("0.5"), "bonus": D("0.2"), "bonus_cap": D(2),
      "deduction": D("0.3"), "deduction_cap": D(4), "zero_below": D(-3), "counting": "exact"}),
    ("step", 'bonus_bands = [[100, 130, 0.2], [130, "", 0.1]]', "target = 100\n",
     {"bonus_bands": [[D(100), D(130), D("0.2")], [D(130), None, D("0.1")]]}),
    ("rank", "per_place = 0.5, floor = 2", "", {"per_place": D("0.5"), "floor": D(2)}),
    ("rank", "per_place_percent = 10", "", {"per_place_percent": D(10)}),
    ("rank", "bands = [[1, 3, 7], [4, 4, 5]], others = 1", "",
     {"bands": [[D(1), D(3), D(7)], [D(4), D(4), D(5)]], "others": D(1)}),
    ("scaled", 'to = "average", cap = 1.5, floor = 1', "",
     {"to": "average", "cap": D("1.5"), "floor": D(1)}),
    ("scaled", 'to = "best"', "", {"to": "best"}),
    ("efficacy", "base = 50, span = 50", "", {"base": D(50), "span": D(50)}),
    ("count", "each = 0.5, cap = 3, once = false", "",
     {"each": D("0.5"), "cap": D(3), "once": False}),
    ("count", 'bands = [[1, 5, 1], [5, "", 2]]', "",
     {"bands": [[D(1), D(5), D(1)], [D(5), None, D(2)]]}),
    ("bands", 'bands = [[0, 80, 4], [80, "", 10]], others = 0', "",
     {"bands": [[D(0), D(80), D(4)], [D(80), None, D(10)]], "others": D(0)}),
])
def test_every_parameter_is_read_with_its_kind(method, params, target, expected):
    assert load(one_item(method, params, target), METRICS).item("x").params == expected


def test_parameters_of_the_wrong_kind_are_refused():
    messages = [m for _l, m in refused(one_item("step", 'basis = "ratio", counting = 1',
                                                "target = 1\n"))]
    assert "考核项“x”的参数 basis = 'ratio' 无效，应为 rate、difference 之一。" in messages
    assert "考核项“x”的参数 counting = 1 无效，应为 whole、exact 之一。" in messages
    once = refused(one_item("count", 'once = "yes", each = -1'))
    assert (10, "考核项“x”的参数 once 应为 true 或 false。") in once
    assert (10, "考核项“x”的参数 each = -1 应为非负数。") in once
    scaled = refused(one_item("scaled", ""))
    to = "考核项“x”的计分方法“scaled”缺少参数“to”（标杆：best 最优值，average 平均值）。"
    assert (10, to) in scaled
    bands = refused(one_item("bands", "others = 1"))
    assert (10, "考核项“x”的计分方法“bands”缺少参数“bands”"
                "（数值分档 [[起, 止, 分值]]（起含本数））。") in bands
    ratio = refused(one_item("ratio", ""))
    assert any("计分方法“ratio”需要目标值（target）" in m for _l, m in ratio)
