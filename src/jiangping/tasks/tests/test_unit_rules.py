"""Units in sentences as speeches and minutes write them: the forms a unit takes, its level,
its registered unit, and who leads and who co-operates (牵头/配合/会同/由…负责)."""

import pytest

from jiangping.tasks import speechunits
from jiangping.tasks.proposals import assign_roles
from jiangping.tasks.tests.test_speech_modules import CITY, EAST, REGISTRY


def roles(sentence, home=EAST):
    mentions = speechunits.find_mentions(sentence, REGISTRY, home)
    return [(m.text, role) for m, role in assign_roles(sentence, mentions)]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("由县应急局牵头，县公安局、县市场监管局配合，年底前完成整治。",
     [("县应急局", "lead"), ("县公安局", "co"), ("县市场监管局", "co")]),
    ("县发改局要会同县自然资源局、县住建局，在3月底前完成项目用地报批。",
     [("县发改局", "lead"), ("县自然资源局", "co"), ("县住建局", "co")]),
    ("县财政局负责资金保障，县审计局负责跟踪审计。",
     [("县财政局", "lead"), ("县审计局", "lead")]),
    ("各乡镇要配合县交通局做好农村公路养护。", [("各乡镇", "co"), ("县交通局", "lead")]),
    ("县卫健委为牵头单位，县医保局参与。", [("县卫健委", "lead"), ("县医保局", "co")]),
    ("县住建局负责，县自然资源局、县林业局等部门配合。",
     [("县住建局", "lead"), ("县自然资源局", "co"), ("县林业局", "co")]),
    ("县住建局牵头，各乡镇具体负责，县财政局协助。",
     [("县住建局", "lead"), ("各乡镇", "co"), ("县财政局", "co")]),
    ("请县委办、县政府办牵头，县督查室配合，对各项任务实行清单化管理。",
     [("县委办", "lead"), ("县政府办", "lead"), ("县督查室", "co")]),
    ("要求县公安局、县司法局和县信访局联合开展矛盾纠纷排查。",
     [("县公安局", "lead"), ("县司法局", "lead"), ("县信访局", "lead")]),
    ("会议明确，县林业局负责森林防火。", [("县林业局", "lead")]),
    ("市直各部门要积极配合。", [("市直各部门", "co")]),
    ("县住建局牵头抓总，县住建局负责日常调度。", [("县住建局", "lead")]),
])
def test_lead_and_co_units(sentence, expected):
    assert roles(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # An addressee (报…备案, 向…汇报, 与…对接, 经…同意) is no party.
    ("东山县财政局要加快拨付，并报市财政局备案。", [("东山县财政局", "lead")]),
    ("县水利局要及时向县政府专题汇报。", [("县水利局", "lead")]),
    ("县人社局要与县教体局对接，做好就业帮扶。", [("县人社局", "lead")]),
    ("经县政府同意，县财政局要调整预算。", [("县财政局", "lead")]),
    # Leadership support is no party either.
    ("在县委、县政府的大力支持下，县发改局要加快。", [("县发改局", "lead")]),
])
def test_who_is_no_party(sentence, expected):
    assert roles(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # 县市场监管局 is the county's 市场监管局, not a city unit.
    ("县市场监管局要加强食品安全抽检。", [("县市场监管局", "county")]),
    ("市场监管局要加强食品安全抽检。", [("市场监管局", "county")]),
    ("市市场监管局要加强食品安全抽检。", [("市市场监管局", "city")]),
    ("区市场监管局要加强食品安全抽检。", [("区市场监管局", "county")]),
    # 责成/责令 are not part of a place name.
    ("责成县市场监管局立即整改。", [("县市场监管局", "county")]),
    ("责令县住建局限期整改。", [("县住建局", "county")]),
    ("责成西河区负责。", [("西河区", "county")]),
    # Nor is 希望.
    ("希望县住建局加快推进。", [("县住建局", "county")]),
    ("希望平罗县住建局加快推进。", [("平罗县住建局", "county")]),
    ("希望西河区加快推进。", [("西河区", "county")]),
])
def test_a_prefix_is_read_as_written(sentence, expected):
    got = speechunits.find_mentions(sentence, REGISTRY, EAST)
    assert [(m.text, m.level) for m in got] == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("县直各部门、市直有关部门、各开发区要",
     [("县直各部门", "county"), ("市直有关部门", "city"), ("各开发区", "city")]),
    ("各县区、各乡镇、各部门要",
     [("各县区", "county"), ("各乡镇", "township"), ("各部门", "city")]),
    ("各县（区）、各乡镇（街道）要", [("各县（区）", "county"), ("各乡镇（街道）", "township")]),
    ("相关责任单位、各项目单位要", [("相关责任单位", "city"), ("各项目单位", "city")]),
])
def test_collective_forms_and_their_level(sentence, expected):
    got = speechunits.find_mentions(sentence, REGISTRY, CITY)
    assert [(m.text, m.level) for m in got] == expected
    assert all(m.collective and m.unit is None for m in got)


