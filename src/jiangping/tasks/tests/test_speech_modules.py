"""The pure modules of speech decomposition, function by function: sentences, directives,
targets, unit forms and their resolution."""

import datetime as dt

import pytest

from jiangping.tasks import directives, sentences, speechunits, targets, unitresolve
from jiangping.tasks.unitresolve import Gazetteer, Home, Mention, UnitEntry

# sentences


@pytest.mark.parametrize(("text", "expected"), [
    ("县住建局要落实“一项目一专班。”县财政局要加快。",
     ["县住建局要落实“一项目一专班。”", "县财政局要加快。"]),
    ("甲要做（一；二）好。乙要做。", ["甲要做（一；二）好。", "乙要做。"]),
    ("加快建设。(牵头单位：市经贸委；配合单位：市发改委)\n(牵头单位：甲局)",
     ["加快建设。(牵头单位：市经贸委；配合单位：市发改委)", "(牵头单位：甲局)"]),
    ("会议议定：1.甲局负责。2.乙局负责。", ["会议议定：", "1.甲局负责。", "2.乙局负责。"]),
    ("一是甲要做，二是乙要做，一是否", ["一是甲要做，", "二是乙要做，一是否"]),
    ("做好。（1）甲；② 乙", ["做好。", "（1）甲；", "② 乙"]),
    ("增长3.5%。再说", ["增长3.5%。", "再说"]),
    ("  \n。。\n空 ", ["空"]),
    ("甲！乙？丙;丁", ["甲！", "乙？", "丙;", "丁"]),
])
def test_split_sentences(text, expected):
    assert [text[a:b] for a, b in sentences.split_sentences(text)] == expected


@pytest.mark.parametrize(("text", "at", "expected"), [
    ("ab\ncd", 3, True), ("ab：cd", 3, True), ("ab:cd", 3, True), ("abcd", 2, False),
    ("abcd", 0, True), ("ab\n  cd", 5, True), ("ab。cd", 3, False),
])
def test_starts_line(text, at, expected):
    assert sentences.starts_line(text, at) is expected


@pytest.mark.parametrize(("sentence", "line_start", "expected", "marker"), [
    ("一、抓项目，要", True, (1, "一、抓项目"), 2),
    ("一、抓项目", False, None, 2),
    ("（一）抓项目：甲", True, (2, "（一）抓项目"), 3),
    ("(二)抓", True, (2, "(二)抓"), 3),
    ("1.抓项目，乙", False, (3, "1.抓项目"), 2),
    ("1.5亿元", True, None, 0),
    ("（1）抓", False, (4, "（1）抓"), 3),
    ("①抓", False, (4, "①抓"), 1),
    ("一是抓，乙", False, (5, "一是抓"), 2),
    ("一是否", False, None, 0),
    ("三要抓好。", False, (5, "三要抓好"), 2),
    ("十二要抓", False, (5, "十二要抓"), 3),
    ("抓项目", True, None, 0),
])
def test_headings_and_markers(sentence, line_start, expected, marker):
    assert sentences.heading_of(sentence, line_start) == expected
    assert sentences.marker_end(sentence) == marker


# directives


@pytest.mark.parametrize(("sentence", "kw", "cue"), [
    ("关于印发工作事项的通知", {"whole_line": True}, None),
    ("关于印发工作事项的通知，市财政局要加快", {"whole_line": True}, "要"),
    ("现将《方案》印发给你们，请认真贯彻落实。", {}, None),
    ("附件：情况表，要加快", {}, None),
    ("会议议定：", {}, None),
    ("市发改委通报了情况，要求各县加快进度。", {}, "要求"),
    ("市发改委通报了情况，各县加快进度。", {}, None),
    ("截至目前，县住建局负责开工。", {}, None),
    ("今年以来，各县要加快。", {}, "要"),
    ("会议提出了“确保完成”要求。", {}, None),
    ("会议原则同意启动实施A项目。", {}, None),
    ("会议原则同意A项目，请县住建局抓紧实施。", {}, "会议原则同意"),
    ("会议同意县住建局拟定的《方案》。", {}, "会议同意"),
    ("各部门要高度重视，亲自抓、负总责。", {}, None),
    ("各部门要高度重视，加强隐患排查。", {}, "要"),
    ("市财政局要加快拨付。", {}, "要"),
    ("主要是重要的。", {}, None),
    ("会议要求，各县抓好春耕。", {}, "要求"),
    ("务于每月前报送。", {}, "务于"),
    ("县住建局负责的项目开工了。", {}, None),
])
def test_directive_cue(sentence, kw, cue):
    found = directives.directive(sentence, **kw)
    assert (None if found is None else found.cue.group()) == cue if cue else found is None


