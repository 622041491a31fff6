"""Speech decomposition, the parts :mod:`jiangping.tasks.proposals` puts together: roles,
clauses, topics, milestones, the decision list, the heading path, and the edges that
mutation testing found untested."""

import datetime as dt

import pytest

from jiangping.tasks import speechunits, unitresolve
from jiangping.tasks.tests.test_speech_modules import CITY, EAST, REGISTRY
from jiangping.tasks.unitresolve import Gazetteer, Home, Mention, UnitEntry

# proposals: roles, clauses, topics, the decision list and the heading path

ROLES = [
    ("由县财政局牵头，县住建局配合", [("县财政局", "lead"), ("县住建局", "co")]),
    ("县财政局配合县住建局做好", [("县财政局", "co"), ("县住建局", "lead")]),
    ("县财政局要会同县住建局做好", [("县财政局", "lead"), ("县住建局", "co")]),
    ("县财政局、县住建局等部门要分工协作", [("县财政局", "lead"), ("县住建局", "lead")]),
    ("市委、市政府高度重视，县财政局要加快", [("县财政局", "lead")]),
    ("县财政局负责，报县委审定", [("县财政局", "lead")]),
    ("县财政局督促县住建局", [("县财政局", "lead"), ("县住建局", "co")]),
    ("县财政局和县住建局", [("县财政局", "lead"), ("县住建局", "lead")]),
    ("牵头单位：县财政局；配合单位：县住建局、县发改局",
     [("县财政局", "lead"), ("县住建局", "co"), ("县发改局", "co")]),
    ("县财政局配合，县住建局要加强", [("县财政局", "co"), ("县住建局", "lead")]),
    ("县财政局配合", [("县财政局", "co")]),
    ("县财政局要配合县住建局，县住建局负责", [("县财政局", "co"), ("县住建局", "lead")]),
]


@pytest.mark.parametrize(("sentence", "expected"), ROLES)
def test_roles(sentence, expected):
    from jiangping.tasks.proposals import assign_roles

    mentions = speechunits.find_mentions(sentence, Gazetteer.build([]))
    assert [(m.text, role) for m, role in assign_roles(sentence, mentions)] == expected


def test_clauses_topics_and_milestones():
    from jiangping.tasks.proposals import Due, clause_at, milestone_text, topic_of

    assert (clause_at("甲，乙丙；丁", 3), clause_at("甲乙", 0), clause_at("甲，乙。丙", 2)) == \
        ("乙丙", "甲乙", "乙")
    assert topic_of("县财政局要在年底前加快资金拨付，确保到位。", 5, [(0, 4)], [(6, 9)]) == \
        "加快资金拨付"
    assert topic_of("要牵头，负责。", 0, [], []) == ""
    assert topic_of("要抓好" + "项" * 30 + "。", 1, [], []) == "抓好" + "项" * 22
    sentence = "6月底前开工、12月底前完工，年底前投用"
    due = [Due(0, 4, "6月底前", None), Due(7, 12, "12月底前", None), Due(15, 18, "年底前", None)]
    assert [milestone_text(sentence, due, n) for n in range(3)] == [
        "6月底前开工", "12月底前完工", "年底前投用"]


def propose_all(text, home="东山县"):
    from jiangping.tasks.proposals import propose

    return propose(text, dt.date(2025, 3, 10), REGISTRY, home=home)[1]


def test_a_decision_list_ends_with_its_items():
    text = "会议议定：\n1.县财政局筹措资金。\n2.城关镇做好征地。\n县住建局情况良好。\n"
    assert [p.lead_units for p in propose_all(text)] == [["东山县财政局"], ["城关镇"]]
    text = "会议议定：\n1.筹措资金。\n"
    [p] = propose_all(text)
    assert p.needs_unit and p.lead_units == [] and p.topic == "筹措资金"


def test_a_yishi_heading_lasts_to_the_end_of_its_paragraph():
    text = "一、抓项目\n一是抓开工。县住建局要加快。\n县财政局要加快。\n"
    assert [p.heading for p in propose_all(text)] == [["一、抓项目", "一是抓开工"], ["一、抓项目"]]


def test_a_pure_heading_naming_a_unit_is_a_task():
    [p] = propose_all("（一）县财政局牵头抓开工。\n")
    assert p.lead_units == ["东山县财政局"] and p.heading == []


def test_a_sentence_filling_its_line_may_be_a_title():
    assert propose_all("关于做好春耕生产工作的通知\n") == []
    assert propose_all("县住建局要做好工作的通知\n") == []
    assert len(propose_all("县住建局要做好工作的通知。\n")) == 1


def test_a_unit_above_the_city_is_written_whole_and_never_ours():
    sentence = "争取省交通运输厅支持，县财政局要加快"
    [upper, ours] = speechunits.find_mentions(sentence, REGISTRY, EAST)
    assert (upper.text, upper.start, upper.level, upper.unit, upper.candidates) == (
        "省交通运输厅", 2, "", None, [])
    assert ours.unit == "东山县财政局"
    [p] = propose_all("争取省交通运输厅支持，县财政局要加快拨付。")
    assert (p.lead_units, p.co_units) == (["东山县财政局"], [])
    assert [m.text for m in speechunits.find_mentions("全省统计局", REGISTRY, CITY)] == ["统计局"]


