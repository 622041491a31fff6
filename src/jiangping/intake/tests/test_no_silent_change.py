"""No value dropped or changed silently (issue 6 §2): numbers, whole units, text too long
for its field, periods that disagree, errors quoted as typed and in file order, files
without data rows, names resolved within the importer's scope."""

from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiangping.indicators.models import Indicator, Kind, Value
from jiangping.intake.engine import run_import
from jiangping.intake.models import State, Submission
from jiangping.intake.tests.helpers import write_csv, write_xlsx
from jiangping.orgs.models import Level, OrgUnit
from jiangping.orgs.scope import Scope
from jiangping.tasks.models import Task

P = "2019-11"
LONG = ["单位", "指标", "期间", "数值"]


def errors(result):
    return [(e["row"], e["column"], e["value"], e["message"])
            for e in result.as_dict()["errors"]]


def test_number_text_with_a_decimal_comma_is_refused_by_row_column_and_value(cast, tmp_path):
    path = write_csv(tmp_path / "v.csv", [
        LONG, ["甲区", "固定资产投资", P, "12,3"], ["乙县", "固定资产投资", P, "13,75"],
        ["丙市", "固定资产投资", P, "1.234,56"], ["示例高新区", "固定资产投资", P, "1_000"],
        ["甲区", "一般公共预算收入", P, "1 234,5"], ["乙县", "一般公共预算收入", P, "1,234.5"],
    ])
    result = run_import("indicators", path, scope=Scope.operator(), apply=True)
    found = errors(result)
    assert [(row, column, value) for row, column, value, _m in found] == [
        (2, "数值", "12,3"), (3, "数值", "13,75"), (4, "数值", "1.234,56"), (5, "数值", "1_000"),
        (6, "数值", "1 234,5")]
    assert "逗号只能用作千位分隔符" in found[0][3] and "下划线" in found[3][3]
    assert not Value.objects.exists()


@pytest.fixture
def counted(cast):
    return Indicator.objects.create(code="firms", name="新增市场主体", unit="户",
                                    kind=Kind.FLOW, decimals=0, sort_order=9)


def test_a_fraction_of_a_whole_unit_is_refused_on_every_layout(cast, counted, tmp_path):
    long = write_csv(tmp_path / "long.csv", [
        LONG, ["甲区", "新增市场主体", P, "12.5"], ["乙县", "新增市场主体（万户）", P, "1.23456"],
        ["丙市", "新增市场主体（万户）", P, "1.2"]])
    result = run_import("indicators", long, scope=Scope.operator())
    assert [(row, value) for row, _c, value, _m in errors(result)] == [(2, "12.5"),
                                                                       (3, "1.23456")]
    assert all("按整数计" in message for *_rest, message in errors(result))
    wide = write_xlsx(tmp_path / "wide.xlsx", [["单位", "新增市场主体（户）"], ["甲区", 3.5],
                                               ["乙县", 4]])
    result = run_import("indicators", wide, scope=Scope.operator(), period=P)
    assert [(row, column, value) for row, column, value, _m in errors(result)] == [
        (2, "新增市场主体（户）", 3.5)]


def test_the_entry_form_and_the_api_refuse_a_fraction_of_a_whole_unit(cast, counted):
    from django.test import Client

    from jiangping.indicators.forms import AmountField

    field = AmountField(unit="户", label="新增市场主体")
    with pytest.raises(Exception, match="按整数计"):
        field.clean("12.5")
    client = Client()
    client.force_login(cast.reporter_a)
    response = client.put("/api/indicators/values", data=[
        {"indicator": "firms", "unit": "990102", "period": P, "value": "2.5"},
        {"indicator": "firms", "unit": "990102", "period": "2019-10", "value": 2.5}],
        content_type="application/json")
    assert response.status_code == 422
    assert [e[:3] for e in response.json()["errors"]] == ["第1项", "第2项"]
    assert all("按整数计" in e for e in response.json()["errors"])


def test_text_longer_than_its_field_is_refused_at_the_dry_run(cast, tmp_path):
    header = ["事项", "来源", "来源日期", "牵头单位"]
    path = write_xlsx(tmp_path / "t.xlsx", [
        header, ["事" * 301, "会议", "2019-12-10", "甲区"],
        ["事项二", "来" * 201, "2019-12-10", "甲区"],
        ["事" * 300, "会议", "2019-12-10", "甲区"]])
    result = run_import("tasks", path, scope=Scope.operator())
    found = errors(result)
    assert [(row, column) for row, column, _v, _m in found] == [(2, "事项"), (3, "来源")]
    assert found[0][3] == "内容过长：共301字，此列最多300字。"
    assert found[0][2] == "事" * 50 + "…（共301字）"
    assert not Task.objects.exists()