def test_an_item_needs_no_cue_but_not_a_fact():
    assert directives.directive("四是加强困难户帮扶，落实救助。") is None
    item = directives.directive("四是加强困难户帮扶，落实救助。", item=True)
    assert item.cue is None and item.facts == []
    assert directives.directive("各乡镇汇报了进度。", item=True) is None


def test_narrative_clauses_and_live_offsets():
    sentence = "刚才，市统计局通报了情况，各县作了表态发言，我都同意。"
    assert directives.narrative_spans(sentence) == [(3, 12), (13, 21)]
    found = directives.Directive(None, [(3, 12)])
    assert not found.live(3) and not found.live(11) and found.live(12) and found.live(2)


def test_generic_clauses():
    assert directives.is_generic("要高度重视，亲自抓。", 1)
    assert not directives.is_generic("要高度重视，加强排查。", 1)
    assert not directives.is_generic("要。", 1)


# targets


def t(sentence, blanks=()):
    return [(x["text"], x["subject"], x["verb"], x["value"], x["unit"], x["placeholder"])
            for x in targets.find_targets(sentence, list(blanks))]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("下降两个百分点", [("下降两个百分点", "", "下降", "两", "个百分点", False)]),
    ("两个百分点", []),
    ("新增3万", [("新增3万", "", "新增", "3", "万", False)]),
    ("储备3万", []),
    ("新增3万人", [("新增3万人", "", "新增", "3", "万人", False)]),
    ("无法完成8项", []),
    ("建设80万吨乙烯项目", []),
    ("建设80万吨，", [("建设80万吨", "建设", "", "80", "万吨", False)]),
    ("新建农村公路35公里，", [("新建农村公路35公里", "农村公路", "新建", "35", "公里", False)]),
    ("建成12所学校，确保", [("建成12所", "学校", "建成", "12", "所", False)]),
    ("第3批项目5个", [("第3批项目5个", "第3批项目", "", "5", "个", False)]),
    ("5个工作日", []),
    ("X个", []),
    ("储备项目Ｘ个、×个", [("储备项目Ｘ个", "储备项目", "", None, "个", True)]),
    ("GDP增长6.5%以上", [("GDP增长6.5%", "GDP", "增长", "6.5", "%", False)]),
    ("较上年同比增长5%", [("增长5%", "", "增长", "5", "%", False)]),
    ("全年至少新增就业1.2万人", [("新增就业1.2万人", "就业", "新增", "1.2", "万人", False)]),
    ("1-11月产值增长5%", [("产值增长5%", "产值", "增长", "5", "%", False)]),
    ("开工率达到95%", [("开工率达到95%", "开工率", "达到", "95", "%", False)]),
    ("新开工亿元以上项目不少于X个",
     [("新开工亿元以上项目不少于X个", "亿元以上项目", "不少于", None, "个", True)]),
    ("完成签约项目x个", [("完成签约项目x个", "签约项目", "完成", None, "个", True)]),
    ("PM2.5浓度同比下降3%", [("PM2.5浓度同比下降3%", "PM2.5浓度", "下降", "3", "%", False)]),
    ("确保全市规上工业增加值增长8%",
     [("规上工业增加值增长8%", "规上工业增加值", "增长", "8", "%", False)]),
])
def test_targets(sentence, expected):
    assert t(sentence) == expected


def test_a_target_does_not_reach_back_across_a_blank():
    assert t("年底前储备项目X个", [(0, 3)])[0][1] == "储备项目"
    assert t("年底前储备项目X个", [(5, 9)]) == []
    assert t("东山县新增就业3000人", [(0, 3)])[0][1] == "就业"


# unit registry and resolution

