"""Deadline phrases as speeches and minutes write them, each resolved against the meeting
date: the month and its end, a day, a quarter, a half, the year, working days, festivals,
the week and a day of the month alone."""

import datetime as dt

import pytest

from jiangping.tasks.deadlines import find_deadline, find_deadlines
from jiangping.tasks.proposals import all_deadlines

WED = (2025, 3, 12)  # a Wednesday; its week runs from 10 to 16 March 2025


def due(sentence, meeting=WED):
    return [(d.text, d.date) for d in find_deadlines(sentence, dt.date(*meeting))]


def day(*ymd):
    return dt.date(*ymd)


@pytest.mark.parametrize(("sentence", "meeting", "expected"), [
    ("各县区要在月底前完成排查摸底。", WED, [("月底前", day(2025, 3, 31))]),
    ("本月内完成资金拨付。", (2025, 2, 10), [("本月内", day(2025, 2, 28))]),
    ("当月底前报送统计数据。", WED, [("当月底前", day(2025, 3, 31))]),
    ("请于本月25日前报送进展情况。", WED, [("本月25日前", day(2025, 3, 25))]),
    ("请于本月5日前报送进展情况。", WED, [("本月5日前", None)]),
    ("本月31日前完成。", (2025, 4, 2), [("本月31日前", None)]),
    ("本月31日前完成。", WED, [("本月31日前", day(2025, 3, 31))]),
    ("本月12日前完成。", WED, [("本月12日前", day(2025, 3, 12))]),
    ("下月1日前完成。", WED, [("下月1日前", day(2025, 4, 1))]),
    ("下个月底前完成整改销号。", (2025, 12, 10), [("下个月底前", day(2026, 1, 31))]),
    ("下月10日前报送整改报告。", (2025, 12, 10), [("下月10日前", day(2026, 1, 10))]),
    ("下月底前完成。", WED, [("下月底前", day(2025, 4, 30))]),
])
def test_the_month_of_the_meeting_and_the_next(sentence, meeting, expected):
    assert due(sentence, meeting) == expected


@pytest.mark.parametrize(("sentence", "meeting", "expected"), [
    ("必须在9月20日前达到全面开工。", WED, [("9月20日前", day(2025, 9, 20))]),
    ("十二月二十日前完成年度考核。", WED, [("十二月二十日前", day(2025, 12, 20))]),
    ("2026年3月5日前完成验收。", WED, [("2026年3月5日前", day(2026, 3, 5))]),
    ("2月10日前完成。", (2025, 12, 5), [("2月10日前", day(2026, 2, 10))]),
    # Said on 5 December: a day just past is a slip, not one a year out.
    ("11月30日前完成。", (2025, 12, 5), [("11月30日前", None)]),
    ("10月4日前完成。", (2025, 12, 5), [("10月4日前", None)]),
    ("10月3日前完成。", (2025, 12, 5), [("10月3日前", day(2026, 10, 3))]),
    ("2月29日前完成。", WED, [("2月29日前", None)]),
    ("2028年2月29日前完成。", WED, [("2028年2月29日前", day(2028, 2, 29))]),
    ("4月31日前完成。", WED, [("4月31日前", None)]),
    ("13月5日前完成。", WED, [("13月5日前", None)]),
    # The edges of a month and of the year, and the meeting day itself.
    ("请于3月12日前报送。", WED, [("3月12日前", day(2025, 3, 12))]),
    ("3月31日前完成。", WED, [("3月31日前", day(2025, 3, 31))]),
    ("5月1日前完成。", WED, [("5月1日前", day(2025, 5, 1))]),
    ("1月15日前完成。", (2025, 12, 5), [("1月15日前", day(2026, 1, 15))]),
    ("12月31日前完成。", WED, [("12月31日前", day(2025, 12, 31))]),
])
def test_a_day(sentence, meeting, expected):
    assert due(sentence, meeting) == expected


@pytest.mark.parametrize(("sentence", "meeting", "expected"), [
    ("12月底前全面完成。", (2025, 12, 5), [("12月底前", day(2025, 12, 31))]),
    ("2月底前完成春耕备耕。", (2025, 12, 5), [("2月底前", day(2026, 2, 28))]),
    ("11月底前完成。", (2025, 12, 5), [("11月底前", None)]),
    ("9月底前完成。", (2025, 12, 5), [("9月底前", day(2026, 9, 30))]),
    ("2028年2月底前完成。", WED, [("2028年2月底前", day(2028, 2, 29))]),
    ("6月份当月完成。", WED, [("6月份当月", day(2025, 6, 30))]),
    ("13月底前完成。", WED, [("13月底前", None)]),
    ("1月底前完成。", (2025, 12, 5), [("1月底前", day(2026, 1, 31))]),
    ("6月末前完成主体工程。", WED, [("6月末前", day(2025, 6, 30))]),
])
def test_the_end_of_a_month(sentence, meeting, expected):
    assert due(sentence, meeting) == expected


