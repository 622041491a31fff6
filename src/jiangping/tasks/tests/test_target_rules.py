"""Quantitative targets as speeches write them (下降/提高/达到/新增 + number or X): the
indicator, the verb, the value and its measure."""

import pytest

from jiangping.tasks.targets import find_targets


def targets(sentence, blanks=()):
    return [(x["text"], x["subject"], x["verb"], x["value"], x["unit"], x["placeholder"])
            for x in find_targets(sentence, list(blanks))]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("力争全年地区生产总值增长6.5%以上。",
     [("地区生产总值增长6.5%", "地区生产总值", "增长", "6.5", "%", False)]),
    ("城镇登记失业率控制在4%以内。",
     [("城镇登记失业率控制在4%", "城镇登记失业率", "控制在", "4", "%", False)]),
    ("单位GDP能耗下降3.2%。", [("单位GDP能耗下降3.2%", "单位GDP能耗", "下降", "3.2", "%", False)]),
    ("PM10浓度较上年下降5%，优良天数比例不低于85%。", [
        ("PM10浓度较上年下降5%", "PM10浓度", "下降", "5", "%", False),
        ("优良天数比例不低于85%", "优良天数比例", "不低于", "85", "%", False)]),
    ("一般公共预算收入完成8.5亿元。",
     [("一般公共预算收入完成8.5亿元", "一般公共预算收入", "完成", "8.5", "亿元", False)]),
    ("粮食总产量稳定在50万吨以上。",
     [("粮食总产量稳定在50万吨", "粮食总产量", "稳定在", "50", "万吨", False)]),
    ("降低一个百分点。", [("降低一个百分点", "", "降低", "一", "个百分点", False)]),
])
def test_an_indicator_and_its_change(sentence, expected):
    assert targets(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # The verb may carry 到/至 (提高到, 下降至), and 降至 is a verb of its own.
    ("森林覆盖率提高到45%。", [("森林覆盖率提高到45%", "森林覆盖率", "提高到", "45", "%", False)]),
    ("综合能耗下降至0.5吨。", [("综合能耗下降至0.5吨", "综合能耗", "下降至", "0.5", "吨", False)]),
    ("贫困发生率降至1%以下。", [("贫困发生率降至1%", "贫困发生率", "降至", "1", "%", False)]),
    # 至 between two numbers is a range, not a verb: no target is read from it.
    ("培育5至8家龙头企业。", []),
])
def test_a_verb_with_its_to(sentence, expected):
    assert targets(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # A modal between the indicator and its verb: the indicator is read before it.
    ("全县森林覆盖率要提高到45%。",
     [("森林覆盖率要提高到45%", "森林覆盖率", "提高到", "45", "%", False)]),
    ("粮食产量务必稳定在50万吨以上。",
     [("粮食产量务必稳定在50万吨", "粮食产量", "稳定在", "50", "万吨", False)]),
    ("城镇登记失业率要控制在4%以内，新增就业要达到3000人。", [
        ("城镇登记失业率要控制在4%", "城镇登记失业率", "控制在", "4", "%", False),
        ("新增就业要达到3000人", "就业", "达到", "3000", "人", False)]),
    ("要提高到45%。", [("提高到45%", "", "提高到", "45", "%", False)]),
])
def test_a_modal_before_the_verb(sentence, expected):
    assert targets(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("全年新增城镇就业3000人。", [("新增城镇就业3000人", "城镇就业", "新增", "3000", "人", False)]),
    ("完成植树造林1.5万亩。", [("完成植树造林1.5万亩", "植树造林", "完成", "1.5", "万亩", False)]),
    ("新建改建农村公路120公里。",
     [("新建改建农村公路120公里", "农村公路", "新建改建", "120", "公里", False)]),
    ("完成农村危房改造500户。",
     [("完成农村危房改造500户", "农村危房改造", "完成", "500", "户", False)]),
    ("签约亿元以上项目30个。",
     [("签约亿元以上项目30个", "亿元以上项目", "签约", "30", "个", False)]),
    ("改造老旧小区26个，新增停车位1000个以上。", [
        ("改造老旧小区26个", "老旧小区", "改造", "26", "个", False),
        ("新增停车位1000个", "停车位", "新增", "1000", "个", False)]),
    ("引进项目12个，到位资金20亿元。", [
        ("引进项目12个", "项目", "引进", "12", "个", False),
        ("到位资金20亿元", "到位资金", "", "20", "亿元", False)]),
    ("共计投入资金1.2亿元。", [("投入资金1.2亿元", "投入资金", "", "1.2", "亿元", False)]),
    ("培训农民工2000人次。", [("培训农民工2000人次", "培训农民工", "", "2000", "人次", False)]),
])
def test_what_is_counted(sentence, expected):
    assert targets(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("规上工业增加值增长X%。",
     [("规上工业增加值增长X%", "规上工业增加值", "增长", None, "%", True)]),
    ("实际利用外资达到X亿元。",
     [("实际利用外资达到X亿元", "实际利用外资", "达到", None, "亿元", True)]),
    ("新开工项目XX个。", [("新开工项目XX个", "项目", "新开工", None, "个", True)]),
])
def test_a_placeholder_is_a_target(sentence, expected):
    assert targets(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "建设年产10万吨饲料加工项目。",  # a capacity, not a target
    "全年实现税收收入三亿元。",  # a Chinese numeral away from its verb
    "年底前未能完成的3项工作要说明原因。",
    "尚未开工的5个项目要倒排工期。",
    "在5个工作日内办结。",
    "储备3万。",
    "资金缺口3亿，要积极争取上级支持。",
])
def test_no_target(sentence):
    assert targets(sentence) == []


def test_the_subject_stops_at_a_blank_and_at_a_cue():
    assert targets("县住建局要确保新开工棚户区改造800套。") == [
        ("新开工棚户区改造800套", "棚户区改造", "新开工", "800", "套", False)]
    sentence = "东山县年底前完成造林2万亩。"
    assert targets(sentence, [(0, 3), (3, 6)]) == [
        ("完成造林2万亩", "造林", "完成", "2", "万亩", False)]
    assert targets(sentence, [(8, 10)]) == []
