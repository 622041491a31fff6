from decimal import Decimal

from jiangping.indicators.models import Value
from jiangping.intake.engine import run_import
from jiangping.intake.tests.helpers import write_csv, write_xlsx
from jiangping.orgs.scope import Scope


def values():
    return {(v.unit.name, v.indicator.code, v.period): v.value
            for v in Value.objects.select_related("unit", "indicator")}


def test_long_csv_dry_run_then_apply(cast, tmp_path):
    path = write_csv(tmp_path / "v.csv", [
        ["单位", "指标", "期间", "数值"],
        ["甲区", "固定资产投资", "2019-11", "123.4"],
        ["乙县", "固投", "2019年11月", "1,000"],
    ])
    result = run_import("indicators", path, scope=Scope.operator())
    assert result.as_dict()["errors"] == []
    assert (result.rows_read, result.rows_ok, result.applied) == (2, 2, False)
    assert (result.created, result.updated) == (2, 0)
    assert Value.objects.count() == 0
    result = run_import("indicators", path, scope=Scope.operator(), apply=True)
    assert result.applied and (result.created, result.updated) == (2, 0)
    assert values() == {("甲区", "fai", "2019-11"): Decimal("123.4"),
                        ("乙县", "fai", "2019-11"): Decimal("1000")}
    again = run_import("indicators", path, scope=Scope.operator(), apply=True)
    assert (again.created, again.updated) == (0, 2)


def county_workbook(path):
    return write_xlsx(path, [
        ["2019年1-11月主要经济指标完成情况"],
        ["序号", "县区", "固定资产投资", None, "一般公共预算收入", "PM10浓度（μg/m³）"],
        [None, None, "累计（亿元）", "增速（%）", "完成（万元）", None],
        [None, "合计", "169.0", None, "69134", None],
        [1, "甲区", "１２３.４", "8.2%", 56789, 60],
        [2, "乙縣", 45.6, "—", "12,345", "５５"],
        [],
        ["注：数据为快报数。"],
    ], merges=("A1:F1", "A2:A3", "B2:B3", "C2:D2", "F2:F3"))


def test_county_submission_workbook(cast, tmp_path):
    path = county_workbook(tmp_path / "county.xlsx")
    result = run_import("indicators", path, scope=Scope.operator(), apply=True)
    assert result.as_dict()["errors"] == []
    assert (result.rows_read, result.rows_ok, result.rows_error) == (2, 2, 0)
    assert values() == {
        ("甲区", "fai", "2019-11"): Decimal("123.4"),
        ("甲区", "fai_growth", "2019-11"): Decimal("8.2"),
        ("甲区", "revenue", "2019-11"): Decimal("5.6789"),
        ("甲区", "pm10", "2019-11"): Decimal("60"),
        ("乙县", "fai", "2019-11"): Decimal("45.6"),
        ("乙县", "revenue", "2019-11"): Decimal("1.2345"),
        ("乙县", "pm10", "2019-11"): Decimal("55"),
    }
    assert (result.created, result.updated) == (7, 0)


def test_refused_rows_write_nothing(cast, tmp_path):
    path = write_xlsx(tmp_path / "bad.xlsx", [
        ["单位", "指标", "期间", "数值"],
        ["甲区", "固定资产投资", "2019-11", 100],
        ["甲区", "不存在的指标", "2019-11", 5],
        ["乙县", "固定资产投资", "2019-11", "abc"],
        ["甲区", "固投", "2019年11月", 101],
    ])
    result = run_import("indicators", path, scope=Scope.operator(), apply=True)
    data = result.as_dict()
    assert not data["applied"] and Value.objects.count() == 0
    assert (data["rows_read"], data["rows_ok"], data["rows_error"]) == (4, 1, 3)
    assert [(e["row"], e["column"], e["value"]) for e in data["errors"]] == [
        (3, "指标", "不存在的指标"),
        (4, "数值", "abc"),
        (5, "单位/指标/期间", "甲区/固定资产投资/2019-11"),
    ]
    assert "未知的指标" in data["errors"][0]["message"]
    assert "与第2行重复" in data["errors"][2]["message"]
