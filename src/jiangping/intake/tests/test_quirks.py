"""What county workbooks really hold: two-level headers over 数值, percent-formatted
cells, units in indicator cells, several sheets, Traditional headers and totals, numbers
too large to store."""

from decimal import Decimal

import openpyxl

from jiangping.indicators.models import Value
from jiangping.intake.engine import run_import
from jiangping.intake.models import State, Submission
from jiangping.intake.tests.helpers import write_csv, write_xlsx
from jiangping.orgs.scope import Scope

P = "2019-11"


def values():
    return {(v.unit.name, v.indicator.code, v.period): v.value
            for v in Value.objects.select_related("unit", "indicator")}


def errors(result):
    return [(e["row"], e["column"], e["value"]) for e in result.as_dict()["errors"]]


def test_numbers_beyond_the_stored_range_are_row_errors(cast, tmp_path):
    path = write_csv(tmp_path / "big.csv", [
        ["单位", "指标", "期间", "数值"],
        ["甲区", "固定资产投资", P, "1e20"],
        ["乙县", "固定资产投资", P, "99999999999999"],
        ["丙市", "固定资产投资", P, "9999999999999"],
        ["甲区", "固定资产投资（万元）", "2019-10", "1,000,000,000,000,000,000"],
    ])
    result = run_import("indicators", path, scope=Scope.operator(), apply=True)
    assert errors(result) == [(2, "数值", "1e20"), (3, "数值", "99999999999999"),
                              (5, "数值", "1,000,000,000,000,000,000")]
    assert "科学计数法" in result.errors[0].message
    assert all("整数部分最多 13 位" in e.message for e in result.errors[1:])
    wide = write_csv(tmp_path / "wide.csv", [
        ["单位", "固定资产投资（元）"], ["甲区", "1" + "0" * 30], ["乙县", "5"]])
    result = run_import("indicators", wide, scope=Scope.operator(), period=P)
    # The column as written in the file (full-width brackets kept).
    assert errors(result) == [(2, "固定资产投资（元）", "1" + "0" * 30)]
    assert not Value.objects.exists()


def test_two_level_header_over_value_word(cast, tmp_path):
    path = write_xlsx(tmp_path / "two.xlsx", [
        ["2019年1-11月主要经济指标"],
        ["单位", "固定资产投资", None, "一般公共预算收入"],
        [None, "数值", "增速", "完成值（万元）"],
        ["甲区", 120.5, 8.1, 25000],
    ], merges=("A1:D1", "A2:A3", "B2:C2"))
    result = run_import("indicators", path, scope=Scope.operator(), apply=True)
    assert result.as_dict()["errors"] == [] and result.rows_read == 1
    assert values() == {("甲区", "fai", P): Decimal("120.5"),
                        ("甲区", "fai_growth", P): Decimal("8.1"),
                        ("甲区", "revenue", P): Decimal("2.5")}


def percent_workbook(path, rows, percent_cells):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for ref, number_format in percent_cells:
        sheet[ref].number_format = number_format
    workbook.save(path)
    return path


def test_percent_formatted_cells(cast, tmp_path):
    long = percent_workbook(tmp_path / "long.xlsx", [
        ["单位", "指标", "期间", "数值"],
        ["甲区", "固定资产投资增速", P, 0.082],
        ["乙县", "固定资产投资增速", P, -0.015],
        ["丙市", "固定资产投资增速", P, 7.5],
    ], [("D2", "0.0%"), ("D3", '0.00"%";[Red]-0.00%')])
    result = run_import("indicators", long, scope=Scope.operator(), apply=True)
    assert result.ok, result.as_dict()
    assert values() == {("甲区", "fai_growth", P): Decimal("8.2"),
                        ("乙县", "fai_growth", P): Decimal("-1.5"),
                        ("丙市", "fai_growth", P): Decimal("7.5")}
    wide = percent_workbook(tmp_path / "wide.xlsx", [
        ["2019年1-10月"],
        ["单位", "固定资产投资", "固定资产投资增速"],
        ["甲区", 0.12, 0.061],
    ], [("B3", "0%"), ("C3", "0.0%")])
    result = run_import("indicators", wide, scope=Scope.operator(), apply=True)
    assert errors(result) == [(3, "固定资产投资", "12%")]
    assert "亿元" in result.errors[0].message and "百分数" in result.errors[0].message
    long_bad = percent_workbook(tmp_path / "bad.xlsx", [
        ["单位", "指标", "期间", "数值"], ["甲区", "固定资产投资", P, 0.5]], [("D2", "0%")])
    result = run_import("indicators", long_bad, scope=Scope.operator())
    assert errors(result) == [(2, "数值", "50%")]