def _wide(path, sheet, *titles):
    return write_xlsx(path, [*[[t] for t in titles], ["单位", "固定资产投资"], ["甲区", 12]],
                      sheet=sheet)


def test_sheet_name_titles_and_period_that_disagree_are_refused_naming_each(cast, tmp_path):
    path = _wide(tmp_path / "w.xlsx", "2019年10月", "2019年1-11月主要经济指标")
    result = run_import("indicators", path, scope=Scope.operator(), period="2019-09")
    [(row, column, _value, message)] = errors(result)
    assert column == "期间" and row == 2
    assert message == ("期间不一致：--period 为“2019-09”，表头上方的标题为“2019-11”，"
                       "工作表名称为“2019-10”；请核对后改正，使其一致。")
    two = run_import("indicators", path, scope=Scope.operator())
    assert "表头上方的标题为“2019-11”，工作表名称为“2019-10”" in errors(two)[0][3]
    agreed = _wide(tmp_path / "a.xlsx", "2019年11月", "2019年1-11月主要经济指标")
    assert run_import("indicators", agreed, scope=Scope.operator(), period=P, apply=True).ok
    assert Value.objects.get().period == P


def test_the_year_of_targets_that_disagrees_is_refused(cast, tmp_path):
    path = write_xlsx(tmp_path / "t.xlsx", [["2020年目标任务"], ["单位", "固定资产投资"],
                                            ["甲区", 500]], sheet="2021年")
    result = run_import("targets", path, scope=Scope.operator())
    assert errors(result)[0][3] == ("年度不一致：表头上方的标题为“2020”，工作表名称为“2021”；"
                                    "请核对后改正，使其一致。")
    again = run_import("targets", path, scope=Scope.operator(), period="2020-12")
    assert "--period 为“2020”" in errors(again)[0][3]


def test_a_huge_cell_is_quoted_cut_and_as_typed(cast, tmp_path):
    path = write_xlsx(tmp_path / "h.xlsx", [
        LONG, ["乙" * 32767, "固定资产投资", P, 5], ["甲区", "固定资产投资", 5.0, 7],
        ["甲区", "固定资产投资", P, "9" * 30000]])
    found = errors(run_import("indicators", path, scope=Scope.operator()))
    assert found[0][2] == "乙" * 50 + "…（共32767字）"
    assert found[0][3] == "未知的单位“" + "乙" * 50 + "…（共32767字）”。"
    assert found[1][:3] == (3, "期间", 5)
    assert found[2][2] == "9" * 50 + "…（共30000字）" and len(found[2][3]) < 200


def test_late_errors_come_in_row_order_and_name_the_column_as_written(cast, tmp_path):
    Submission.objects.create(unit=cast.county_b, period=P, form="indicators",
                              state=State.APPROVED)
    path = write_csv(tmp_path / "v.csv", [
        ["县（市、区）", "指标名称", "报告期", "数值"], ["乙县", "固定资产投资", P, "1"],
        ["甲区", "固定资产投资", P, "2"], ["甲区", "固定资产投资", P, "abc"],
        ["甲区", "固定资产投资", P, "3"]])
    found = errors(run_import("indicators", path, scope=Scope.operator()))
    assert [(row, column) for row, column, _v, _m in found] == [
        (2, "县（市、区）"), (4, "数值"), (5, "县（市、区）/指标名称/报告期")]


def test_two_level_header_is_named_as_written_in_late_errors(cast, tmp_path):
    Submission.objects.create(unit=cast.county_a, period=P, form="indicators",
                              state=State.APPROVED)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (["2019年1-11月"], ["单位", "固定资产投资", None], [None, "累计", "增速"],
                ["甲区", 12, 5.5]):
        sheet.append(row)
    sheet.merge_cells("B2:C2")
    workbook.save(tmp_path / "two.xlsx")
    found = errors(run_import("indicators", tmp_path / "two.xlsx", scope=Scope.operator()))
    assert [(row, column, value) for row, column, value, _m in found] == [
        (4, "固定资产投资/累计", 12), (4, "固定资产投资/增速", 5.5)]


