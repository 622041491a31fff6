"""Speech → tasks on the forms of real speeches, minutes (会议纪要) and supervision
bulletins (督查通报): units as written and at their level, what is (not) a task, sentence
splitting. Each case is a sentence form quoted from a real text's genre."""

import datetime as dt

import pytest

from jiangping.tasks.proposals import Gazetteer, UnitEntry, propose
from jiangping.textkit.clean import clean, to_simplified

D = dt.date
MEETING = D(2025, 3, 10)
REGISTRY = Gazetteer.build([
    UnitEntry("青川市", "", "", "city"),
    UnitEntry("青川市财政局", "市财政局", "", "department"),
    UnitEntry("青川市住房和城乡建设局", "市住建局", "", "department"),
    UnitEntry("青川市自然资源局", "市自然资源局", "", "department"),
    UnitEntry("东山县", "东山", "", "county"),
    UnitEntry("西河区", "西河", "", "county"),
    UnitEntry("东山县住房和城乡建设局", "", "", "department", "东山县"),
    UnitEntry("东山县财政局", "", "", "department", "东山县"),
    UnitEntry("西河区财政局", "", "", "department", "西河区"),
    UnitEntry("城关镇", "", "", "township", "东山县"),
])


def one(text, home=None, meeting=MEETING, gazetteer=REGISTRY):
    _normal, proposals = propose(text, meeting, gazetteer, home=home)
    assert len(proposals) == 1, [p.sentence for p in proposals]
    return proposals[0]


def units(p):
    return [(u["text"], u["role"], u["level"], u["unit"]) for u in p.units]


# §1 Units as they are written, at their level.

@pytest.mark.parametrize("name", ["县国土资源局", "县工业园区管委会", "县脱贫攻坚办"])
def test_an_unregistered_county_unit_is_kept_as_written(name):
    p = one(f"{name}要在6月底前完成土地报批。", home="东山县")
    assert p.lead_units == [name] and not p.needs_unit
    assert units(p) == [(name, "lead", "county", None)]


def test_an_unregistered_zone_without_prefix_is_the_homes():
    p = one("工业园区管委会负责做好企业服务。", home="东山县")
    assert units(p) == [("工业园区管委会", "lead", "county", None)]


def test_an_unregistered_city_unit_with_a_long_name():
    p = one("市自然资源和规划局要加快用地审批。")
    assert units(p) == [("市自然资源和规划局", "lead", "city", None)]
    assert p.units[0]["candidates"][0] == "青川市自然资源局"


def test_a_county_unit_is_not_the_city_unit_of_the_same_name():
    p = one("县财政局要加快资金拨付。", home="青川市")
    assert p.lead_units == ["县财政局"] and p.units[0]["unit"] is None
    assert set(p.units[0]["candidates"][:2]) == {"东山县财政局", "西河区财政局"}
    assert "青川市财政局" in p.units[0]["candidates"]


def test_a_county_unit_in_a_countys_text_is_that_countys():
    p = one("县财政局要加快资金拨付。", home="东山县")
    assert p.lead_units == ["东山县财政局"]
    assert units(p) == [("县财政局", "lead", "county", "东山县财政局")]


def test_a_bare_organ_resolves_at_the_homes_level():
    county = one("住建局要加快保障房建设。", home="东山县")
    city = one("住建局要加快保障房建设。", home="青川市")
    assert county.lead_units == ["东山县住房和城乡建设局"]
    assert city.lead_units == ["青川市住房和城乡建设局"]


def test_a_county_text_is_recognised_without_home():
    text = "东山县政府常务会议纪要\n住建局要加快保障房建设。全县上下要抓好落实。"
    _normal, proposals = propose(text, MEETING, REGISTRY)
    assert proposals[0].lead_units == ["东山县住房和城乡建设局"]


def test_a_bare_organ_of_another_level_is_unresolved_with_candidates():
    p = one("住建局要加快保障房建设。", home="西河区")
    assert p.units[0]["unit"] is None and p.units[0]["level"] == "county"
    assert p.units[0]["candidates"][:1] == ["东山县住房和城乡建设局"]


