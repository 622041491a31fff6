"""No value dropped silently: formulas without a saved result and error values are
refused with the cell named (every form, a task's deadline too); hidden rows and hidden
sheets are not imported and the report says so; a TSV whose values hold thousands
separators is read as tab-separated."""

from __future__ import annotations

import json
import re
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from jiangping.indicators.models import Value
from jiangping.intake.engine import run_import
from jiangping.intake.tests import hostile
from jiangping.orgs.scope import Scope
from jiangping.tasks.models import Task
from jiangping.tasks.tests.test_imports import HEADER as TASK_HEADER

FORMULA = "公式没有计算结果，请在 Excel/WPS 中打开并保存后再导入。"


def _import(cast, path, form="indicators", apply=True, period=None):
    return run_import(form, path, scope=Scope.for_user(cast.office), user=cast.office,
                      apply=apply, period=period)


def _errors(result):
    return [(e.row, e.column, e.value if e.value.__class__ in (str, int, float, type(None))
             else str(e.value), e.message) for e in result.errors]


@pytest.mark.parametrize("column", [3, 4])  # 期间, 数值
def test_formula_without_result_is_refused_with_its_cell(cast, tmp_path, column):
    row = ["甲区", "固投", "2019-11", "5"]
    row[column - 1] = "=B3+B4"
    path = hostile.xlsx(tmp_path / "f.xlsx", [hostile.HEADER, row,
                                              ["乙县", "固投", "2019-11", "6"]])
    result = _import(cast, path)
    label = hostile.HEADER[column - 1]
    assert not result.ok and result.rows_error == 1 and result.rows_ok == 1
    assert [(e.row, e.column, e.message) for e in result.errors] == [(2, label, FORMULA)]
    assert result.as_dict()["errors"][0]["value"] == "=B3+B4"
    assert Value.objects.count() == 0


@pytest.mark.parametrize("error", ["#DIV/0!", "#REF!", "#N/A", "#VALUE!"])
def test_cached_error_value_is_refused(cast, tmp_path, error):
    path = hostile.xlsx(tmp_path / "e.xlsx", [hostile.HEADER, ["甲区", "固投", "2019-11", error]])
    result = _import(cast, path)
    assert not result.ok
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "数值", f"单元格是错误值 {error}，请改正后再导入。")]
    assert result.as_dict()["errors"][0]["value"] == error
    assert Value.objects.count() == 0


def test_task_deadline_formula_and_error_are_refused(cast, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(TASK_HEADER)
    sheet.append(["加快推进重点项目建设", "讲评会", "讲话", "2019-12-10", "甲区", None,
                  "=D2+30", None, None])
    sheet.append(["抓好秸秆禁烧", "讲评会", "讲话", "2019-12-10", "乙县", None, "#REF!",
                  None, None])
    path = tmp_path / "tasks.xlsx"
    workbook.save(path)
    result = _import(cast, path, form="tasks")
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "完成时限", FORMULA), (3, "完成时限", "单元格是错误值 #REF!，请改正后再导入。")]
    assert Task.objects.count() == 0


def test_computed_formula_results_are_read(cast, tmp_path):
    """A formula saved with its result (as Excel and WPS save it) is its result."""
    path = tmp_path / "computed.xlsx"
    xml = (b'<row r="2"><c r="A2" t="inlineStr"><is><t>\xe7\x94\xb2\xe5\x8c\xba</t></is></c>'
           b'<c r="B2" t="inlineStr"><is><t>fai</t></is></c><c r="C2" t="inlineStr"><is>'
           b'<t>2019-11</t></is></c><c r="D2"><f>1+4</f><v>5</v></c></row>'
           b'<row r="3"><c r="A3" t="inlineStr"><is><t>\xe4\xb9\x99\xe5\x8e\xbf</t></is></c>'
           b'<c r="B3" t="inlineStr"><is><t>fai</t></is></c><c r="C3" t="str"><f>"2019-"&amp;'
           b'"11"</f><v>2019-11</v></c><c r="D3"><f>2*3</f><v>6</v></c></row>')
    hostile.xlsx(path, [hostile.HEADER])
    import zipfile
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(b"</row></sheetData>",
                                                      b"</row>" + xml + b"</sheetData>")
    # Excel and WPS save without asking for a recalculation on load
    parts["xl/workbook.xml"] = re.sub(rb'\s*fullCalcOnLoad="[^"]*"', b"",
                                      parts["xl/workbook.xml"])
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    result = _import(cast, path)
    assert result.ok, result.errors
    assert sorted(Value.objects.values_list("value", flat=True)) == [5, 6]