@pytest.mark.parametrize(("sentence", "meeting", "expected"), [
    ("一季度实现开门红。", (2025, 5, 10), [("一季度", day(2026, 3, 31))]),
    ("第三季度末前完成。", (2025, 5, 10), [("第三季度末前", day(2025, 9, 30))]),
    ("4季度完成。", (2025, 5, 10), [("4季度", day(2025, 12, 31))]),
    ("四季度完成。", (2025, 5, 10), [("四季度", day(2025, 12, 31))]),
    ("第1季度完成。", (2025, 5, 10), [("第1季度", day(2026, 3, 31))]),
    ("第2季度完成。", (2025, 5, 10), [("第2季度", day(2025, 6, 30))]),
    ("第3季度完成。", (2025, 5, 10), [("第3季度", day(2025, 9, 30))]),
    ("二季度末完成。", (2025, 6, 30), [("二季度末", day(2025, 6, 30))]),
    ("明年二季度开工。", (2025, 5, 10), [("明年二季度", day(2026, 6, 30))]),
    ("2026年第一季度投产。", (2025, 5, 10), [("2026年第一季度", day(2026, 3, 31))]),
    ("上半年完成。", (2025, 8, 1), [("上半年", day(2026, 6, 30))]),
    ("下半年完成。", (2025, 8, 1), [("下半年", day(2025, 12, 31))]),
    ("明年上半年建成。", (2025, 8, 1), [("明年上半年", day(2026, 6, 30))]),
    ("次年上半年建成。", (2025, 8, 1), [("次年上半年", day(2026, 6, 30))]),
    ("下一年一季度建成。", (2025, 8, 1), [("下一年一季度", day(2026, 3, 31))]),
])
def test_quarters_and_halves(sentence, meeting, expected):
    assert due(sentence, meeting) == expected


@pytest.mark.parametrize(("sentence", "meeting", "expected"), [
    ("3月中旬前完成春耕备耕。", WED, [("3月中旬前", day(2025, 3, 20))]),
    ("4月上旬完成。", WED, [("4月上旬", day(2025, 4, 10))]),
    ("5月下旬前完成。", WED, [("5月下旬前", day(2025, 5, 31))]),
    ("十月中旬前完成。", WED, [("十月中旬前", day(2025, 10, 20))]),
    ("明年1月上旬前完成。", WED, [("明年1月上旬前", day(2026, 1, 10))]),
    ("3月上旬前完成。", WED, [("3月上旬前", None)]),
    ("1月上旬前完成。", (2025, 5, 10), [("1月上旬前", day(2026, 1, 10))]),
    ("2月下旬前完成。", (2025, 12, 5), [("2月下旬前", day(2026, 2, 28))]),
])
def test_ten_days_of_a_month(sentence, meeting, expected):
    assert due(sentence, meeting) == expected


@pytest.mark.parametrize(("sentence", "meeting", "expected"), [
    ("年底前全面完工。", WED, [("年底前", day(2025, 12, 31))]),
    ("年终前完成考核。", WED, [("年终前", day(2025, 12, 31))]),
    ("今年年内完成。", WED, [("今年年内", day(2025, 12, 31))]),
    ("明年底前全面完成。", WED, [("明年底前", day(2026, 12, 31))]),
    ("2026年底前建成投用。", WED, [("2026年底前", day(2026, 12, 31))]),
    ("到2027年全面建成。", WED, [("2027年", day(2027, 12, 31))]),
    ("2025年完成。", WED, [("2025年", day(2025, 12, 31))]),
    ("2024年完成的项目要及时验收。", WED, []),
    ("比2024年增长10%。", WED, []),
    ("较2024年同期有所下降。", WED, []),
    ("做好2025年度考核。", WED, []),
    ("2026年的项目要提前谋划。", WED, []),
    ("2020年以来累计投入。", WED, []),
    ("2025年同期相比。", WED, []),
    ("要摸清底数，建立台账。", WED, []),
])
def test_the_year(sentence, meeting, expected):
    assert due(sentence, meeting) == expected


@pytest.mark.parametrize(("sentence", "meeting", "expected"), [
    ("5个工作日内反馈意见。", (2025, 3, 7), [("5个工作日内", day(2025, 3, 14))]),
    ("十个工作日之内完成整改。", (2025, 3, 7), [("十个工作日之内", day(2025, 3, 21))]),
    ("两个工作日内报送。", (2025, 3, 7), [("两个工作日内", day(2025, 3, 11))]),
    # 4 to 6 April 2025 are the 清明 break.
    ("3个工作日内上报。", (2025, 4, 2), [("3个工作日内", day(2025, 4, 8))]),
])
def test_working_days(sentence, meeting, expected):
    assert due(sentence, meeting) == expected