def test_a_collective_form_without_a_level_is_the_homes():
    [m] = speechunits.find_mentions("各部门要加强协调。", REGISTRY, EAST)
    assert (m.text, m.level, m.collective) == ("各部门", "county", True)


@pytest.mark.parametrize(("sentence", "expected"), [
    ("省自然资源厅、国家发改委要给予支持",
     [("省自然资源厅", "", None), ("国家发改委", "", None)]),
    ("市发改委要积极对接省发展改革委",
     [("市发改委", "city", None), ("省发展改革委", "", None)]),
    ("市统计局、市财政局要",
     [("市统计局", "city", "青川市统计局"), ("市财政局", "city", "青川市财政局")]),
    ("东山县住建局、财政局要",
     [("东山县住建局", "county", None), ("财政局", "county", "东山县财政局")]),
    ("平罗县住建局、财政局要", [("平罗县住建局", "county", None), ("财政局", "county", None)]),
    ("东山县、西河区要", [("东山县", "county", "东山县"), ("西河区", "county", "西河区")]),
    ("城关镇人民政府、河口乡政府要",
     [("城关镇人民政府", "township", None), ("河口乡政府", "township", None)]),
    ("高新区管委会、市城投公司要", [("高新区管委会", "city", None), ("市城投公司", "city", None)]),
    ("市防汛抗旱指挥部、市委宣传部要",
     [("市防汛抗旱指挥部", "city", None), ("市委宣传部", "city", None)]),
    ("市教育局牵头，市卫健委、市体育局配合",
     [("市教育局", "city", None), ("市卫健委", "city", None), ("市体育局", "city", None)]),
    ("节省财政资金，城区要加快", []),
    ("南岭县、北山区要加快", [("南岭县", "county", None), ("北山区", "county", None)]),
    ("市发改委和国土房管局要", [("市发改委", "city", None), ("国土房管局", "city", None)]),
    ("牵头单位：国土房管局；配合单位：黄埔区政府、城投集团",
     [("国土房管局", "city", None), ("黄埔区政府", "county", None), ("城投集团", "city", None)]),
    ("市住建局和城投公司负责", [("市住建局", "city", None), ("城投公司", "city", None)]),
    ("各县（市）区要", [("各县（市）区", "county", None)]),
    ("各县（市）、区要", [("各县（市）、区", "county", None)]),
    ("国土资源、住建部门要", [("国土资源部门", "city", None), ("住建部门", "city", None)]),
    ("请河口乡、城关镇负责，城关街道配合",
     [("河口乡", "township", None), ("城关镇", "township", None), ("城关街道", "township", None)]),
])
def test_unit_forms_in_a_citys_text(sentence, expected):
    got = speechunits.find_mentions(sentence, REGISTRY, CITY)
    assert [(m.text, m.level, m.unit) for m in got] == expected


@pytest.mark.parametrize("joined", ["、", "和", "及", "与"])
def test_a_bare_organ_listed_after_a_county_one_is_the_countys(joined):
    got = speechunits.find_mentions(f"县住建局{joined}财政局要", REGISTRY, CITY)
    assert [(m.text, m.level) for m in got] == [("县住建局", "county"), ("财政局", "county")]


def test_a_list_ends_at_a_comma():
    got = speechunits.find_mentions("县住建局牵头，财政局配合", REGISTRY, CITY)
    assert [(m.text, m.level, m.unit) for m in got] == [
        ("县住建局", "county", None), ("财政局", "city", "青川市财政局")]


def test_a_unit_above_the_city_is_never_ours():
    [m] = speechunits.find_mentions("省财政厅要", REGISTRY, EAST)
    assert (m.text, m.start, m.level, m.unit, m.candidates) == ("省财政厅", 0, "", None, [])


@pytest.mark.parametrize(("sentence", "expected"), [
    ("县财政局要", [("县财政局", "county", "东山县财政局")]),
    ("财政局要", [("财政局", "county", "东山县财政局")]),
    ("西河区财政局要", [("西河区财政局", "county", "西河区财政局")]),
    ("统计局要", [("统计局", "county", None)]),
    ("市统计部门要", [("市统计部门", "city", "青川市统计局")]),
    ("镇政府、县政府要", [("镇政府", "township", None), ("县政府", "county", None)]),
    ("督促河口镇加快", [("河口镇", "township", None)]),
])
def test_unit_forms_in_a_countys_text(sentence, expected):
    got = speechunits.find_mentions(sentence, REGISTRY, EAST)
    assert [(m.text, m.level, m.unit) for m in got] == expected