def test_a_header_without_data_rows_is_refused(cast, tmp_path):
    path = write_csv(tmp_path / "empty.csv", [LONG, ["合计", None, None, None]])
    result = run_import("indicators", path, scope=Scope.operator())
    assert not result.ok
    assert errors(result) == [(None, None, None, "没有数据行：表头下面没有可导入的数据。")]
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import", "indicators", str(path), stdout=out, stderr=err)
    assert failed.value.returncode == 1 and "没有数据行" in err.getvalue()


def test_a_dotted_period_typed_as_a_number(cast, tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", [LONG, ["甲区", "固定资产投资", 2019.11, 5],
                                            ["乙县", "固定资产投资", 2019.1, 6]])
    result = run_import("indicators", path, scope=Scope.operator())
    [(row, column, value, message)] = errors(result)
    assert (row, column, value) == (3, "期间", 2019.1) and "可能是1月，也可能是10月" in message
    path = write_xlsx(tmp_path / "q.xlsx", [LONG, ["甲区", "固定资产投资", 2019.11, 5]])
    assert run_import("indicators", path, scope=Scope.operator(), apply=True).ok
    assert Value.objects.get().period == "2019-11"


def test_a_name_shared_in_the_city_means_the_one_within_the_importers_scope(cast, tmp_path):
    own = OrgUnit.objects.create(code="990102009", name="城关镇", level=Level.TOWNSHIP,
                                 parent=cast.county_a)
    OrgUnit.objects.create(code="990121009", name="城关镇", level=Level.TOWNSHIP,
                           parent=cast.county_b)
    path = write_csv(tmp_path / "t.csv", [LONG, ["城关镇", "固定资产投资", P, "1"]])
    as_county = run_import("indicators", path, scope=Scope.for_user(cast.reporter_a),
                           user=cast.reporter_a, apply=True)
    assert as_county.ok, errors(as_county)
    assert Value.objects.get().unit == own
    as_city = run_import("indicators", path, scope=Scope.operator())
    assert "对应多个单位" in errors(as_city)[0][3]


def test_the_api_never_echoes_a_huge_value_whole(cast):
    from django.test import Client

    client = Client()
    client.force_login(cast.reporter_a)
    response = client.put("/api/indicators/values", data=[
        {"indicator": "fai", "unit": "990102", "period": P, "value": "9" * 100000},
        {"indicator": "fai", "unit": "990102", "period": "2019-10", "value": "x" * 100000}],
        content_type="application/json")
    assert response.status_code == 422
    assert len(response.content) < 1000
    assert all("…（共100000字）" in e for e in response.json()["errors"]), response.json()
    assert Decimal(0) == Value.objects.count()


def test_codes_and_forms_sent_to_the_api_are_quoted_cut(cast):
    from django.test import Client

    client = Client()
    client.force_login(cast.reporter_a)
    response = client.post("/api/intake/submissions", data={
        "unit": "9" * 100000, "period": P, "form": "indicators"},
        content_type="application/json")
    assert response.status_code == 422 and len(response.content) < 1000
    assert "…（共100000字）" in response.json()["detail"]
    response = client.get("/api/indicators/values", {"unit": "x" * 5000})
    assert response.status_code == 422 and len(response.content) < 1000


@pytest.mark.parametrize("sheet", ["2019.10", "2019-10", "201910", "10月", "1-10月"])
def test_a_sheet_name_naming_another_month_in_any_spelling_is_refused(cast, tmp_path, sheet):
    """--period 2019-11 against a sheet named for October, however it is spelt."""
    path = tmp_path / "wide.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = sheet
    workbook.active.append(["单位", "固定资产投资"])
    workbook.active.append(["甲区", 5])
    workbook.save(path)
    result = run_import("indicators", path, scope=Scope.for_user(cast.office),
                        period="2019-11", apply=True)
    assert not result.ok
    assert "期间不一致" in result.errors[0].message and "2019-11" in result.errors[0].message
    assert not Value.objects.exists()


def test_a_title_naming_only_another_month_is_refused(cast, tmp_path):
    path = tmp_path / "wide.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["1-10月主要经济指标"])
    workbook.active.append(["单位", "固定资产投资"])
    workbook.active.append(["甲区", 5])
    workbook.save(path)
    refused = run_import("indicators", path, scope=Scope.for_user(cast.office),
                         period="2019-11", apply=True)
    assert "期间不一致" in refused.errors[0].message and "10月" in refused.errors[0].message
    agreed = run_import("indicators", path, scope=Scope.for_user(cast.office),
                        period="2019-10", apply=True)
    assert agreed.ok, agreed.errors