# mutants: public names, tables and edges


@pytest.mark.parametrize("module", ["proposals", "speechunits"])
def test_public_names_exist(module):
    import importlib

    loaded = importlib.import_module(f"jiangping.tasks.{module}")
    assert all(hasattr(loaded, name) for name in loaded.__all__)


@pytest.mark.parametrize(("long", "short"), [
    ("县发展和改革委员会", "县发改委"),
    ("市发展改革委员会", "市发改委"),
    ("市发展和改革委", "市发改委"),
    ("市发展改革委", "市发改委"),
    ("县发展和改革局", "县发改局"),
    ("县发展改革局", "县发改局"),
    ("县住房城乡建设局", "县住建局"),
    ("县人力资源和社会保障局", "县人社局"),
    ("县人力资源社会保障局", "县人社局"),
    ("市卫生健康委员会", "市卫健委"),
    ("市卫生健康委", "市卫健委"),
    ("县卫生健康局", "县卫健局"),
    ("县工业和信息化局", "县工信局"),
    ("县市场监督管理局", "县市场监管局"),
    ("县文化和旅游局", "县文旅局"),
    ("县文化广电和旅游局", "县文广旅局"),
    ("县医疗保障局", "县医保局"),
    ("县退役军人事务局", "县退役军人局"),
    ("县应急管理局", "县应急局"),
    ("县交通运输局", "县交通局"),
    ("市生态环境局", "市环境局"),
    ("市国有资产监督管理委员会", "市国资委"),
    ("县编制委员会", "县编制委"),
    ("县政府办公室", "县政府办"),
    ("县农业农村局", "县农业农村局"),
])
def test_short_organs(long, short):
    assert unitresolve.short_organ(long) == short


def test_a_long_name_resolves_to_its_short_registered_form():
    g = Gazetteer.build([UnitEntry("青川市", "", "", "city"),
                         UnitEntry("青川市人社局", "", "", "department")])
    [m] = speechunits.find_mentions("市人力资源和社会保障局要", g, CITY)
    assert m.unit == "青川市人社局"


def test_estimated_deadlines_are_noted(monkeypatch):
    from jiangping.tasks import proposals

    class Estimated:
        start, end, text, date, estimated = 6, 13, "15个工作日内", dt.date(2028, 1, 10), True

    monkeypatch.setattr(proposals, "all_deadlines", lambda *a: [Estimated()])
    [p] = propose_all("县财政局要在15个工作日内完成拨付。")
    assert p.deadline_estimated and p.deadline_note == "节假日安排未公布，暂按双休日计算"
    assert p.deadline == "2028-01-10" and p.deadline_text == "15个工作日内"


@pytest.mark.parametrize(("sentence", "meeting", "date"), [
    ("每月29日前报送", (2025, 3, 1), None),
    ("每月1日前报送", (2025, 3, 1), (2025, 3, 1)),
    ("从12月起每月5日前报送", (2025, 3, 1), (2025, 12, 5)),
    ("从1月起每月5日前报送", (2025, 3, 10), (2025, 4, 5)),
    ("从0月起每月5日前报送", (2025, 3, 1), (2025, 3, 5)),
    ("每月0日前报送", (2025, 3, 1), None),
])
def test_month_days_at_their_edges(sentence, meeting, date):
    from jiangping.tasks.proposals import other_deadlines

    [d] = other_deadlines(sentence, dt.date(*meeting))
    assert d.date == (dt.date(*date) if date else None)


def test_adjacent_deadlines_both_count():
    from jiangping.tasks.proposals import all_deadlines

    got = all_deadlines("年底前10天内", dt.date(2025, 3, 10))
    assert [d.text for d in got] == ["年底前", "10天内"]


def test_candidates_order_and_cutoff():
    g = Gazetteer.build([UnitEntry("青川市", "", "", "city"),
                         UnitEntry("青川市财政局", "", "", "department"),
                         UnitEntry("东山县财政局", "", "", "department", "东山县"),
                         UnitEntry("西河区财政局", "", "", "department", "西河区"),
                         UnitEntry("东山县财政所", "", "", "department", "东山县")])
    mention = Mention(0, 4, "县财政局", level="county")
    unitresolve.resolve(mention, g, Home("东山县", "county"))
    assert mention.unit == "东山县财政局"
    mention = Mention(0, 4, "县财政局", level="county")
    unitresolve.resolve(mention, g, Home("南岭县", "county"))
    assert mention.candidates == ["东山县财政局", "西河区财政局", "东山县财政所", "青川市财政局"]
    mention = Mention(0, 4, "市财政所", level="city")
    unitresolve.resolve(mention, g, CITY)
    assert mention.candidates[0] == "青川市财政局"
