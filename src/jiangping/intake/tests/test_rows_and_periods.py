"""Which rows are passed over as totals and footnotes, where a sheet's period comes from,
the period given to a run, and numbers that must come back as written."""

from decimal import Decimal

import pytest

from jiangping.indicators.models import Target, Value
from jiangping.intake import normalize as n
from jiangping.intake.engine import InvalidPeriod, run_import
from jiangping.intake.tests.helpers import write_csv, write_xlsx
from jiangping.orgs.scope import Scope

P = "2019-11"


def values():
    return {(v.unit.name, v.indicator.code, v.period): v.value
            for v in Value.objects.select_related("unit", "indicator")}


def errors(result):
    return [(e["row"], e["column"], e["value"]) for e in result.as_dict()["errors"]]


# --- totals and footnotes ---------------------------------------------------------
def test_a_remark_does_not_hide_a_rows_errors(cast, tmp_path):
    path = write_xlsx(tmp_path / "remarks.xlsx", [
        ["2019年1-11月"],
        ["序号", "县区", "固定资产投资", "一般公共预算收入", "备注"],
        [1, "甲区", "12.3%", 5, "注：投资为快报数"],
        [2, "乙县", 45, 6, None],
        [3, "丙市", "五十", None, "含小计"],
        [None, "合计", 95, 11, None],
        ["小計", None, 95, 11, None],
        [None, "總計", "—", "", None],
        ["注：数据为快报数。"],
        ["填报人：张三", None, None, None, "审核人：李四"],
    ])
    result = run_import("indicators", path, scope=Scope.operator(), apply=True)
    assert errors(result) == [(3, "固定资产投资", "12.3%"), (5, "固定资产投资", "五十")]
    assert (result.rows_read, result.rows_error) == (3, 2)


def test_a_total_word_outside_the_key_cell_is_data(cast, tmp_path):
    path = write_csv(tmp_path / "long.csv", [
        ["单位", "指标", "期间", "数值", "说明"],
        ["甲区", "固定资产投资", P, "abc", "合计"],
        ["乙县", "固定资产投资", P, "7", "注：小计"],
        ["合计", "固定资产投资", P, "7", ""],
    ])
    result = run_import("indicators", path, scope=Scope.operator())
    assert errors(result) == [(2, "数值", "abc")]
    assert (result.rows_read, result.rows_ok) == (2, 1)


# --- the period of a sheet ----------------------------------------------------------
def wide(path, *titles):
    return write_xlsx(path, [*titles, ["县区", "固定资产投资"], ["甲区", 123.4]])


@pytest.mark.parametrize("titles", [
    (["2019年1-11月主要经济指标完成情况"], ["填报日期：2019年12月5日"]),
    (["填报单位：甲区统计局", "2019年12月"], ["2019年1-11月主要经济指标"]),
    (["2019年1-11月主要经济指标（截至2019年12月5日）"],),
    (["2019年1-11月"], ["制表：2019年12月"], ["报送日期", "2019年12月3日"]),
])
def test_datelines_and_dates_above_the_header_are_not_the_period(cast, tmp_path, titles):
    result = run_import("indicators", wide(tmp_path / "w.xlsx", *titles),
                        scope=Scope.operator(), apply=True)
    assert result.as_dict()["errors"] == []
    assert values() == {("甲区", "fai", P): Decimal("123.4")}


def test_a_dateline_alone_gives_no_period(cast, tmp_path):
    path = wide(tmp_path / "w.xlsx", ["主要经济指标完成情况"], ["填报日期：2019年12月5日"])
    result = run_import("indicators", path, scope=Scope.operator())
    assert [e["message"] for e in result.as_dict()["errors"]] == [
        "表头（第3行）缺少“期间”列。可在表格标题中写明期间（如“2019年1-11月”）或用 --period 指定。"]