REGISTRY = Gazetteer.build([
    UnitEntry("青川市", "", "", "city"),
    UnitEntry("青川市统计局", "市统计局", "统计局", "department"),
    UnitEntry("青川市财政局", "市财政局", "", "department"),
    UnitEntry("东山县", "东山", "", "county"),
    UnitEntry("西河区", "西河", "", "county"),
    UnitEntry("东山县财政局", "", "县国土资源局", "department", "东山县"),
    UnitEntry("西河区财政局", "", "", "department", "西河区"),
], synonyms={"市统计部门": "市统计局"})


def test_levels_and_short_forms():
    assert [unitresolve.level_of_name(n) for n in
            ["青川市统计局", "东山县", "西河区", "城关镇", "河口乡", "财政局"]] == \
        ["city", "county", "county", "township", "township", ""]
    assert [unitresolve.short_organ(n) for n in
            ["县住房和城乡建设局", "发展和改革委员会", "市委员会", "财政局"]] == \
        ["县住建局", "发改委", "市委", "财政局"]


def test_unit_entries():
    entry = UnitEntry("东山县财政局", "县财政局", "财政局,东山财政 ,x", "department", "东山县")
    assert entry.rank == "county"
    assert entry.forms() == ["东山县财政局", "县财政局", "财政局", "东山财政"]
    assert UnitEntry("青川市统计局").rank == "city"
    assert UnitEntry("甲", "", "", "department").rank == "city"
    assert UnitEntry("城关镇", "", "", "township").rank == "township"
    assert UnitEntry("河口镇", "", "", "village").rank == "township"


def test_gazetteer():
    g = Gazetteer.build([("青川市统计局", "市统计局", "统计局"), UnitEntry("东山县", "东山")],
                        synonyms={"市统计部门": "市统计局"})
    assert g.names == {"青川市统计局": "青川市统计局", "市统计局": "青川市统计局",
                       "统计局": "青川市统计局", "东山县": "东山县", "东山": "东山县"}
    assert g.canonical("市统计部门") == "青川市统计局" and g.canonical("统计局") == "青川市统计局"
    assert g.canonical("市发展改革委") == "市发改委" and g.canonical("无名") == "无名"
    assert g.entry("东山县").short_name == "东山" and g.entry("无") is None
    assert g.pattern().match("市住房和城乡建设局").group() == "市住房和城乡建设局"
    assert [e.name for e in REGISTRY.places()] == ["青川市", "东山县", "西河区"]


def test_home():
    home = unitresolve.infer_home
    assert unitresolve.infer_home("", REGISTRY, "东山县") == Home("东山县", "county")
    assert home("", REGISTRY, "开江县人民政府") == Home("开江县人民政府", "county")
    assert unitresolve.infer_home("", REGISTRY, "广州市人民政府") == Home("广州市人民政府", "city")
    assert home("东山县委召开会议，全县上下", REGISTRY) == Home("东山县", "county")
    assert unitresolve.infer_home("县委召开", REGISTRY) == Home("", "county")
    assert unitresolve.infer_home("市委召开，全县", REGISTRY) == Home("青川市", "city")
    assert unitresolve.infer_home("会议", Gazetteer.build([])) == Home("", "city")
    assert Home("东山县", "county").county == "东山县" and Home("青川市", "city").county == ""


def test_organ_of():
    names = ["县财政局", "市住房和城乡建设局", "财政局", "镇政府"]
    assert [unitresolve.organ_of(n) for n in names] == ["财政局", "住建局", "财政局", "政府"]
    county = UnitEntry("东山县住房和城乡建设局", "", "", "department", "东山县")
    assert unitresolve.organ_of(county.name, county) == "住建局"
    assert unitresolve.organ_of("青川市统计局", UnitEntry("青川市统计局", level="department"),
                                "青川市") == "统计局"
    assert unitresolve.organ_of("南岭市住建局", UnitEntry("南岭市住建局", level="department")) \
        == "住建局"


def resolved(text, home, level="", owner=""):
    mention = Mention(0, len(text), text, level=level, owner=owner)
    unitresolve.resolve(mention, REGISTRY, home)
    return mention.unit, mention.candidates


