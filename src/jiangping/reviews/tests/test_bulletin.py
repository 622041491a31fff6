"""The bulletin's ranking section (综合考核排名): from a published review of the cast's
month, and from results scored by the engine for ties, moves, vetoes and the lists."""

from decimal import Decimal

from jiangping.bulletins.document import Chart, Paragraph, Subheading, Table
from jiangping.bulletins.sections import Context
from jiangping.core.registry import bulletin_sections
from jiangping.reviews import bulletin, engine, services
from jiangping.reviews.methods import Entry
from jiangping.reviews.scheme import load
from jiangping.reviews.tests.conftest import PERIOD

DIRECTIONS = {"m.inv": "higher", "m.rev": "higher", "m.task": "higher", "m.deals": "higher",
              "m.late": "lower", "m.pm10": "lower"}
MEASURES = {"m.inv": ("%", 1), "m.rev": ("%", 1), "m.task": ("%", 1)}

ITEMS = """\
[[items]]
code = "inv"
name = "投资完成率"
section = "经济发展"
metric = "m.inv"
method = "ratio"
weight = 60
target = 100

[[items]]
code = "rev"
name = "收入完成率"
section = "经济发展"
metric = "m.rev"
method = "ratio"
weight = 20
target = 100

[[items]]
code = "task"
name = "督办按期完成率"
section = "督查督办"
metric = "m.task"
method = "ratio"
weight = 20
target = 100
missing = "reweight"

[[items]]
code = "deals"
name = "招商引资加分"
kind = "bonus"
metric = "m.deals"
method = "count"
weight = 2
params = { each = 1 }

[[items]]
code = "late"
name = "督办事项逾期"
kind = "deduction"
metric = "m.late"
method = "count"
weight = 3
params = { each = 0.5 }

[[items]]
code = "air"
name = "PM10浓度超标"
kind = "veto"
metric = "m.pm10"
condition = { op = ">", value = 80 }
"""

GROUPED = """\
name = "测试方案"
year = 2026
version = "1"
total = 100
places = 2

[grades]
bands = [["优秀", 90], ["良好", 80], ["合格", 60], ["不合格", 0]]
veto_cap = "合格"

[[groups]]
name = "县市组"
units = ["甲区", "乙县", "丙市", "丁县", "戊县"]

""" + ITEMS + """
[lists]
red = { top = 1, require = "met:inv" }
black = { bottom = 2, require = "missed:inv" }
speakers = { bottom = 2 }
escalation = { bottom = 2, months = 2 }
"""

UNGROUPED = 'name = "测试方案"\nyear = 2026\nversion = "1"\ntotal = 100\n\n' + ITEMS


def scored(text, rows, previous=None, history=()):
    """The review JSON of ``rows`` — (code, name, group, {item: value}) — as published."""
    scheme = load(text, DIRECTIONS)
    units = [engine.Unit(code, name, group) for code, name, group, _values in rows]
    inputs = {item.code: {code: Entry(None if values.get(item.code) is None
                                      else Decimal(values[item.code]))
                          for code, _name, _group, values in rows}
              for item in scheme.items}
    result = engine.review(scheme, units, inputs, DIRECTIONS, previous=previous or {},
                           history=history, measures=MEASURES)
    return {**services.as_json(scheme, PERIOD, result), "version": 1}, scheme


def counties():
    values = {
        "A": {"inv": 100, "rev": 100, "task": 100, "deals": 1, "late": 0, "air": 50},
        "B": {"inv": 90, "rev": 100, "task": 100, "deals": 0, "late": 2, "air": 50},
        "C": {"inv": 95, "rev": 80, "task": 100, "deals": 0, "late": 0, "air": 50},
        "D": {"inv": 80, "rev": 50, "task": None, "deals": 0, "late": 0, "air": 50},
        "E": {"inv": 70, "rev": 100, "task": "52.5", "deals": 0, "late": 0, "air": 90},
    }
    names = {"A": "甲区", "B": "乙县", "C": "丙市", "D": "丁县", "E": "戊县"}
    return [(code, names[code], "县市组", v) for code, v in values.items()]


def blocks(draft, kind):
    return [b for b in draft.section.blocks if isinstance(b, kind)]


def test_registered_as_the_ranking_section(cast):
    [section] = [s for s in bulletin_sections() if s.key == "ranking"]
    assert section.order == 80 and section.build is bulletin.build