def test_a_place_before_an_organ_names_its_county():
    p = one("东山县住建局要加快保障房建设。", home="青川市")
    assert units(p) == [("东山县住建局", "lead", "county", "东山县住房和城乡建设局")]


@pytest.mark.parametrize(("written", "level"), [
    ("各镇", "township"), ("各乡镇", "township"), ("各县(市)、区", "county"),
    ("各县（市、区）", "county"), ("各开发区", ""), ("县直各部门", "county"),
    ("相关部门", "county"), ("市直各部门", "city"),
])
def test_collective_forms(written, level):
    p = one(f"{written}要在年底前完成排查整治。", home="东山县")
    [u] = p.units
    assert (u["text"], u["collective"], u["unit"], u["candidates"]) == (written, True, None, [])
    assert p.lead_units == [written]
    if level:
        assert u["level"] == level


def test_two_units_sharing_one_suffix():
    p = one("国土、住建部门要加强联合执法。", home="东山县")
    assert p.lead_units == ["国土部门", "住建部门"]
    assert [(u["start"], u["end"]) for u in p.units] == [(0, 2), (3, 7)]


def test_an_unregistered_lead_keeps_the_co_units_co():
    p = one("由县工业园区管委会牵头，县财政局、县自然资源局配合，6月底前完成。", home="东山县")
    assert p.lead_units == ["县工业园区管委会"]
    assert p.co_units == ["东山县财政局", "县自然资源局"]


def test_parallel_units_before_one_directive_all_lead():
    p = one("县发改局、县财政局、县住建局、县自然资源局、县交通运输局等部门要分工协作，"
            "合力推进项目建设。", home="东山县")
    assert len(p.lead_units) == 5 and p.co_units == []


def test_a_bare_organ_listed_after_a_prefixed_one_takes_its_level():
    p = one("县住建局、财政局要做好资金保障。", home="青川市")
    assert [u["level"] for u in p.units] == ["county", "county"]


def test_an_addressee_is_no_party():
    p = one("县住建局要抓紧完善方案，报县委审定。", home="东山县")
    assert [u["text"] for u in p.units] == ["县住建局"]


# §2 What is a task.

@pytest.mark.parametrize("heading", ["一要加快项目开工。", "三要抓好资金筹措。"])
def test_a_short_heading_is_context_not_a_task(heading):
    text = f"{heading}县住建局要在6月底前完成审批。\n"
    p = one(text, home="东山县")
    assert p.heading == [heading.rstrip("。")] and p.sentence.startswith("县住建局")


def test_an_exhortation_is_no_task():
    text = "希望大家以只争朝夕的精神，确保全年目标任务圆满完成。"
    assert propose(text, MEETING, REGISTRY)[1] == []


@pytest.mark.parametrize("sentence", [
    "县住建局、县财政局主要负责同志参加了会议。",
    "各乡镇与县政府签订了目标责任书。",
    "截至目前，县住建局负责的5个项目开工2个，未开工3个。",
    "市发改委通报了一季度重点项目推进情况。",
    "今年以来，县财政局切实加强收入征管，收入增长6%。",
])
def test_narrative_naming_a_unit_is_no_task(sentence):
    assert propose(sentence, MEETING, REGISTRY, home="东山县")[1] == [], sentence


def test_a_situation_clause_gives_no_deadline():
    p = one("针对上半年全县固定资产投资增速偏低的严峻形势，县发改局要加强调度。",
            home="东山县")
    assert p.deadline is None and p.milestones == [] and p.lead_units == ["县发改局"]


def test_a_minute_approving_a_draft_is_a_task_for_its_drafter():
    p = one("会议同意县住建局拟定的《城区老旧小区改造方案》，修改完善后报县委审定。",
            home="东山县")
    assert p.lead_units == ["东山县住房和城乡建设局"] and p.co_units == []


def test_a_minute_requirement_is_a_task():
    p = one("会议要求，县财政局在15个工作日内完成资金拨付。", home="东山县")
    assert p.lead_units == ["东山县财政局"] and p.deadline_text == "15个工作日内"