CITY, EAST, WEST = Home("青川市", "city"), Home("东山县", "county"), Home("西河区", "county")


@pytest.mark.parametrize(("text", "home", "level", "unit"), [
    ("市统计局", CITY, "city", "青川市统计局"),
    ("统计局", CITY, "city", "青川市统计局"),
    ("统计局", EAST, "county", None),
    ("市统计部门", EAST, "city", "青川市统计局"),
    ("东山县", WEST, "county", "东山县"),
    ("青川市财政局", EAST, "city", "青川市财政局"),
    ("县财政局", EAST, "county", "东山县财政局"),
    ("县财政局", WEST, "county", "西河区财政局"),
    ("县财政局", CITY, "county", None),
    ("财政局", CITY, "city", "青川市财政局"),
    ("财政局", EAST, "county", "东山县财政局"),
    ("县国土资源局", CITY, "county", "东山县财政局"),
    ("市国土资源局", CITY, "city", None),
])
def test_resolution_by_name_and_level(text, home, level, unit):
    assert resolved(text, home, level)[0] == unit


def test_a_place_written_before_resolves_in_its_county():
    assert resolved("东山县财政局", CITY, "county", "东山县")[0] == "东山县财政局"
    assert resolved("县财政局", WEST, "county", "东山县")[0] == "东山县财政局"


def test_candidates_are_best_first_and_at_most_five():
    _unit, found = resolved("县财政局", CITY, "county")
    assert found[:2] == ["东山县财政局", "西河区财政局"] and "青川市财政局" in found
    many = Gazetteer.build([UnitEntry(f"{n}县财政局", "", "", "department", f"{n}县")
                            for n in "甲乙丙丁戊己"])
    mention = Mention(0, 4, "县财政局", level="county")
    unitresolve.resolve(mention, many, CITY)
    assert len(mention.candidates) == 5
    mention = Mention(0, 4, "县气象台", level="county")
    unitresolve.resolve(mention, many, CITY)
    assert mention.candidates == []


def test_a_configured_synonym_names_an_unregistered_mention():
    mention = Mention(0, 6, "市发展改革委", level="city")
    unitresolve.resolve(mention, REGISTRY, CITY)
    assert (mention.unit, mention.name) == (None, "市发改委")


# unit forms


def forms(sentence, home=CITY, gazetteer=REGISTRY):
    return [(m.text, m.level, m.collective)
            for m in speechunits.find_mentions(sentence, gazetteer, home)]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("县委、县政府要", [("县委", "county", False), ("县政府", "county", False)]),
    ("县委常委要", []),
    ("旗政府督查室要", [("旗政府督查室", "county", False)]),
    ("由西河区牵头", [("西河区", "county", False)]),
    ("请城关镇负责", [("城关镇", "township", False)]),
    ("城区要加快", []),
    ("全市要加快", []),
    ("加快南岭县建设", []),
    ("加快东山县建设", [("东山县", "county", False)]),
    ("市住建局和河口镇要", [("市住建局", "city", False), ("河口镇", "township", False)]),
    ("配合单位：市发改委、国土房管局、黄埔区政府)",
     [("市发改委", "city", False), ("国土房管局", "city", False), ("黄埔区政府", "county", False)]),
    ("县住建局、财政局、统计局要", [("县住建局", "county", False), ("财政局", "county", False),
                                ("统计局", "county", False)]),
    ("发改、财政、住建等部门要", [("发改部门", "city", False), ("财政部门", "city", False),
                             ("住建部门", "city", False)]),
    ("县发改和财政部门要", [("县发改部门", "county", False), ("县财政部门", "county", False)]),
    ("市自然资源和规划局要", [("市自然资源和规划局", "city", False)]),
    ("各县（市、区）、市直有关单位要", [("各县（市、区）", "county", True),
                                 ("市直有关单位", "city", True)]),
    ("上级有关部门", []),
    ("请以上责任单位加快", []),
    ("工业园区管委会要", [("工业园区管委会", "city", False)]),
    ("城投公司要", [("城投公司", "city", False)]),
])
def test_unit_forms(sentence, expected):
    assert forms(sentence) == expected


