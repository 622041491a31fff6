"""The indicators' bulletin sections: real sentences of a built month (October 2026)."""

from decimal import Decimal as D

import pytest

from jiangping.bulletins.document import Chart, Paragraph, Subheading
from jiangping.bulletins.sections import Context
from jiangping.core.registry import bulletin_sections
from jiangping.indicators import bulletin
from jiangping.indicators.comparison import Cell, comparison_table
from jiangping.indicators.models import Kind
from jiangping.indicators.services import upsert_values
from jiangping.indicators.tests.bulletin_month import PERIOD, enter_bulletin_month
from jiangping.orgs.scope import Scope


@pytest.fixture
def month(cast):
    enter_bulletin_month(cast)
    return Context(period=PERIOD, review=None, city=cast.city, scope=Scope.operator())


def test_registered_in_order():
    keys = [s.key for s in bulletin_sections()]
    assert keys.index("headline") < keys.index("indicators")
    orders = {s.key: s.order for s in bulletin_sections()}
    assert (orders["headline"], orders["indicators"]) == (10, 20)


def test_headline(month):
    draft = bulletin.headline(month)
    assert draft.section.key == "headline" and draft.section.heading == "总体情况"
    assert [b.text for b in draft.section.blocks] == [
        "1—10月，全市2项主要指标在全省排位，其中1项好于全省平均水平，1项位次较1—9月前移；"
        "固定资产投资同比增长8.2%，居全省第2位。"]
    assert draft.problems == draft.actions == []


def test_indicators_section(month):
    draft = bulletin.indicators(month)
    blocks = draft.section.blocks
    assert draft.section.heading == "主要经济指标"
    assert [type(b) for b in blocks] == [Subheading, Paragraph, Paragraph, Chart, Subheading,
                                         Paragraph, Paragraph, Chart]
    assert blocks[0].text == "（一）全市主要指标在全省位次"
    assert blocks[1].text == (
        "1—10月，全市固定资产投资完成600.0亿元，同比增长8.2%，高于全省平均增速（6.1%）"
        "2.1个百分点，居全省第2位，较1—9月前移1位。"
        "全市固定资产投资完成年度目标的85.7%，超序时进度2.4个百分点。")
    # computed growth 50 / 52 − 1; the province's: (50 + 30) / (52 + 29) − 1 = −1.2%
    assert blocks[2].text == (
        "1—10月，全市一般公共预算收入完成50.00亿元，同比下降3.8%，低于全省平均增速（−1.2%）"
        "2.6个百分点，居全省第2位。")
    assert blocks[4].text == "（二）各县（市、区）主要指标完成情况"
    assert blocks[5].text == (
        "各县（市、区）固定资产投资完成率由高到低依次为：甲区90.0%、乙县80.0%、丙市70.0%。"
        "低于序时进度的有：乙县（−3.3个百分点）、丙市（−13.3个百分点）。")
    assert blocks[6].text == (
        "各县（市、区）PM10浓度由低到高依次为：乙县60μg/m³、丙市60μg/m³、甲区80μg/m³。")
    assert draft.problems == [
        "全市一般公共预算收入同比下降3.8%",
        "乙县和丙市固定资产投资完成率低于序时进度，其中丙市低于序时进度13.3个百分点"]
    assert draft.actions == ["扭转一般公共预算收入下滑态势，力争尽快由降转增",
                             "督促乙县和丙市加快固定资产投资进度，尽快赶上序时进度"]


def test_charts(month):
    blocks = bulletin.indicators(month).section.blocks
    trend, bars = blocks[3], blocks[7]
    # from September, the first month with a figure
    assert (trend.chart, trend.title, trend.categories, trend.unit) == (
        "trend", "全市固定资产投资增速走势", ["1—9月", "1—10月"], "%")
    assert trend.series == [{"name": "全市", "values": ["7.9", "8.2"]},
                            {"name": "全省", "values": ["6.5", "6.1"]}]
    assert (bars.chart, bars.title, bars.categories) == (
        "bars", "各县（市、区）固定资产投资完成率", ["甲区", "乙县", "丙市"])
    assert bars.series == [{"name": "完成率", "values": ["90.0", "80.0", "70.0"]}]
    assert bars.marker == {"name": "序时进度", "value": "83.3"}


def test_an_empty_month_has_no_section(cast):
    context = Context(period="2026-03", review=None, city=cast.city, scope=Scope.operator())
    assert bulletin.headline(context) is None
    assert bulletin.indicators(context) is None


def test_city_behind_schedule_falling_and_losing_rank(month, cast):
    upsert_values(Scope.operator(), [
        (cast.fai, cast.city, PERIOD, 560),  # 80.0% of 700: 3.3 points behind
        (cast.fai_growth, cast.city, PERIOD, D("5.0")),  # 3rd, was 3rd; 2.9 points down
        (cast.fai_growth, cast.city, "2026-09", D("9.8")),  # 2nd in September
    ])
    draft = bulletin.indicators(month)
    assert draft.section.blocks[1].text == (
        "1—10月，全市固定资产投资完成560.0亿元，同比增长5.0%，低于全省平均增速（6.1%）"
        "1.1个百分点，居全省第3位，较1—9月后退1位。"
        "全市固定资产投资完成年度目标的80.0%，低于序时进度3.3个百分点。")
    # One clause per kind of finding, over every indicator: behind schedule, falling,
    # slowing, losing rank, then the counties.
    assert draft.problems[:4] == [
        "全市固定资产投资完成年度目标的80.0%，低于序时进度3.3个百分点",
        "全市一般公共预算收入同比下降3.8%",
        "全市固定资产投资增速较1—9月回落4.8个百分点",
        "全市固定资产投资居全省第3位，较1—9月后退1位"]
    assert draft.actions[:4] == ["加快固定资产投资进度，确保完成年度目标任务",
                                 "扭转一般公共预算收入下滑态势，力争尽快由降转增",
                                 "稳住固定资产投资增长势头",
                                 "对标全省先进地区，力争固定资产投资全省位次前移"]