def test_two_periods_above_the_header_are_refused_by_name(cast, tmp_path):
    path = wide(tmp_path / "w.xlsx", ["2019年1-11月主要经济指标"], ["（2019年10月数据）"])
    result = run_import("indicators", path, scope=Scope.operator())
    assert result.as_dict()["errors"] == [{
        "row": 3, "column": "期间", "value": None,
        "message": "表头上方的标题写有不同的期间（2019-11、2019-10），无法确定本表的期间；"
                   "请只保留一个。"}]
    # --period names one of them, but the titles still disagree with it.
    assert not run_import("indicators", path, scope=Scope.operator(), period="2019-10").ok


def test_title_periods():
    assert n.title_periods("2019年1-11月（截至2019年12月5日）") == ["2019-11"]
    assert n.title_periods("2019年11月30日") == []
    assert n.year_in_title("截至2019年12月5日 2020年目标") == 2020
    assert n.is_dateline("填報日期：2019年12月5日") and not n.is_dateline("2019年1-11月")
    with pytest.raises(n.CellError, match="2019-11、2019-12"):
        n.period_above_header(["2019年1-11月", "2019年12月"])
    assert n.period_above_header(["2019年1-11月", "填报日期 2019年12月"]) == P


# --- the period given to a run ----------------------------------------------------
@pytest.mark.parametrize("form", ["indicators", "targets", "peers"])
@pytest.mark.parametrize("period", ["abc", "2019-13", "2019-00", ""])
def test_a_bad_run_period_is_refused_before_reading(cast, tmp_path, form, period):
    path = write_csv(tmp_path / "w.csv", [["县区", "固定资产投资"], ["甲区", "2"]])
    with pytest.raises(InvalidPeriod, match="格式不正确"):
        run_import(form, path, scope=Scope.operator(), period=period, apply=True)
    assert not Value.objects.exists() and not Target.objects.exists()


def test_the_run_period_is_read_in_any_spelling(cast, tmp_path):
    path = write_csv(tmp_path / "w.csv", [["县区", "固定资产投资"], ["甲区", "2"]])
    assert run_import("indicators", path, scope=Scope.operator(), period="2019年11月",
                      apply=True).created == 1
    assert run_import("targets", path, scope=Scope.operator(), period="201911",
                      apply=True).created == 1
    assert list(Target.objects.values_list("year", flat=True)) == [2019]
    assert values() == {("甲区", "fai", P): Decimal(2)}


# --- numbers as written -------------------------------------------------------------
def test_reimporting_15_significant_digits_changes_nothing(cast, tmp_path):
    path = write_csv(tmp_path / "big.csv", [
        ["单位", "指标", "期间", "数值"],
        ["甲区", "固定资产投资", P, "1234567890123.45"],
        ["乙县", "固定资产投资", P, "123456789.123456"],
        ["丙市", "固定资产投资（万元）", P, "1234567890123.45"],
    ])
    first = run_import("indicators", path, scope=Scope.operator(), apply=True)
    assert (first.created, first.updated) == (3, 0)
    assert values() == {("甲区", "fai", P): Decimal("1234567890123.45"),
                        ("乙县", "fai", P): Decimal("123456789.123456"),
                        ("丙市", "fai", P): Decimal("123456789.012345")}
    again = run_import("indicators", path, scope=Scope.operator(), apply=True)
    assert (again.rows_ok, again.created, again.updated) == (3, 0, 0)


def test_more_than_15_significant_digits_are_row_errors(cast, tmp_path):
    path = write_csv(tmp_path / "big.csv", [
        ["单位", "指标", "期间", "数值"],
        ["甲区", "固定资产投资", P, "1234567890123.456789"],
        ["乙县", "固定资产投资", P, "9999999999999.999999"],
        ["丙市", "固定资产投资", P, "1234567890123.4"],
    ])
    result = run_import("indicators", path, scope=Scope.operator(), apply=True)
    assert errors(result) == [(2, "数值", "1234567890123.456789"),
                              (3, "数值", "9999999999999.999999")]
    assert result.errors[0].message.startswith("数值“1234567890123.456789”的有效数字超过 15 位")
    assert not Value.objects.exists()
