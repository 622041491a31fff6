"""The bulletin's sentence patterns (DESIGN §9), each against hand-written text."""

from decimal import Decimal as D

import pytest

from jiangping.core import phrasing as ph


# --- indicator_sentence --------------------------------------------------------------
def test_indicator_sentence_as_in_the_design():
    assert ph.indicator_sentence(
        "固定资产投资", when="1—11月", growth=D("8.2"), average=D("6.1"), rank=6,
        rank_change=2, before="1—10月",
    ) == ("1—11月，全市固定资产投资同比增长8.2%，高于全省平均增速（6.1%）2.1个百分点，"
          "居全省第6位，较1—10月前移2位。")


def test_indicator_sentence_negative_growth_falls_back():
    text = ph.indicator_sentence(
        "规模以上工业增加值", when="1—10月", growth=D("-3.2"), average=D("1.5"), rank=14,
        rank_change=-3, before="1—9月",
    )
    assert text == ("1—10月，全市规模以上工业增加值同比下降3.2%，低于全省平均增速（1.5%）"
                    "4.7个百分点，居全省第14位，较1—9月后退3位。")
    assert "增长" not in text and "-" not in text


def test_indicator_sentence_negative_average_in_brackets_with_the_minus_sign():
    assert ph.indicator_sentence(
        "工业投资", when="1—3月", growth=D("-1.04"), average=D("-2.0"),
    ) == "1—3月，全市工业投资同比下降1.0%，高于全省平均增速（−2.0%）1.0个百分点。"


def test_indicator_sentence_unchanged_rank_and_equal_average():
    assert ph.indicator_sentence(
        "固定资产投资", when="1—11月", growth=D("6.1"), average=D("6.14"), rank=3,
        rank_change=0, before="1—10月",
    ) == ("1—11月，全市固定资产投资同比增长6.1%，与全省平均增速（6.1%）持平，居全省第3位，"
          "与1—10月持平。")


def test_indicator_sentence_difference_of_the_printed_figures():
    # 8.25 → 8.3 and 6.14 → 6.1 as printed: the reader's subtraction gives 2.2, not 2.1
    assert ph.indicator_sentence(
        "固定资产投资", when="1—11月", growth=D("8.25"), average=D("6.14"),
    ) == "1—11月，全市固定资产投资同比增长8.3%，高于全省平均增速（6.1%）2.2个百分点。"


def test_indicator_sentence_tied_first_and_last_place():
    assert ph.indicator_sentence(
        "一般公共预算收入", when="1—11月", growth=D("5"), rank=1, tied=True,
        rank_change=1, before="1—10月",
    ) == "1—11月，全市一般公共预算收入同比增长5.0%，居全省并列第1位，较1—10月前移1位。"
    assert ph.indicator_sentence(
        "一般公共预算收入", when="1—11月", growth=D("-0.5"), rank=16,
        rank_change=-15, before="1—10月",
    ) == "1—11月，全市一般公共预算收入同比下降0.5%，居全省第16位，较1—10月后退15位。"


def test_indicator_sentence_without_previous_rank_average_or_rank():
    assert ph.indicator_sentence(
        "固定资产投资", when="1—11月", growth=D("8.2"), average=D("6.1"), rank=6,
    ) == "1—11月，全市固定资产投资同比增长8.2%，高于全省平均增速（6.1%）2.1个百分点，居全省第6位。"
    assert ph.indicator_sentence(
        "固定资产投资", when="1—11月", growth=D("8.2"), rank=6, rank_change=-2,
    ) == "1—11月，全市固定资产投资同比增长8.2%，居全省第6位，较上月后退2位。"
    assert ph.indicator_sentence(
        "固定资产投资", when="1—11月", growth=D("8.2"), rank_change=2,
    ) == "1—11月，全市固定资产投资同比增长8.2%。"
    assert ph.indicator_sentence("固定资产投资", when="1—11月") == ""
    assert ph.indicator_sentence("固定资产投资", when="1—11月", average=D("6.1")) == ""


def test_indicator_sentence_value_with_its_unit_and_two_decimals():
    assert ph.indicator_sentence(
        "一般公共预算收入", when="1—11月", value=D("245.3"), unit="亿元", places=2,
        growth=D("3.05"), growth_places=2, average=D("2.9"), rank=2, rank_change=0,
        before="1—10月",
    ) == ("1—11月，全市一般公共预算收入完成245.30亿元，同比增长3.05%，高于全省平均增速"
          "（2.90%）0.15个百分点，居全省第2位，与1—10月持平。")


