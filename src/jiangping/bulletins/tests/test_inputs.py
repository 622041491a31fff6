"""What the office types into a bulletin: control characters, lone surrogates and
noncharacters refused naming the field, paragraph and code point; invisible format
characters removed; NFC; line breaks splitting paragraphs; typed ordinals removed; the
成文日期 read strictly and printed 2026年12月5日; long values quoted cut."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jiangping.bulletins import inputs


def refusal(call, *args) -> str:
    with pytest.raises(ValidationError) as refused:
        call(*args)
    [message] = refused.value.messages
    return message


@pytest.mark.parametrize(("char", "shown", "reason"), [
    ("\x00", "U+0000", "不可见的控制字符"), ("\x0b", "U+000B", "不可见的控制字符"),
    ("\x0c", "U+000C", "不可见的控制字符"), ("\x1e", "U+001E", "不可见的控制字符"),
    ("\x7f", "U+007F", "不可见的控制字符"), ("\x85", "U+0085", "不可见的控制字符"),
    ("\x9f", "U+009F", "不可见的控制字符"), ("\ud800", "U+D800", "无效的字符"),
    ("\udfff", "U+DFFF", "无效的字符"), ("\uffff", "U+FFFF", "无效的字符"),
    ("\ufdd0", "U+FDD0", "无效的字符"),
])
def test_a_paragraph_with_a_control_character_or_a_lone_surrogate_is_refused(char, shown,
                                                                              reason):
    message = refusal(inputs.clean_paragraphs, ["第一段。", f"招商{char}引资。"], "存在问题")
    assert message == f"存在问题第2段含有{reason}（{shown}），请删除后重新输入。"


def test_the_paragraph_is_numbered_among_those_kept_and_items_split_at_line_breaks():
    message = refusal(inputs.clean_paragraphs, ["甲。\n\n乙。", "", "丙\x00。"], "下步工作")
    assert message == "下步工作第3段含有不可见的控制字符（U+0000），请删除后重新输入。"
    assert inputs.clean_paragraphs(["甲。\r\n乙。", "丙。\u2028丁。"], "下步工作") == [
        "甲。", "乙。", "丙。", "丁。"]
    assert inputs.clean_paragraphs("一是甲。\r\n\r\n二是乙。\r", "存在问题") == ["甲。", "乙。"]


def test_format_characters_are_removed_and_text_is_nfc():
    typed = "\ufeff招商\u200b引资\u202e到位\u2066资金\u2069偏少\u00ad。\tA\u030a"
    assert inputs.clean_paragraphs([typed], "存在问题") == ["招商引资到位资金偏少。 Å"]
    assert inputs.clean_paragraphs(["\u200b", "\u200d\u2060"], "存在问题") == []


@pytest.mark.parametrize(("value", "label", "message"), [
    ("市讲评办\x00〔2026〕6号", "文号", "文号含有不可见的控制字符（U+0000），请删除后重新输入。"),
    ("示例市\ud800办公室", "发文机关", "发文机关含有无效的字符（U+D800），请删除后重新输入。"),
    ("市讲评办\x0b〔2026〕6号", "文号", "文号含有不可见的控制字符（U+000B），请删除后重新输入。"),
])
def test_a_one_line_field_is_checked_the_same_way(value, label, message):
    assert refusal(inputs.clean_line, value, label, 100) == message


def test_a_one_line_field_keeps_one_space_for_line_breaks_and_strips_format_characters():
    typed = " 市讲评办\u200b〔2026〕\r\n6号 "
    assert inputs.clean_line(typed, "文号", 100) == "市讲评办〔2026〕 6号"
    assert inputs.clean_line(" \u200b ", "文号", 100) is None
    assert inputs.clean_line(None, "文号", 100) is None


def test_an_over_long_value_is_quoted_cut_with_its_length():
    message = refusal(inputs.clean_line, "号" * 101, "文号", 100)
    assert message == "文号超过100字：" + "号" * 50 + "…（共101字）"
    message = refusal(inputs.clean_paragraphs, ["短。", "长" * 501], "存在问题")
    assert message == "存在问题第2段超过500字：" + "长" * 50 + "…（共501字）"
    message = refusal(inputs.clean_edits, {"headline": ["x"], "x" * 60: ["y"]})
    assert message.startswith("只能修改存在问题（problems）和下步工作（actions）的段落，"
                              "不能修改“headline、")
    assert message.endswith("…（共69字）”。")


@pytest.mark.parametrize(("typed", "kept"), [
    ("一、加快进度", "加快进度"), ("十二、压实责任", "压实责任"), ("（1）强化督查", "强化督查"),
    ("(2)强化督查", "强化督查"), ("1）强化督查", "强化督查"), ("2)强化督查", "强化督查"),
    ("①加快进度", "加快进度"), ("⑴加快进度", "加快进度"), ("⒈加快进度", "加快进度"),
    ("3、抓好落实", "抓好落实"), ("4．强化督查", "强化督查"),
    # Not ordinals: the text begins with a figure or a list of numerals.
    ("一、二季度投资增速回落", "一、二季度投资增速回落"), ("1、2月份开工偏少", "1、2月份开工偏少"),
    ("1.5亿元资金未到位", "1.5亿元资金未到位"),
])
def test_more_typed_ordinals_are_removed(typed, kept):
    assert inputs.clean_paragraphs([typed], "存在问题") == [kept]


@pytest.mark.parametrize(("typed", "day"), [
    ("2026年12月5日", dt.date(2026, 12, 5)), ("2026-12-05", dt.date(2026, 12, 5)),
    ("2026/12/5", dt.date(2026, 12, 5)), ("2026.1.9", dt.date(2026, 1, 9)),
    (" 2026 年 7 月 3 日 ", dt.date(2026, 7, 3)), ("２０２６年７月３日", dt.date(2026, 7, 3)),
    ("2024-02-29", dt.date(2024, 2, 29)),
])
def test_a_date_is_read_in_the_shapes_offices_write(typed, day):
    assert inputs.parse_date(typed) == day
    assert inputs.clean_date(typed) == f"{day.year}年{day.month}月{day.day}日"


@pytest.mark.parametrize(("typed", "message"), [
    ("2026-02-30", "成文日期“2026-02-30”不是存在的日期：2026年2月没有30日。"),
    ("2025年2月29日", "成文日期“2025年2月29日”不是存在的日期：2025年2月没有29日。"),
    ("2026/13/1", "成文日期“2026/13/1”不是存在的日期：没有13月。"),
    ("1999-12-31", "成文日期“1999-12-31”的年份应在2000年至2099年之间。"),
    ("2100年1月1日", "成文日期“2100年1月1日”的年份应在2000年至2099年之间。"),
    ("下周一", "成文日期“下周一”无法识别，应写作2026年12月5日、2026-12-05或2026/12/5。"),
    ("2026-12/5", "成文日期“2026-12/5”无法识别，应写作2026年12月5日、2026-12-05或2026/12/5。"),
    ("2026年12月5", "成文日期“2026年12月5”无法识别，应写作2026年12月5日、2026-12-05或2026/12/5。"),
    ("2026-١٢-05", "成文日期“2026-١٢-05”无法识别，应写作2026年12月5日、2026-12-05或2026/12/5。"),
    ("2026\x00-12-05", "成文日期含有不可见的控制字符（U+0000），请删除后重新输入。"),
])
def test_a_date_that_is_not_one_is_refused_naming_the_value(typed, message):
    assert refusal(inputs.parse_date, typed) == message


def test_a_long_date_is_quoted_cut():
    message = refusal(inputs.parse_date, "日" * 80)
    assert message.startswith("成文日期“" + "日" * 50 + "…（共80字）”无法识别")


def test_nothing_typed_keeps_the_date():
    assert inputs.clean_date(None) is None and inputs.clean_date("  ") is None


@pytest.mark.parametrize(("typed", "kept"), [
    ("确保完成任务!", "确保完成任务！"), ("是否到位?", "是否到位？"), ("确保完成！", "确保完成！"),
    ("增速达到5%!", "增速达到5%！"), ("对标GDP?", "对标GDP？"), ("GDP?", "GDP?"),
])
def test_a_chinese_sentence_ends_with_full_width_marks(typed, kept):
    assert inputs.clean_paragraphs([typed], "存在问题") == [kept]