def test_units_in_indicator_cells_and_percent_text(cast, tmp_path):
    path = write_csv(tmp_path / "units.csv", [
        ["单位", "指标", "期间", "数值"],
        ["甲区", "固定资产投资（万元）", P, "10000"],
        ["乙县", "固定资产投资", P, "3.5"],
        ["甲区", "固定资产投资增速", P, "12.3%"],
        ["乙县", "一般公共预算收入(亿元)", P, "2"],
    ])
    result = run_import("indicators", path, scope=Scope.operator(), apply=True)
    assert result.ok, result.as_dict()
    assert values() == {("甲区", "fai", P): Decimal("1"), ("乙县", "fai", P): Decimal("3.5"),
                        ("甲区", "fai_growth", P): Decimal("12.3"),
                        ("乙县", "revenue", P): Decimal("2")}
    bad = write_csv(tmp_path / "bad.csv", [
        ["单位", "指标", "期间", "数值（万元）"],
        ["甲区", "固定资产投资", "2019-10", "12.3%"],
        ["甲区", "固定资产投资增速（万元）", "2019-10", "5"],
        ["乙县", "固定资产投资增速", "2019-10", "5"],
    ])
    result = run_import("indicators", bad, scope=Scope.operator())
    assert errors(result) == [(2, "数值（万元）", "12.3%"),
                              (3, "指标", "固定资产投资增速（万元）"),
                              (4, "数值（万元）", "5")]
    assert "不能填百分数" in result.errors[0].message


def several_sheets(path, sheets):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def test_every_recognised_sheet_is_imported(cast, tmp_path):
    path = several_sheets(tmp_path / "book.xlsx", [
        ("经济", [["2019年1-11月"], ["单位", "固定资产投资"], ["甲区", 12], ["乙县", 8]]),
        ("环境", [["单位", "指标", "期间", "数值"], ["甲区", "PM10浓度", P, 60]]),
        ("填表说明", [["本表由各县区填写"], ["单位", "填全称"]]),
    ])
    result = run_import("indicators", path, scope=Scope.operator(), apply=True)
    data = result.as_dict()
    assert data["errors"] == [] and data["rows_read"] == 3
    assert data["sheets"] == [{"name": "经济", "imported": True, "rows_read": 2},
                              {"name": "环境", "imported": True, "rows_read": 1},
                              {"name": "填表说明", "imported": False, "rows_read": 0}]
    assert len(values()) == 3