def test_headline_counts_moves_down(month, cast):
    upsert_values(Scope.operator(), [(cast.fai_growth, cast.city, "2026-09", D("11.0"))])
    assert bulletin.headline(month).section.blocks[0].text == (
        "1—10月，全市2项主要指标在全省排位，其中1项好于全省平均水平，1项位次较1—9月后退；"
        "固定资产投资同比增长8.2%，居全省第2位。")


def test_labels_of_january_and_of_levels_and_balances():
    assert bulletin.labels("2026-01", Kind.FLOW) == ("1月", "上年1—12月")
    assert bulletin.labels("2026-11", Kind.GROWTH) == ("1—11月", "1—10月")
    assert bulletin.labels("2026-11", Kind.LEVEL) == ("11月", "10月")
    assert bulletin.labels("2026-11", Kind.STOCK) == ("11月末", "10月末")


def test_key_indicators_name_a_growth_without_its_flow(month):
    table = comparison_table(Scope.operator(), PERIOD, tier="cities",
                             indicators=["fai_growth", "pm10"])
    keys = bulletin.key_indicators(table)
    assert [(k.code, k.name, k.growth_places, k.on_growth) for k in keys] == [
        ("fai_growth", "固定资产投资", 1, True), ("pm10", "PM10浓度", 0, False)]
    both = comparison_table(Scope.operator(), PERIOD, tier="cities")
    assert [k.code for k in bulletin.key_indicators(both)] == ["fai", "revenue", "pm10", "loans"]
    cell = table.cell(month.city, "fai_growth")
    assert bulletin.city_sentence(keys[0], cell, D("6.1"), PERIOD) == (
        "1—10月，全市固定资产投资同比增长8.2%，高于全省平均增速（6.1%）2.1个百分点，"
        "居全省第2位，较1—9月前移1位。")


def test_level_of_the_city_and_its_counties_without_targets(month, cast):
    upsert_values(Scope.operator(), [
        (cast.pm10, cast.city, PERIOD, 66), (cast.pm10, cast.peers[0], PERIOD, 70),
        (cast.pm10, cast.city, "2026-09", 75), (cast.pm10, cast.peers[0], "2026-09", 72),
    ])
    draft = bulletin.indicators(month)
    texts = [b.plain() for b in draft.section.blocks]
    assert ("10月，全市PM10浓度为66μg/m³，低于全省平均水平（68μg/m³）2μg/m³，居全省第1位，"
            "较9月前移1位。") in texts
    assert "全市PM10浓度" not in "".join(draft.problems)


def test_a_value_without_its_growth_is_not_compared_with_the_peers_growth(month):
    table = comparison_table(Scope.operator(), PERIOD, tier="cities", indicators=["fai"])
    key = bulletin.key_indicators(table)[0]
    cell = Cell(value=D("600"), completion=D("85.714"))
    assert bulletin.city_sentence(key, cell, D("6.1"), PERIOD) == (
        "1—10月，全市固定资产投资完成600.0亿元。全市固定资产投资完成年度目标的85.7%。")


def _key(name, direction="higher"):
    from types import SimpleNamespace as NS

    return NS(name=name, code=name, percent_places=1, growth_places=1,
              column=NS(indicator=NS(direction=direction)))


def _cell(**figures):
    from types import SimpleNamespace as NS

    base = {"completion": None, "schedule_gap": None, "rank": None, "rank_change": None,
            "tied": False, "pp_change": None}
    return NS(**{**base, **figures})


def test_findings_over_many_indicators_are_said_in_one_clause_each():
    findings = bulletin.Findings()
    names = ["地区生产总值", "固定资产投资", "工业投资", "税收收入"]
    for n, name in enumerate(names):
        findings.behind.append((_key(name), _cell(completion=D(80), schedule_gap=D(-1 - n))))
        findings.slowing.append((_key(name), _cell(pp_change=D("-0.5")), "1—9月"))
    findings.slowing.append((_key("存款余额"), _cell(pp_change=D("-0.2")), "9月末"))
    findings.losing += [(_key("工业投资"), _cell(rank=7, rank_change=-1), "1—9月"),
                        (_key("PM2.5浓度", "lower"), _cell(rank=15, rank_change=-3), "9月")]
    findings.counties += [("甲区", _key("固定资产投资"), D("-2.0")),
                          ("乙县", _key("工业投资"), D("-5.4")),
                          ("甲区", _key("工业投资"), D("-1.0"))]
    problems, actions = findings.clauses()
    assert problems == [
        "全市地区生产总值、固定资产投资、工业投资等4项指标完成进度低于序时进度，"
        "其中税收收入低于序时进度4.0个百分点",
        "全市地区生产总值、固定资产投资、工业投资等5项指标增速较上月回落",
        "全市工业投资和PM2.5浓度全省位次后退，其中PM2.5浓度后退3位",
        "甲区和乙县部分指标完成率低于序时进度，其中乙县工业投资低于序时进度5.4个百分点",
    ]
    assert actions == [
        "加快地区生产总值、固定资产投资、工业投资等4项指标进度，确保完成年度目标任务",
        "稳住地区生产总值、固定资产投资、工业投资等5项指标增长势头",
        "对标全省先进地区，力争工业投资全省位次前移",
        "加大PM2.5浓度治理力度，改善全省位次",
        "督促甲区和乙县加快进度，尽快赶上序时进度",
    ]
