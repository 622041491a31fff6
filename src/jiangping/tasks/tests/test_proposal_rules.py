"""Whole texts as a county speech and a county's minutes write them, and the tasks proposed
from them: heading path, lead and co units, deadline and milestones, targets, topic."""

import datetime as dt

import pytest

from jiangping.tasks.proposals import candidate, propose
from jiangping.tasks.tests.test_speech_modules import EAST, REGISTRY

MEETING = dt.date(2025, 3, 12)  # a Wednesday

SPEECH = """一、关于重点项目建设
（一）加快项目前期工作。县发改局要会同县自然资源局、县住建局，在3月底前完成项目用地报批。
（二）狠抓安全生产。由县应急局牵头，县公安局、县市场监管局配合，本周内完成隐患排查，年底前完成整治。
二、关于民生实事
一是抓好就业。县人社局要确保全年新增城镇就业3000人以上。
同志们，今年任务艰巨，希望大家坚定信心。
今年以来，全县完成固定资产投资15亿元，同比增长8%。
"""

MINUTES = """东山县人民政府常务会议纪要
会议议定：
1.县财政局要于每月5日前报送资金拨付情况。
2.城关镇负责做好征地拆迁。
会议要求，各乡镇要在4月底前完成高标准农田建设2万亩，县农业农村局负责技术指导。
会议原则同意《东山县2025年招商引资奖励办法》。
请县委办、县政府办牵头，县督查室配合，对各项任务实行清单化管理（牵头单位：县政府办；配合单位：县督查室）。
"""


def test_a_county_speech():
    normal, found = propose(SPEECH, MEETING, REGISTRY, home="东山县")
    assert [normal[p.start:p.end] for p in found] == [p.sentence for p in found]
    assert [(p.heading, p.lead_units, p.co_units) for p in found] == [
        (["一、关于重点项目建设", "（一）加快项目前期工作"],
         ["县发改局"], ["县自然资源局", "县住建局"]),
        (["一、关于重点项目建设", "（二）狠抓安全生产"],
         ["县应急局"], ["县公安局", "县市场监管局"]),
        (["二、关于民生实事", "一是抓好就业"], ["县人社局"], []),
    ]
    first, second, third = found
    assert (first.deadline, first.deadline_text, first.topic) == (
        "2025-03-31", "3月底前", "完成项目用地报批")
    assert (second.deadline, second.deadline_text, second.topic) == (
        "2025-03-16", "本周内", "完成隐患排查")
    assert [(m["deadline"], m["text"]) for m in second.milestones] == [
        ("2025-03-16", "本周内完成隐患排查"), ("2025-12-31", "年底前完成整治")]
    assert [(t["subject"], t["verb"], t["value"], t["unit"]) for t in third.targets] == [
        ("城镇就业", "新增", "3000", "人")]
    assert third.deadline is None and third.milestones == [] and not third.needs_unit
    assert [u["level"] for u in second.units] == ["county", "county", "county"]


def test_county_minutes():
    _normal, found = propose(MINUTES, MEETING, REGISTRY, home="东山县")
    assert [(p.lead_units, p.co_units, p.deadline, p.topic) for p in found] == [
        (["东山县财政局"], [], "2025-04-05", "报送资金拨付情况"),
        (["城关镇"], [], None, "做好征地拆迁"),
        (["各乡镇", "县农业农村局"], [], "2025-04-30", "完成高标准农田建设2万亩"),
        (["县委办", "县政府办"], ["县督查室"], None, "对各项任务实行清单化管理"),
    ]
    # The decision list ends at the first line that is not an item: its items head
    # nothing after it.
    assert [p.heading for p in found[2:]] == [[], []]
    assert [(t["subject"], t["value"], t["unit"]) for t in found[2].targets] == [
        ("高标准农田建设", "2", "万亩")]


def test_an_item_of_a_decision_list_needs_no_cue():
    text = "会议议定：\n1.城关镇做好征地拆迁。\n2.县财政局筹措资金。\n"
    _normal, found = propose(text, MEETING, REGISTRY, home="东山县")
    assert [(p.lead_units, p.topic) for p in found] == [
        (["城关镇"], "做好征地拆迁"), (["东山县财政局"], "筹措资金")]
    _normal, found = propose("1.县财政局筹措资金。\n", MEETING, REGISTRY, home="东山县")
    assert found == []


def test_one_sentence():
    sentence = "县住建局要在6月底前完成老旧小区改造26个，县财政局配合。"
    p = candidate(sentence, 100, MEETING, REGISTRY, ["一、抓城建"], EAST)
    assert (p.start, p.end, p.heading) == (100, 100 + len(sentence), ["一、抓城建"])
    assert (p.lead_units, p.co_units, p.deadline, p.deadline_text) == (
        ["县住建局"], ["东山县财政局"], "2025-06-30", "6月底前")
    assert p.topic == "完成老旧小区改造26个"
    assert [(t["text"], t["subject"]) for t in p.targets] == [
        ("完成老旧小区改造26个", "老旧小区改造")]
    assert [(u["text"], u["role"], u["unit"]) for u in p.units] == [
        ("县住建局", "lead", None), ("县财政局", "co", "东山县财政局")]
    assert candidate("同志们，要坚定信心。", 0, MEETING, REGISTRY, [], EAST) is None
    # An exhortation is no task unless it names a unit.
    assert candidate("希望大家加快推进项目建设。", 0, MEETING, REGISTRY, [], EAST) is None
    assert candidate("希望县住建局加快推进项目建设。", 0, MEETING, REGISTRY, [], EAST
                     ).lead_units == ["县住建局"]
    assert candidate("各乡镇汇报了进度。", 0, MEETING, REGISTRY, [], EAST) is None