def test_errors_name_their_sheet(cast, tmp_path):
    path = several_sheets(tmp_path / "book.xlsx", [
        ("经济", [["2019年1-11月"], ["单位", "固定资产投资"], ["甲区", 12]]),
        ("环境", [["单位", "指标", "期间", "数值"], ["甲区", "PM10浓度", P, 60],
                  ["甲区", "PM10浓度", P, 61], ["乙县", "PM10浓度", P, "高"]]),
        ("其他", [["县区", "某项数据"], ["甲区", 5]]),
        ("补充", [["单位", "指标", "数值"], ["甲区", "固投", 5]]),
        ("附表", [["附：", None], [1, 2]]),
    ])
    result = run_import("indicators", path, scope=Scope.operator(), apply=True)
    data = result.as_dict()
    assert not data["applied"] and not Value.objects.exists()
    by_sheet = [(e.get("sheet"), e["row"], e["value"], e["message"]) for e in data["errors"]]
    # In the order of the file, though the repeated key is found after row 4 is read.
    assert by_sheet[0][:3] == ("环境", 3, "甲区/PM10浓度/2019-11")
    assert by_sheet[0][3].startswith("工作表“环境”第3行：与第2行重复")
    assert by_sheet[1][:3] == ("环境", 4, "高")
    assert by_sheet[1][3] == "工作表“环境”第4行：不是有效的数字。"
    other = [e for e in by_sheet if e[0] == "其他"]
    assert other and all(e[3].startswith("工作表“其他”第1行：") for e in other)
    [added] = [e for e in by_sheet if e[0] == "补充"]
    assert added[1] == 1 and "缺少“期间”列" in added[3]
    [extra] = [e for e in by_sheet if e[0] == "附表"]
    assert extra[1] is None and extra[3].startswith("工作表“附表”：未能识别表格格式")
    again = several_sheets(tmp_path / "again.xlsx", [
        ("一", [["单位", "指标", "期间", "数值"], ["甲区", "PM10浓度", P, 60]]),
        ("二", [["单位", "指标", "期间", "数值"], ["甲区", "PM10浓度", P, 61]]),
    ])
    [error] = run_import("indicators", again, scope=Scope.operator()).as_dict()["errors"]
    assert error["sheet"] == "二" and "与工作表“一”第2行重复" in error["message"]


def test_errors_carry_the_cell_as_written(cast, tmp_path):
    Submission.objects.create(unit=cast.county_a, period=P, form="indicators",
                              state=State.APPROVED)
    path = write_csv(tmp_path / "v.csv", [
        ["单位", "指标", "期间", "数值"], ["甲", "固投", "2019年11月", "1"]])
    assert errors(run_import("indicators", path, scope=Scope.operator())) == [
        (2, "单位", "甲")]
    wide = write_csv(tmp_path / "w.csv", [
        ["2019年11月"], ["单位", "固投", "PM10浓度"], ["甲区", "5", "60"]])
    result = run_import("indicators", wide, scope=Scope.operator())
    assert errors(result) == [(3, "固投", "5"), (3, "PM10浓度", "60")]
    assert "已审核锁定" in result.errors[0].message


def test_submitted_month_refuses_the_county_not_the_city_office(cast, tmp_path):
    Submission.objects.create(unit=cast.county_a, period=P, form="indicators",
                              state=State.SUBMITTED)
    path = write_csv(tmp_path / "v.csv", [
        ["单位", "指标", "期间", "数值"], ["甲区东街道", "固投", P, "1"]])
    county = run_import("indicators", path, scope=Scope.for_user(cast.reporter_a))
    assert errors(county) == [(2, "单位", "甲区东街道")]
    assert "随“甲区”的填报报送" in county.errors[0].message
    office = run_import("indicators", path, scope=Scope.for_user(cast.office), apply=True)
    assert office.ok and office.created == 1


def test_traditional_headers_and_totals(cast, tmp_path):
    path = write_csv(tmp_path / "trad.csv", [
        ["單位", "指標", "數值（萬元）"],
        ["甲區", "固定資產投資", "10000"],
        ["乙縣", "固定資產投資", "20000"],
        ["小計", "固定資產投資", "30000"],
        ["合計", "", "30000"],
        ["總計", "", "30000"],
    ])
    result = run_import("indicators", path, scope=Scope.operator(), period=P, apply=True)
    assert result.as_dict()["errors"] == [] and result.rows_read == 2
    assert values() == {("甲区", "fai", P): Decimal("1"), ("乙县", "fai", P): Decimal("2")}