def test_published_month_of_the_cast(cast, month):
    services.compute(month, PERIOD)
    run = services.publish(month, PERIOD, cast.office)
    review = {**run.result, "version": run.version, "status": run.status}
    draft = bulletin.build(Context(PERIOD, review, cast.city, month))
    assert draft.section.heading == "综合考核排名"
    assert [b.text for b in blocks(draft, Subheading)] == [
        "（一）县市组", "（二）功能区", "（三）考核结果运用"]
    assert [b.text for b in blocks(draft, Paragraph)] == [
        "县市组综合得分由高到低依次为：甲区98.00分、乙县95.00分、丙市56.00分。"
        "甲区居第1位，丙市居末位。",
        "功能区仅高新区1个单位参加排名，综合得分80.00分。",
        "根据考核结果，甲区列入红榜，丙市列入黑榜。授予甲区流动红旗，给予丙市黄旗警示。"
        "丙市在讲评会上作表态发言。",
    ]
    county, zone = blocks(draft, Table)
    assert county.caption == "2026年1—6月县市组综合考核排名"
    # no month before: no 较上月 column
    assert county.header == ["名次", "县区", "固定资产投资完成率（60分）",
                             "一般公共预算收入（40分）", "总分"]
    assert county.rows == [["1", "甲区", "62.00", "36.00", "98.00"],
                           ["2", "乙县", "55.00", "40.00", "95.00"],
                           ["3", "丙市", "40.00", "16.00", "56.00"]]
    assert zone.rows == [["1", "高新区", "60.00", "20.00", "80.00"]]
    [chart] = blocks(draft, Chart)  # a group of one has no chart
    assert (chart.chart, chart.title, chart.categories) == ("bars", "县市组综合得分",
                                                            ["甲区", "乙县", "丙市"])
    assert chart.series == [{"name": "总分", "values": ["98.00", "95.00", "56.00"]}]
    assert chart.marker == {"name": "平均", "value": "83.00"}
    # the zone, scored apart, is never the last of a ranking
    assert draft.problems == ["部分单位综合考核排名靠后，丙市综合得分56.00分，居县市组末位，"
                              "失分较多的是一般公共预算收入（较组内最高少得24.00分）、"
                              "固定资产投资完成率（较组内最高少得22.00分）"]
    assert draft.actions == ["督促排名靠后的单位对照考核细则找差距、补短板，"
                             "丙市重点提升一般公共预算收入、固定资产投资完成率"]


def test_without_a_published_review_the_section_is_left_out(cast):
    assert bulletin.build(Context(PERIOD, None, cast.city, None)) is None
    assert bulletin.ranking_draft({"period": PERIOD, "units": []}, None) is None


def test_ties_moves_veto_missing_data_and_lists():
    # last month: four units (戊县 is new), 丁县 the last
    history = [{"A": (2, 4), "B": (1, 4), "C": (3, 4), "D": (4, 4)}]
    review, scheme = scored(GROUPED, counties(), previous={"A": 2, "B": 1, "C": 3, "D": 4},
                            history=history)
    draft = bulletin.ranking_draft(review, scheme)
    assert not blocks(draft, Subheading)  # one group: no subheadings
    assert [b.text for b in blocks(draft, Paragraph)] == [
        "县市组综合得分由高到低依次为：甲区101.00分、丙市93.00分、乙县93.00分、丁县72.50分、"
        "戊县72.50分。甲区居第1位，丁县、戊县并列末位。"
        "与上月相比，甲区前移1位，丙市前移1位，乙县后退1位。"
        "戊县因PM10浓度超标（90）被一票否决，等次为合格。",
        "根据考核结果，甲区列入红榜，丁县、戊县列入黑榜。授予甲区流动红旗，给予丁县、戊县黄旗警示。"
        "丁县、戊县在讲评会上作表态发言。丁县连续2个月排名后2位，按规定予以约谈。",
    ]
    [table] = blocks(draft, Table)
    assert table.header == ["名次", "县区", "经济发展（80分）", "督查督办（20分）", "加减分",
                            "总分", "较上月"]
    assert table.rows == [
        ["1", "甲区", "80.00", "20.00", "+1.00", "101.00", "前移1位"],
        ["并列2", "丙市", "73.00", "20.00", "0.00", "93.00", "前移1位"],
        ["并列2", "乙县", "74.00", "20.00", "-1.00", "93.00", "后退1位"],
        ["并列4", "丁县", "58.00", "—", "0.00", "72.50", "持平"],  # re-weighted: 58 × 100/80
        ["并列4", "戊县", "62.00", "10.50", "0.00", "72.50", "—"],  # new: no rank last month
    ]
    assert table.align == ["center", "left", "right", "right", "right", "right", "center"]
    assert table.note == ("注：“—”为本月无数据的考核项，按考核方案不计分，"
                          "其权重分配到其他计分项或不参与排名。")
    [chart] = blocks(draft, Chart)
    assert chart.marker == {"name": "平均", "value": "86.40"}  # 432.00 / 5
    # 丁县's 督办 item had no data: not named as a weakness
    assert draft.problems == [
        "部分单位综合考核排名靠后，丁县综合得分72.50分，与戊县并列县市组末位，"
        "失分较多的是投资完成率（较组内最高少得12.00分）、收入完成率（较组内最高少得10.00分）；"
        "戊县综合得分72.50分，与丁县并列县市组末位，失分较多的是投资完成率（较组内最高少得18.00分）、"
        "督办按期完成率（较组内最高少得9.50分）"]
    assert draft.actions == [
        "督促排名靠后的单位对照考核细则找差距、补短板，丁县重点提升投资完成率、收入完成率；"
        "戊县重点提升投资完成率、督办按期完成率"]