def test_indicator_sentence_level_compared_on_its_value():
    assert ph.indicator_sentence(
        "PM10浓度", when="11月", value=D("80"), unit="μg/m³", places=0, verb="为",
        average=D("70.4"), rank=3, subject="全市", peers="全省",
    ) == "11月，全市PM10浓度为80μg/m³，高于全省平均水平（70μg/m³）10μg/m³，居全省第3位。"
    assert ph.indicator_sentence(
        "集中供热普及率", when="11月", value=D("30.9"), unit="%", places=2, verb="为",
        average=D("31.4"), subject="甲区", peers="全市",
    ) == "11月，甲区集中供热普及率为30.90%，低于全市平均水平（31.40%）0.50个百分点。"
    assert ph.indicator_sentence(
        "PM10浓度", when="11月", value=D("70"), unit="μg/m³", places=0, verb="为",
        average=D("70"),
    ) == "11月，全市PM10浓度为70μg/m³，与全省平均水平（70μg/m³）持平。"


def test_indicator_sentence_zero_growth():
    assert ph.indicator_sentence(
        "固定资产投资", when="1—11月", growth=D("0.04"), average=D("-0.3"),
    ) == "1—11月，全市固定资产投资同比持平，高于全省平均增速（−0.3%）0.3个百分点。"


# --- completion_sentence -------------------------------------------------------------
def test_completion_sentence_as_in_the_design():
    assert ph.completion_sentence(
        D("629"), completion=D("91.3"), gap=D("0.6"),
    ) == "全市重点项目累计完成投资629.0亿元，占年度投资计划的91.3%，超序时进度0.6个百分点。"


def test_completion_sentence_behind_on_schedule_two_decimals_and_missing_parts():
    assert ph.completion_sentence(
        D("1234.5"), subject="甲区", what="", unit="万元", places=2, completion=D("75.9"),
        completion_places=2, plan="年度目标", gap=D("-8.4333"),
    ) == "甲区累计完成1234.50万元，占年度目标的75.90%，低于序时进度8.43个百分点。"
    assert ph.completion_sentence(D("629"), completion=D("91.3")) == (
        "全市重点项目累计完成投资629.0亿元，占年度投资计划的91.3%。")
    assert ph.completion_sentence(D("629"), gap=D("0.6")) == "全市重点项目累计完成投资629.0亿元。"
    assert ph.completion_sentence(None, completion=D("91.3")) == ""
    assert ph.completion_sentence(D("50"), completion=D("50"), gap=D("0")) == (
        "全市重点项目累计完成投资50.0亿元，占年度投资计划的50.0%，与序时进度持平。")


# --- start_sentence ------------------------------------------------------------------
def test_start_sentence_as_in_the_design():
    assert ph.start_sentence(56, 47) == (
        "本年度计划开工项目56个，目前已开工47个，完成年度计划开工的83.9%。")


def test_start_sentence_rounding_overshoot_and_nothing_planned():
    # 2 / 3 = 66.666…: half up at two decimals
    assert ph.start_sentence(3, 2, places=2, subject="甲区") == (
        "甲区计划开工项目3个，目前已开工2个，完成年度计划开工的66.67%。")
    assert ph.start_sentence(8, 10) == (
        "本年度计划开工项目8个，目前已开工10个，完成年度计划开工的125.0%。")
    assert ph.start_sentence(0, 3) == "本年度计划开工项目0个，目前已开工3个。"
    assert ph.start_sentence(1, 0, what="亿元以上项目", measure="项") == (
        "本年度计划开工亿元以上项目1项，目前已开工0项，完成年度计划开工的0.0%。")


# --- schedule_list -------------------------------------------------------------------
def test_schedule_list_as_in_the_design():
    assert ph.schedule_list([("丙县", D("-3.1")), ("丁县", D("-5.4"))]) == (
        "低于序时进度的有：丙县（−3.1个百分点）、丁县（−5.4个百分点）。")


def test_schedule_list_keeps_only_gaps_that_read_below_zero():
    entries = [("甲区", D("2.0")), ("乙县", D("-0.04")), ("丙县", D("-3.15")), ("丁县", None),
               ("戊县", D("0"))]
    assert ph.schedule_list(entries) == "低于序时进度的有：丙县（−3.2个百分点）。"
    assert ph.schedule_list(entries, places=2) == (
        "低于序时进度的有：乙县（−0.04个百分点）、丙县（−3.15个百分点）。")
    assert ph.schedule_list([("甲区", D("2.0"))]) == ""
    assert ph.schedule_list([]) == ""
    assert ph.schedule_list([("丙县", D("-1"))], lead="未达序时进度的有：") == (
        "未达序时进度的有：丙县（−1.0个百分点）。")


# --- lists and enumerations ----------------------------------------------------------
def test_ordered_list():
    assert ph.ordered_list("各县（市、区）投资完成率", [("甲区", "103.2%"), ("乙县", "98.7%")]) == (
        "各县（市、区）投资完成率由高到低依次为：甲区103.2%、乙县98.7%。")
    assert ph.ordered_list("各县（市、区）PM10浓度", [("乙县", "60μg/m³"), ("甲区", "80μg/m³")],
                           order="由低到高") == (
        "各县（市、区）PM10浓度由低到高依次为：乙县60μg/m³、甲区80μg/m³。")
    assert ph.ordered_list("各县（市、区）投资完成率", []) == ""