@pytest.mark.parametrize(("sentence", "meeting", "expected"), [
    # The 2025 break is 28 January to 4 February, the 2026 one from 15 February.
    ("春节前发放到位。", (2025, 1, 10), [("春节前", day(2025, 1, 27))]),
    ("春节前发放到位。", WED, [("春节前", day(2026, 2, 14))]),
    ("明年春节前发放到位。", (2025, 1, 10), [("明年春节前", day(2026, 2, 14))]),
    ("2025年春节前发放到位。", (2025, 1, 10), [("2025年春节前", day(2025, 1, 27))]),
    ("元旦前完成。", WED, [("元旦前", day(2025, 12, 31))]),
    ("清明节前完成。", WED, [("清明节前", day(2025, 4, 3))]),
    ("五一前完工。", WED, [("五一前", day(2025, 4, 30))]),
    ("劳动节前完工。", WED, [("劳动节前", day(2025, 4, 30))]),
    ("端午节前完工。", WED, [("端午节前", day(2025, 5, 30))]),
    # 2025: 中秋 (6 October) lies in the 国庆 break from 1 October.
    ("中秋节前发放。", WED, [("中秋节前", day(2025, 9, 30))]),
    ("国庆假期前完成。", WED, [("国庆假期前", day(2025, 9, 30))]),
])
def test_festivals(sentence, meeting, expected):
    assert due(sentence, meeting) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("本周内上报排查情况。", [("本周内", day(2025, 3, 16))]),
    ("本周末前完成。", [("本周末前", day(2025, 3, 16))]),
    ("本周五前报送。", [("本周五前", day(2025, 3, 14))]),
    ("本周三前报送。", [("本周三前", day(2025, 3, 12))]),
    ("本周一前报送。", [("本周一前", None)]),
    ("下周内完成整改。", [("下周内", day(2025, 3, 23))]),
    ("下周三前报送。", [("下周三前", day(2025, 3, 19))]),
    ("本周召开专题会议。", []),
])
def test_the_week(sentence, expected):
    assert due(sentence) == expected


@pytest.mark.parametrize(("sentence", "meeting", "expected"), [
    ("请各乡镇于15日前报送。", WED, [("15日前", day(2025, 3, 15))]),
    ("请各乡镇于12日前报送。", WED, [("12日前", day(2025, 3, 12))]),
    ("请各乡镇于10日前报送。", WED, [("10日前", day(2025, 4, 10))]),
    ("请于10号之前报送。", (2025, 12, 20), [("10号之前", day(2026, 1, 10))]),
    ("请于31日前报送。", (2025, 4, 12), [("31日前", None)]),
    ("请于31日前报送。", WED, [("31日前", day(2025, 3, 31))]),
    ("请于1日前报送。", WED, [("1日前", day(2025, 4, 1))]),
    ("计划于20日前后召开。", WED, []),
    ("每月5日前报送。", WED, []),
])
def test_a_day_of_the_month_alone(sentence, meeting, expected):
    assert due(sentence, meeting) == expected


def test_several_deadlines_are_read_in_text_order():
    assert due("10月底前完成主体，12月底前竣工验收，明年春节前交付使用。") == [
        ("10月底前", day(2025, 10, 31)), ("12月底前", day(2025, 12, 31)),
        ("明年春节前", day(2026, 2, 14))]
    found = find_deadlines("县住建局要在6月底前开工。", dt.date(*WED))
    assert [(d.start, d.end) for d in found] == [(6, 10)]


def test_at_one_place_the_more_specific_form_wins():
    found = find_deadline("12月20日前完成", dt.date(*WED))
    assert (found.text, found.date, found.start, found.end) == (
        "12月20日前", day(2025, 12, 20), 0, 7)
    assert find_deadline("年底前完成，6月底前开工", dt.date(*WED)).text == "年底前"
    assert find_deadline("加快推进", dt.date(*WED)) is None


@pytest.mark.parametrize(("sentence", "meeting", "expected"), [
    ("从2025年4月起，各乡镇务于每月25日前报送进展情况。", WED, [("每月25日前", day(2025, 4, 25))]),
    ("从2026年1月起，每月10日前报送。", WED, [("每月10日前", day(2026, 1, 10))]),
    ("从12月起，每月1日前报送。", WED, [("每月1日前", day(2025, 12, 1))]),
    ("每月10日前报送。", (2025, 12, 20), [("每月10日前", day(2026, 1, 10))]),
    ("每月29日前报送。", WED, [("每月29日前", None)]),
    ("30天内完成整改。", WED, [("30天内", day(2025, 4, 11))]),
    ("奋战60天，确保完成。", WED, [("奋战60天", day(2025, 5, 11))]),
    ("年底前完成，每月5日前报送进展。", WED,
     [("年底前", day(2025, 12, 31)), ("每月5日前", day(2025, 4, 5))]),
])
def test_every_month_and_counts_of_days(sentence, meeting, expected):
    found = all_deadlines(sentence, dt.date(*meeting))
    assert [(d.text, d.date) for d in found] == expected