def test_without_groups_or_a_month_before_and_the_step_up():
    rows = [(code, name, engine.ALL, values) for code, name, _group, values in counties()[:3]]
    rows[1][3].update(inv=95, late=0)  # 乙县 97.00
    rows[2][3].update(inv=90, rev=100)  # 丙市 94.00
    review, scheme = scored(UNGROUPED, rows)
    draft = bulletin.ranking_draft(review, scheme)
    assert [b.text for b in blocks(draft, Paragraph)] == [
        "各县（市、区）综合得分由高到低依次为：甲区101.00分、乙县97.00分、丙市94.00分。"
        "甲区居第1位，丙市居末位。",
        "授予甲区流动红旗，给予丙市黄旗警示。",  # the scheme's only lists: the flags
    ]
    [table] = blocks(draft, Table)
    assert table.caption == "2026年1—6月各县（市、区）综合考核排名"
    assert table.header[-1] == "总分" and table.note == ""
    assert draft.problems == ["部分单位综合考核排名靠后，丙市综合得分94.00分，"
                              "居各县（市、区）末位，失分较多的是投资完成率（较组内最高少得6.00分）"]
    # 5 points more of 投资完成率 (90 → 95: 57.00 points) tie 乙县 at 97.00: a place up
    assert draft.actions == ["督促排名靠后的单位对照考核细则找差距、补短板，"
                             "丙市重点提升投资完成率，投资完成率再提高5个百分点即可前移1位"]


def test_unchanged_ranks_first_tied_and_unranked_units():
    units = [
        {"unit": "A", "name": "甲区", "score": "90.00", "rank": 1, "tied": True,
         "rank_change": 0},
        {"unit": "B", "name": "乙县", "score": "90.00", "rank": 1, "tied": True,
         "rank_change": 0},
        {"unit": "C", "name": "丙市", "score": "60.00", "rank": None, "tied": False,
         "rank_change": None},
    ]
    assert bulletin.group_paragraph("县市组", units) == (
        "县市组综合得分由高到低依次为：甲区90.00分、乙县90.00分。甲区、乙县并列第1位。"
        "与上月相比，各单位位次均未变化。丙市本月不参与排名。")
    assert [bulletin.rank_cell(u) for u in units] == ["并列1", "并列1", "—"]
    table = bulletin.ranking_table("市直部门组", units, None, "2026-01")
    assert table.caption == "2026年1月市直部门组综合考核排名"
    assert table.header == ["名次", "单位", "总分", "较上月"]
    assert table.rows[2] == ["—", "丙市", "60.00", "—"]
    assert table.note == "注：丙市本月不参与排名。"


def test_a_version_gone_leaves_the_items_out(cast, month):
    services.compute(month, PERIOD)
    run = services.publish(month, PERIOD, cast.office)
    review = {**run.result, "version": run.version + 1}
    draft = bulletin.build(Context(PERIOD, review, cast.city, month))
    [county, _zone] = blocks(draft, Table)
    assert county.header == ["名次", "县区", "总分"]
    assert county.rows[0] == ["1", "甲区", "98.00"]


def test_a_group_with_its_own_full_marks_heads_its_columns_with_them():
    text = UNGROUPED.replace('total = 100\n', 'total = 100\n\n[[groups]]\nname = "城区组"\n'
                             'units = ["甲区", "乙县"]\ntotal = 50\n', 1)
    rows = [(code, name, "城区组", values) for code, name, _group, values in counties()[:2]]
    review, scheme = scored(text, rows)
    [table] = blocks(bulletin.ranking_draft(review, scheme), Table)
    assert table.header == ["名次", "县区", "经济发展（40分）", "督查督办（10分）", "加减分",
                            "总分"]
    # half of every item: 甲区 30.00 + 10.00 + 10.00 + 0.50 (a bonus of 1);
    # 乙县 27.00 + 10.00 + 10.00 − 0.50 (a deduction of 1)
    assert table.rows == [["1", "甲区", "40.00", "10.00", "+0.50", "50.50"],
                          ["2", "乙县", "37.00", "10.00", "-0.50", "46.50"]]


def test_escalation_without_its_scheme_is_said_plainly():
    review = {"units": [{"unit": "D", "name": "丁县"}], "lists": {"escalation": ["D"]}}
    assert bulletin.lists_paragraph(review, None) == "丁县连续排名靠后，按规定予以约谈。"
    assert bulletin.lists_paragraph({"units": [], "lists": {}}, None) == ""


def test_a_large_group_is_listed_by_its_first_and_last_places():
    units = [{"name": f"{n}县", "score": f"{100 - n}.00", "rank": n} for n in range(1, 22)]
    assert bulletin._in_order("县市组", units) == (
        "县市组综合得分居前10位的依次为：1县99.00分、2县98.00分、3县97.00分、4县96.00分、"
        "5县95.00分、6县94.00分、7县93.00分、8县92.00分、9县91.00分、10县90.00分；"
        "居后5位的依次为：17县83.00分、18县82.00分、19县81.00分、20县80.00分、21县79.00分。")
    assert bulletin._in_order("县市组", units[:20]).startswith(
        "县市组综合得分由高到低依次为：1县99.00分、")
    assert bulletin._in_order("县市组", units[:20]).endswith("20县80.00分。")
