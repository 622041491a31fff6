import datetime as dt
from decimal import Decimal

import pytest

from jiangping.intake import measures as m
from jiangping.intake import normalize as n
from jiangping.intake.reading import sniff_encoding


@pytest.mark.parametrize("raw, expected", [
    ("12.3", Decimal("12.3")), ("１２.３", Decimal("12.3")), ("12.3%", Decimal("12.3")),
    ("1,234.5", Decimal("1234.5")), ("－5", Decimal("-5")), (12.3, Decimal("12.3")),
    (7, Decimal(7)), ("—", None), ("-", None), ("/", None), ("无", None), ("", None),
    (None, None), (" ", None),
])
def test_decimal(raw, expected):
    assert n.parse_decimal(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "NaN", "Infinity", True, "1.2.3"])
def test_not_a_number(raw):
    with pytest.raises(n.CellError):
        n.parse_decimal(raw)


@pytest.mark.parametrize("raw", [
    "2019-11", "2019年11月", "201911", "2019/11", "2019.11", 201911, 201911.0,
    "2019年1-11月", "2019年1—11月", "２０１９年１１月", dt.date(2019, 11, 30), "2019-11-30",
])
def test_period(raw):
    assert n.parse_period(raw) == "2019-11"


@pytest.mark.parametrize("raw", ["2019-13", "19-11", "十一月", 2019.13, 201913])
def test_bad_period(raw):
    with pytest.raises(n.CellError):
        n.parse_period(raw)


@pytest.mark.parametrize("title", [
    "2019年1-11月主要经济指标完成情况", "2019年1—11月", "2019年11月全市经济运行", "2019年1月-11月"])
def test_period_in_title(title):
    assert n.period_in_title(title) == "2019-11"


def test_headers_and_units():
    assert m.split_header("总投资（万元）") == ("总投资", "万元")
    assert m.split_header("总投资(亿元)") == ("总投资", "亿元")
    assert m.split_header("县（市、区）") == ("县(市、区)", None)
    assert m.conversion_factor("万元", "亿元") == Decimal("0.0001")
    assert m.conversion_factor(None, "亿元") == 1
    assert m.conversion_factor("µg/m³", "μg/m³") == 1
    assert m.conversion_factor("万元", "%") is None


def test_names_and_marks():
    assert n.name_key(" 乙縣 ") == "乙县"
    assert n.is_total_label("合 计") and n.is_total_label("全市合计")
    assert not n.is_total_label("甲区")
    assert n.is_footnote("注：快报数")
    assert n.parse_year("2020年") == 2020
    assert n.parse_date("2019年11月30日") == dt.date(2019, 11, 30)


def test_sniff_encoding():
    assert sniff_encoding("单位".encode()) == "utf-8"
    assert sniff_encoding(b"\xef\xbb\xbf" + "单位".encode()) == "utf-8-sig"
    assert sniff_encoding("单位,乙縣".encode("gb18030")) == "gb18030"