def test_placeholder_results_of_a_workbook_recalculated_on_load_are_refused(cast, tmp_path):
    """A report generator (xlsxwriter) saves 0 as every formula's result and asks for a
    recalculation on load (fullCalcOnLoad): the 0 is not the figure, so it is refused."""
    import xlsxwriter

    path = tmp_path / "generated.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("数据")
    sheet.write_row(0, 0, hostile.HEADER)
    sheet.write_row(1, 0, ["甲区", "fai", "2019-11", 1])
    sheet.write_row(2, 0, ["甲区", "revenue", "2019-11"])
    sheet.write_formula(2, 3, "=D2+2")
    workbook.close()
    result = _import(cast, path)
    assert [(e.row, e.column, e.message) for e in result.errors] == [(3, "数值", FORMULA)]
    assert not Value.objects.exists()


def test_hidden_rows_and_sheets_are_skipped_and_listed(cast, tmp_path):
    path = hostile.xlsx(
        tmp_path / "hidden.xlsx",
        [hostile.HEADER, ["甲区", "固投", "2019-11", "5"], ["乙县", "固投", "2019-11", "6"],
         ["丙市", "固投", "2019-11", "7"]],
        hidden_rows=(3,), hidden_sheet=[hostile.HEADER, ["甲区", "固投", "2019-10", "1"]])
    out = StringIO()
    call_command("import", "indicators", str(path), "--apply", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["rows_ok"] == 2 and data["created"] == 2
    assert data["skipped"] == [
        {"sheet": "隐藏", "row": None, "message": "隐藏的工作表，未导入。"},
        {"sheet": "数据", "row": 3, "message": "隐藏的行，未导入。"},
    ]
    assert set(Value.objects.values_list("unit__name", flat=True)) == {"甲区", "丙市"}
    out = StringIO()
    call_command("import", "indicators", str(path), stdout=out)
    assert "工作表“数据”第3行：隐藏的行，未导入。" in out.getvalue()
    assert "工作表“隐藏”：隐藏的工作表，未导入。" in out.getvalue()
    client = Client()
    client.force_login(cast.office)
    with path.open("rb") as upload:
        page = client.post("/intake/import/", {"form": "indicators", "file": upload})
    assert page.status_code == 200 and "隐藏的行，未导入" in page.content.decode()


def test_tsv_with_thousands_separators_is_read_as_tab_separated(cast, tmp_path):
    path = tmp_path / "values.tsv"
    path.write_text("单位\t指标\t期间\t数值\n甲区\t固投\t2019-11\t1,234.5\n"
                    "乙县\t固投\t2019-11\t12,345\n丙市\t固投\t2019-11\t7\n", encoding="utf-8")
    result = _import(cast, path)
    assert result.ok, result.errors
    assert sorted(Value.objects.values_list("value", flat=True)) == [7, 1234.5, 12345]


def test_formula_cli_exits_1_naming_the_cell(cast, tmp_path):
    path = hostile.xlsx(tmp_path / "f.xlsx", [hostile.HEADER, ["甲区", "固投", "2019-11",
                                                                "=B3+B4"]])
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import", "indicators", str(path), "--apply", stderr=err)
    assert refused.value.returncode == 1
    assert f"第2行，“数值”列，值“=B3+B4”：{FORMULA}" in err.getvalue()


def test_hidden_columns_are_skipped_and_listed_like_hidden_rows(cast, tmp_path):
    """A wide sheet whose 固定资产投资 column is hidden: that column is not read, and the
    report says so (a hidden row and a hidden column are treated the same way)."""
    path = tmp_path / "hidden-column.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "数据"
    sheet.append(["单位", "固定资产投资", "一般公共预算收入"])
    sheet.append(["甲区", 5, 7])
    sheet.column_dimensions["B"].hidden = True
    workbook.save(path)
    result = _import(cast, path, period="2019-11")
    assert result.ok, result.errors
    assert [(s.sheet, s.row, s.message) for s in result.skipped] == [
        ("数据", None, "隐藏的列 B，未导入。")]
    assert list(Value.objects.values_list("indicator__code", "value")) == [("revenue", 7)]