def test_a_registered_place_before_an_organ_names_its_county():
    [m] = speechunits.find_mentions("东山县住建局要", REGISTRY, CITY)
    assert (m.text, m.level, m.owner, m.start, m.end) == ("东山县住建局", "county", "东山县", 0, 6)
    [m] = speechunits.find_mentions("东山县县住建局要", REGISTRY, CITY)
    assert m.text == "东山县住建局" and m.end == 7


def test_about_and_time_phrases_in_targets():
    assert t("确保粮食播种面积稳定在20万亩以上") == [
        ("粮食播种面积稳定在20万亩", "粮食播种面积", "稳定在", "20", "万亩", False)]
    assert t("秋季开学前完成12所中小学校舍改造") == [
        ("完成12所", "中小学校舍改造", "完成", "12", "所", False)]


# deadlines the calendar module does not read


@pytest.mark.parametrize(("sentence", "meeting", "expected"), [
    ("从2022年3月起，务于每月25日前报送", (2022, 2, 21), [("每月25日前", (2022, 3, 25), 12)]),
    ("从3月起每月5日前报送", (2025, 1, 10), [("每月5日前", (2025, 3, 5), 4)]),
    ("从13月起每月5日前报送", (2025, 1, 10), [("每月5日前", (2025, 2, 5), 5)]),
    ("每月5日前报送", (2025, 3, 10), [("每月5日前", (2025, 4, 5), 0)]),
    ("每月5日前报送", (2025, 12, 10), [("每月5日前", (2026, 1, 5), 0)]),
    ("每月5号前报送", (2025, 3, 1), [("每月5号前", (2025, 3, 5), 0)]),
    ("每月5日报送", (2025, 3, 5), [("每月5日", (2025, 3, 5), 0)]),
    ("每月28日前", (2025, 3, 1), [("每月28日前", (2025, 3, 28), 0)]),
    ("每月31日前", (2025, 3, 1), [("每月31日前", None, 0)]),
    ("30天内完成", (2025, 3, 10), [("30天内", (2025, 4, 9), 0)]),
    ("奋战一百天，确保完成", (2014, 6, 12), [("奋战一百天", (2014, 9, 20), 0)]),
])
def test_other_deadlines(sentence, meeting, expected):
    from jiangping.tasks.proposals import other_deadlines

    got = other_deadlines(sentence, dt.date(*meeting))
    assert [(d.text, d.date, d.start) for d in got] == [
        (text, dt.date(*day) if day else None, start) for text, day, start in expected]


def test_all_deadlines_in_text_order_without_overlap():
    from jiangping.tasks.proposals import all_deadlines

    got = all_deadlines("年底前完成，每月5日前报送进展，10天内反馈", dt.date(2025, 3, 10))
    assert [(d.text, d.date) for d in got] == [
        ("年底前", dt.date(2025, 12, 31)), ("每月5日前", dt.date(2025, 4, 5)),
        ("10天内", dt.date(2025, 3, 20))]
    assert [d.text for d in all_deadlines("15个工作日内完成", dt.date(2025, 3, 10))] == [
        "15个工作日内"]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("要求平罗县住建局负责", [("平罗县住建局", 2, 8, "平罗县", "county")]),
    ("城关镇人民政府要", [("城关镇人民政府", 0, 7, "城关镇", "township")]),
    ("加快推进县住建局", [("县住建局", 4, 8, "", "county")]),
    ("城区县住建局", [("县住建局", 2, 6, "", "county")]),
])
def test_an_unregistered_place_before_an_organ(sentence, expected):
    got = speechunits.find_mentions(sentence, REGISTRY, CITY)
    assert [(m.text, m.start, m.end, m.owner, m.level) for m in got] == expected


@pytest.mark.parametrize(("sentence", "cue"), [
    ("会议研究了县住建局的方案。", None),
    ("督查组发现，县住建局进度滞后。", None),
    ("责令县住建局限期整改。", "责令"),
    ("请各乡镇抓紧上报。", "请"),
    ("督查发现部分项目滞后，责令县住建局立即整改。", "责令"),
])
def test_more_cues_and_facts(sentence, cue):
    found = directives.directive(sentence)
    assert (found.cue.group() if found else None) == cue


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