def test_a_unit_in_a_fact_or_an_object_is_no_party():
    p = candidate("县住建局通报了进度，要求各乡镇加快。", 0, MEETING, REGISTRY, [], EAST)
    assert (p.lead_units, p.co_units) == (["各乡镇"], [])
    p = candidate("各乡镇要按照县委关于防汛的部署，做好巡查。", 0, MEETING, REGISTRY, [], EAST)
    assert (p.lead_units, p.co_units) == (["各乡镇"], [])


def one(sentence, **kw):
    return candidate(sentence, 0, MEETING, REGISTRY, [], EAST, **kw)


def test_an_item_or_a_title_by_default_is_neither():
    assert one("县财政局筹措资金。") is None
    assert one("县财政局筹措资金。", item=True).lead_units == ["东山县财政局"]
    assert one("关于加快推进重点项目建设的通知").topic == "加快推进重点项目建设的通知"
    assert one("关于加快推进重点项目建设的通知", whole_line=True) is None


@pytest.mark.parametrize(("sentence", "topic"), [
    ("请县住建局在月底前完成排查整治。", "完成排查整治"),
    ("各乡镇要组织力量在月底前完成排查。", "组织力量完成排查"),
    ("县财政局要于4月15日前拨付到位。", "拨付到位"),
    # A deadline before the cue leaves the topic whole.
    ("6月底前，各乡镇要全面完成农村人居环境整治。", "完成农村人居环境整治"),
    ("在年底前，县财政局要加快资金拨付。", "加快资金拨付"),
    ("由县住建局牵头负责，做好竣工验收工作。", "做好竣工验收工作"),
    ("县财政局要积极配合，保障项目资金。", "保障项目资金"),
    # Facts and words that direct nobody come before the cue: the topic is still read
    # from the cue.
    ("在项目建设方面，县住建局通报了进度，要求各乡镇月底前完成整改。", "完成整改"),
    ("对这项重要工作，县住建局要抓紧推进征地拆迁。", "推进征地拆迁"),
    ("会议同意县住建局提交的《老旧小区改造实施方案》，请县政府办按程序印发。",
     "提交的《老旧小区改造实施方案》"),
])
def test_topics(sentence, topic):
    assert one(sentence).topic == topic


@pytest.mark.parametrize(("sentence", "milestones"), [
    ("6月底前完成主体工程，确保年底前投用。",
     [("2025-06-30", "6月底前", "6月底前完成主体工程"), ("2025-12-31", "年底前", "年底前投用")]),
    ("县住建局要在6月底前完成征地和9月底前开工建设。",
     [("2025-06-30", "6月底前", "6月底前完成征地"), ("2025-09-30", "9月底前", "9月底前开工建设")]),
    ("从4月起，县财政局要于每月5日前报送拨付进度。",
     [("2025-04-05", "每月5日前", "每月5日前报送拨付进度")]),
])
def test_milestones(sentence, milestones):
    p = one(sentence)
    assert not p.deadline_estimated
    got = p.milestones
    assert [(m["deadline"], m["deadline_text"], m["text"]) for m in got] == milestones


def test_the_units_of_a_proposal():
    p = one("县住建局、统计局牵头，各乡镇、县财政局配合。")
    assert [(u["text"], u["role"], u["unit"], u["collective"], u["candidates"])
            for u in p.units] == [
        ("县住建局", "lead", None, False, []),
        ("统计局", "lead", None, False, ["青川市统计局"]),
        ("各乡镇", "co", None, True, []),
        ("县财政局", "co", "东山县财政局", False, []),
    ]
    assert not p.deadline_estimated and p.deadline_note == ""


def propose_text(text):
    return propose(text, MEETING, REGISTRY, home="东山县")[1]


def test_a_title_line_with_a_cue_is_no_task():
    found = propose_text("关于加快推进重点项目建设的通知\n各乡镇要在月底前完成排查。\n")
    assert [p.sentence for p in found] == ["各乡镇要在月底前完成排查。"]


def test_a_heading_ending_with_a_colon_is_context():
    found = propose_text("（三）狠抓安全生产：\n各乡镇要在月底前完成排查。\n")
    assert [(p.sentence, p.heading) for p in found] == [
        ("各乡镇要在月底前完成排查。", ["（三）狠抓安全生产"])]


@pytest.mark.parametrize("colon", ["：", ":"])
def test_a_yishi_heading_ending_with_a_colon_heads_the_next_line(colon):
    found = propose_text(f"二、抓城建\n一是抓开工{colon}\n县住建局要加快开工。\n")
    assert [p.heading for p in found] == [["二、抓城建", "一是抓开工"]]
    found = propose_text("二、抓城建\n一是抓开工。\n县住建局要加快开工。\n")
    assert [p.heading for p in found] == [["二、抓城建"]]


def test_a_numbered_item_stating_work_needs_no_cue():
    found = propose_text("1.县财政局筹措资金，保障征地。\n")
    assert [(p.lead_units, p.topic) for p in found] == [(["东山县财政局"], "筹措资金")]


def test_after_a_decision_list_numbered_headings_are_headings_again():
    text = "会议议定：\n1.城关镇做好征地拆迁。\n下面，我讲三点意见。\n1.关于春耕生产\n"
    assert [p.lead_units for p in propose_text(text)] == [["城关镇"]]