def test_names_list():
    assert ph.names_list([]) == ""
    assert ph.names_list(["甲区"]) == "甲区"
    assert ph.names_list(["甲区", "乙县"]) == "甲区和乙县"
    assert ph.names_list(["甲区", "乙县", "丙县"]) == "甲区、乙县和丙县"


def test_enumerate_clauses_past_ten():
    clauses = [f"第{n}条" for n in range(1, 23)]
    leads = [lead for lead, _clause in ph.enumerate_clauses(clauses)]
    assert leads[:3] == ["一是", "二是", "三是"]
    assert leads[9:12] == ["十是", "十一是", "十二是"]
    assert leads[19:] == ["二十是", "二十一是", "二十二是"]
    assert ph.enumerate_clauses(["加快项目建设。"], marker="是要") == [("一是要", "加快项目建设。")]
    assert ph.enumerate_clauses([]) == []


def test_chinese_numeral_bounds():
    assert [ph.chinese_numeral(n) for n in (1, 9, 10, 11, 19, 20, 30, 45, 99)] == [
        "一", "九", "十", "十一", "十九", "二十", "三十", "四十五", "九十九"]
    with pytest.raises(ValueError, match="0"):
        ph.chinese_numeral(0)
    with pytest.raises(ValueError, match="100"):
        ph.chinese_numeral(100)


def test_signed_figure():
    assert ph.signed_figure(D("-3.14")) == "−3.1"
    assert ph.signed_figure(D("6.1")) == "6.1"
    assert ph.signed_figure(D("-0.04")) == "0.0"
    assert ph.signed_figure(D("30.9"), 2) == "30.90"


# --- periods -------------------------------------------------------------------------
def test_period_labels():
    assert ph.months_label("2026-11") == "1—11月"
    assert ph.months_label("2026-01") == "1月"
    assert ph.months_label("2026-02") == "1—2月"
    assert ph.period_label("2026-11") == "1—11月"
    assert ph.period_label("2026-03", "month") == "3月"
    assert ph.period_label("2026-12", "month_end") == "12月末"
    with pytest.raises(ValueError, match="weekly"):
        ph.period_label("2026-12", "weekly")


# --- the phrases the sentences are built from ----------------------------------------
def test_phrases_with_their_places_and_empty_figures():
    assert ph.growth_phrase(D("30.9"), 2, prefix="") == "增长30.90%"
    assert ph.growth_phrase(D("-0.05")) == "同比下降0.1%"
    assert ph.pp_phrase(D("0.125"), 2) == "提高0.13个百分点"
    assert ph.vs_average_phrase(None) == ""
    assert ph.vs_average_phrase(D("-0.004"), 2) == "与平均水平持平"
    assert ph.rank_phrase(None) == ""
    assert ph.rank_phrase(2, is_tied=False) == "第2位"
    assert ph.schedule_phrase(None) == ""
    assert ph.schedule_phrase(D("1.234"), 2) == "超序时进度1.23个百分点"
    assert ph.rank_move_phrase(3) == "前移3位"


def test_phrases_defaults():
    assert ph.pp_phrase(D("0.125")) == "提高0.1个百分点"
    assert ph.pp_phrase(D("0")) == "持平"
    assert ph.vs_average_phrase(D("-0.125")) == "低于平均水平0.1个百分点"
    assert ph.schedule_phrase(D("-0.125")) == "低于序时进度0.1个百分点"
    assert ph.rank_phrase(2) == "第2位"
    assert ph.rank_move_phrase(0) == "与上月持平"


def test_indicator_sentence_value_alone():
    assert ph.indicator_sentence(
        "金融机构贷款余额", when="11月末", value=D("500"), unit="亿元", verb="为", rank=4,
    ) == "11月末，全市金融机构贷款余额为500.0亿元，居全省第4位。"


def test_target_phrase():
    assert ph.target_phrase(D("85.714"), D("2.381")) == "完成年度目标的85.7%，超序时进度2.4个百分点"
    assert ph.target_phrase(D("75.9"), D("-8.4333"), 2, plan="年度计划") == (
        "完成年度计划的75.90%，低于序时进度8.43个百分点")
    assert ph.target_phrase(D("30.9"), places=2) == "完成年度目标的30.90%"
    assert ph.target_phrase(None, D("1")) == ""


def test_target_phrase_of_a_figure_that_says_completed_already():
    assert ph.target_phrase(D("85.12"), D("1.79"), 2, verb="占") == (
        "占年度目标的85.12%，超序时进度1.79个百分点")
    assert ph.indicator_sentence("重点项目完成投资", when="1—10月", value=D("702.16"),
                                 unit="亿元", places=2, verb="") == (
        "1—10月，全市重点项目完成投资702.16亿元。")