def test_each_decided_item_is_a_task_for_the_unit_it_names():
    text = ("会议议定：1.县住建局负责城区道路改造，6月底前开工。"
            "2.县财政局筹措配套资金5000万元。3.城关镇做好征地拆迁。\n")
    _normal, proposals = propose(text, MEETING, REGISTRY, home="东山县")
    assert [p.lead_units for p in proposals] == [
        ["东山县住房和城乡建设局"], ["东山县财政局"], ["城关镇"]]
    assert proposals[1].targets[0]["subject"] == "筹措配套资金"


@pytest.mark.parametrize(("sentence", "dates", "clauses"), [
    ("县民政局要在9月底前完成补贴资金审核上报，10月底前全部发放到位。",
     ["2025-09-30", "2025-10-31"], ["9月底前完成补贴资金审核上报", "10月底前全部发放到位"]),
    ("县住建局要确保项目6月底前开工、12月底前完工。",
     ["2025-06-30", "2025-12-31"], ["6月底前开工", "12月底前完工"]),
])
def test_every_deadline_is_a_milestone(sentence, dates, clauses):
    p = one(sentence, home="东山县")
    assert [m["deadline"] for m in p.milestones] == dates
    assert [m["text"] for m in p.milestones] == clauses
    assert p.deadline == dates[0]


def test_defaults_of_the_new_fields():
    p = one("县财政局要加快资金拨付。", home="东山县")
    assert (p.milestones, p.deadline_estimated, p.deadline_note) == ([], False, "")


@pytest.mark.parametrize(("sentence", "subject", "value", "unit"), [
    ("市生态环境局要确保PM10环比下降X%。", "PM10", None, "%"),
    ("市财政局要确保一般公共预算收入增长6%。", "一般公共预算收入", "6", "%"),
    ("市商务局要至少签约亿元以上项目3个。", "亿元以上项目", "3", "个"),
    ("县自然资源局要在6月底前报征土地1135亩。", "报征土地", "1135", "亩"),
    ("县住建局要改造老旧小区12个。", "老旧小区", "12", "个"),
    ("县交通局要新建农村公路35公里。", "农村公路", "35", "公里"),
])
def test_a_target_keeps_its_subject_and_measure(sentence, subject, value, unit):
    p = one(sentence, home="东山县")
    [t] = p.targets
    assert (t["subject"], t["value"], t["unit"]) == (subject, value, unit)


# §3 Text before extraction.

def test_a_closing_quote_belongs_to_its_sentence():
    text = "县住建局要落实“一项目一专班。”县财政局要加快拨付。"
    _normal, proposals = propose(text, MEETING, REGISTRY, home="东山县")
    assert [p.sentence for p in proposals] == ["县住建局要落实“一项目一专班。”",
                                               "县财政局要加快拨付。"]


@pytest.mark.parametrize("marker", ["1.", "（1）", "①"])
def test_numbered_items_restart_the_heading_context(marker):
    second = marker.replace("1", "2").replace("①", "②")
    text = (f"二、抓好城建\n{marker}抓项目。县住建局要加快开工。"
            f"{second}抓资金。县财政局要加快拨付。\n")
    _normal, proposals = propose(text, MEETING, REGISTRY, home="东山县")
    assert [p.heading for p in proposals] == [["二、抓好城建", f"{marker}抓项目"],
                                              ["二、抓好城建", f"{second}抓资金"]]


def test_yishi_erhshi_in_one_sentence_are_two_items():
    text = "一是县住建局要加快开工，二是县财政局要加快拨付。"
    _normal, proposals = propose(text, MEETING, REGISTRY, home="东山县")
    assert [p.lead_units for p in proposals] == [["东山县住房和城乡建设局"], ["东山县财政局"]]


@pytest.mark.parametrize(("traditional", "simplified"), [
    ("著力推進", "着力推进"), ("圍繞著目標", "围绕着目标"), ("緊盯著問題", "紧盯着问题"),
    ("著作權", "著作权"), ("成效顯著", "成效显著"), ("著名企業", "著名企业"),
])
def test_zhu_becomes_zhe_outside_its_own_words(traditional, simplified):
    assert to_simplified(traditional) == simplified
    assert clean(traditional).text == simplified


def test_a_traditional_sentence_with_zhuoli_is_proposed():
    p = one("縣住建局要著力解決群眾住房困難。", home="东山县")
    assert p.sentence == "县住建局要着力解决群众住房困难。"
