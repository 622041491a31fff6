"""Number text as people type it (数字文本): a comma is a thousands separator only, in
groups of three; nothing else is silently read as a different number."""

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiangping.intake import normalize as n
from jiangping.intake.converters import number_converter
from jiangping.intake.normalize import CellError, Percent, fit_decimal, parse_decimal


@pytest.mark.parametrize("raw, expected", [
    ("1,234", Decimal("1234")), ("1,234,567.89", Decimal("1234567.89")),
    ("-1,234", Decimal("-1234")), ("１，２３４", Decimal("1234")),
    ("1 234 567", Decimal("1234567")),
    (" 12 ", Decimal("12")), ("+5", Decimal("5")), (".5", Decimal("0.5")), ("5.", Decimal("5")),
    ("−5", Decimal("-5")), ("－5", Decimal("-5")), ("−1,234.5", Decimal("-1234.5")),
    ("1,234.5%", Decimal("1234.5")), ("12.3%", Decimal("12.3")),
    ("−", None), ("-", None), ("－", None),
])
def test_numbers_read(raw, expected):
    assert n.parse_decimal(raw) == expected


@pytest.mark.parametrize("raw", ["12,3", "13,75", "1.234,56", "1 234,5", "1,23", "12,34,567",
                                 "1,2345", "１２，３", ",123", "1,,234"])
def test_a_comma_that_does_not_group_thousands_is_refused(raw):
    with pytest.raises(n.CellError) as refused:
        n.parse_decimal(raw)
    assert refused.value.message == (
        "逗号只能用作千位分隔符（每三位一组，如“1,234.5”），小数点请用“.”。")


@pytest.mark.parametrize("raw, reason", [
    ("1_000", "下划线"), ("1e5", "科学计数法"), ("1.2E+05", "科学计数法"),
    ("Infinity", "不是有效的数字"), ("NaN", "不是有效的数字"), ("-Infinity", "不是有效的数字"),
    ("12 3", "空格"), ("1'23", "撇号"), ("١٢", "非标准的数字字符"), ("--5", "不是有效的数字"),
    ("+", "不是有效的数字"), (".", "不是有效的数字"), ("%", "不是有效的数字"),
    (Decimal("NaN"), "不是有效的数字"), (float("inf"), "不是有效的数字"),
])
def test_what_python_would_accept_is_refused_with_its_reason(raw, reason):
    with pytest.raises(n.CellError) as refused:
        n.parse_decimal(raw)
    assert reason in refused.value.message


def test_the_converter_of_import_form_and_api_is_the_same_reading():
    convert = number_converter("亿元")
    assert convert("1,234.5") == Decimal("1234.5")
    for raw in ("12,3", "1_000", "1e5", "NaN", " Infinity "):
        with pytest.raises(n.CellError):
            convert(raw)


@settings(deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=4,
                   min_value=Decimal("-1e12"), max_value=Decimal("1e12")))
def test_a_number_written_with_grouping_reads_back_equal(value):
    assert n.parse_decimal(f"{value:,f}") == value
    assert n.parse_decimal(f"{value:,f}".replace(",", "，")) == value


_NON_GROUP = re.compile(r"^[+-]?\d{1,3}(,\d{3})*(\.\d*)?$")


@settings(deadline=None)
@given(st.from_regex(r"\A-?[0-9]{0,7},[0-9]{0,5}(\.[0-9]{0,3})?\Z"))
def test_a_comma_outside_groups_of_three_is_refused_never_changed(text):
    if _NON_GROUP.match(text):
        assert n.parse_decimal(text) == Decimal(text.replace(",", ""))
    else:
        with pytest.raises(n.CellError):
            n.parse_decimal(text)


@pytest.mark.parametrize("unit", ["人", "个", "户", "项", "辆", "人次"])
def test_a_fraction_of_a_whole_unit_is_refused(unit):
    convert = number_converter(unit)
    assert convert("12") == 12 and convert("1,200.00") == 1200
    with pytest.raises(n.CellError) as refused:
        convert("12.5")
    assert refused.value.message == f"计量单位“{unit}”按整数计，不能填小数。"
    assert number_converter("万人")("1.5") == Decimal("1.5")


@pytest.mark.parametrize("raw, expected", [
    (2019.11, "2019-11"), ("2019.11", "2019-11"), (2019.01, "2019-01"), ("2019.01", "2019-01"),
    ("2019.10", "2019-10"), (2019.2, "2019-02"), ("2019.12", "2019-12"),
])
def test_a_dotted_period_is_a_month(raw, expected):
    assert n.parse_period(raw) == expected


@pytest.mark.parametrize("raw", [2019.1, "2019.1"])
def test_a_dotted_period_that_may_be_january_or_october_is_refused(raw):
    with pytest.raises(n.CellError) as refused:
        n.parse_period(raw)
    assert "可能是1月，也可能是10月" in refused.value.message


def test_a_cell_is_quoted_as_typed_and_cut():
    assert n.quote(5.0) == "5" and n.quote(46328.0) == "46328" and n.quote(" 甲区 ") == "甲区"
    long = "9" * 100000
    assert n.quote(long) == "9" * 50 + "…（共100000字）"
    assert len(n.range_message(Decimal(long))) < 120


@pytest.mark.parametrize("text", ["①", "₃5", "𝟓5", "2⁵", "²3", "٣"])
def test_digit_look_alikes_are_refused_not_folded(text):
    """NFKC turns ①, ², ₃ and 𝟓 into digits: such a cell is refused, never read as 1, 23…"""
    with pytest.raises(CellError) as refused:
        parse_decimal(text)
    assert "非标准的数字字符" in refused.value.message


def test_full_width_digits_are_still_read():
    assert parse_decimal("１２.３") == Decimal("12.3")


@pytest.mark.parametrize("text, value", [("12.3 %", "12.3"), ("5 %", "5"), ("12.3%", "12.3")])
def test_a_space_before_the_percent_sign(text, value):
    read = parse_decimal(text)
    assert isinstance(read, Percent) and read == Decimal(value)


def test_a_non_zero_figure_that_would_round_to_zero_is_refused():
    with pytest.raises(CellError) as refused:
        fit_decimal(Decimal("0.0000001"), "0.0000001")
    assert "0.0000001" in refused.value.message and "变成 0" in refused.value.message
    assert fit_decimal(Decimal("0.0000005")) == Decimal("0.000001")
    assert fit_decimal(Decimal("0")) == 0
