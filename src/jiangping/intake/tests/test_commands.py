import json
import subprocess
import sys
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiangping.indicators.models import Value
from jiangping.intake.tests.helpers import write_csv


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def test_import_exit_codes_and_json(cast, tmp_path):
    good = write_csv(tmp_path / "good.csv", [
        ["单位", "指标", "期间", "数值"], ["甲区", "固投", "2019-11", "5"]])
    bad = write_csv(tmp_path / "bad.csv", [
        ["单位", "指标", "期间", "数值"], ["甲区", "固投", "2019-11", "五"]])
    code, out, _err = run("import", "indicators", str(good), "--json")
    assert code == 0 and json.loads(out)["created"] == 1 and Value.objects.count() == 0
    code, out, _err = run("import", "indicators", str(good), "--apply", "--as", "jiaqu")
    assert code == 0 and "新增 1 条" in out and Value.objects.count() == 1
    code, out, err = run("import", "indicators", str(bad), "--apply")
    assert code == 1 and "第2行" in err and "“数值”列" in err and "五" in err
    code, out, _err = run("import", "indicators", str(bad), "--json")
    data = json.loads(out)
    assert code == 1 and set(data) == {"form", "file", "rows_read", "rows_ok", "rows_error",
                                       "applied", "created", "updated", "errors"}
    assert data["errors"] == [{"row": 2, "column": "数值", "value": "五",
                               "message": "不是有效的数字。"}]
    code, _out, err = run("import", "yixian-form", str(good))
    assert code == 2 and "indicators" in err and "peers" in err and "targets" in err
    assert run("import", "indicators", str(tmp_path / "missing.csv"))[0] == 1
    assert run("import", "indicators", str(good), "--period", "2019-13")[0] == 2
    # a user that does not exist is refused input, as in ``token nobody``
    assert run("import", "indicators", str(good), "--as", "nobody")[0] == 1
    assert run("token", "nobody")[0] == 1


def test_county_user_import_of_other_county_is_refused(cast, tmp_path):
    path = write_csv(tmp_path / "v.csv", [
        ["单位", "指标", "期间", "数值"], ["乙县", "固投", "2019-11", "5"]])
    code, _out, err = run("import", "indicators", str(path), "--as", "jiaqu", "--apply")
    assert code == 1 and "乙县" in err and Value.objects.count() == 0


def test_template_round_trip(cast, tmp_path):
    target = tmp_path / "indicators.xlsx"
    assert run("template", "indicators", "-o", str(target))[0] == 0
    workbook = openpyxl.load_workbook(target)
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == ["单位", "指标", "期间", "数值"]
    assert sheet.protection.sheet
    lists = {str(dv.sqref).split(":")[0]: dv.formula1
             for dv in sheet.data_validations.dataValidation if dv.type == "list"}
    assert set(lists) == {"A2", "B2"}
    names = [c.value for c in workbook["lists"]["A"]]
    assert "甲区" in names and "市发改委" not in names
    assert "填表说明" in workbook.sheetnames
    sheet.append(["甲区", "固定资产投资", "2019-11", 12.5])
    sheet.append(["乙县", "PM10浓度", "2019年11月", 61])
    workbook.save(target)
    code, out, _err = run("import", "indicators", str(target), "--apply")
    assert code == 0, out
    assert Value.objects.count() == 2
    assert run("template", "nope", "-o", str(target))[0] == 2


def test_console_command_exit_status(tmp_path):
    """The real console entry point: wrong usage exits with status 2."""
    completed = subprocess.run(
        [sys.executable, "-m", "jiangping", "import", "nope", str(tmp_path / "x.csv")],
        capture_output=True, text=True, check=False,
    )
    assert completed.returncode == 2
    assert "indicators" in completed.stderr


@pytest.mark.parametrize("form", ["indicators", "targets", "peers"])
def test_registered_forms(form):
    from jiangping.intake.registry import all_forms

    assert form in [f.name for f in all_forms()]


def console(*args, data_dir=None):
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_URL")}
    if data_dir is not None:
        env["JIANGPING_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "jiangping", *args], capture_output=True,
                          text=True, check=False, env=env)


def test_console_errors_are_chinese_without_english_prefix(tmp_path):
    usage = console("import", "nope", str(tmp_path / "x.csv"), data_dir=tmp_path)
    assert usage.returncode == 2 and "CommandError" not in usage.stderr
    assert usage.stderr.startswith("未知的表单“nope”")
    assert console("migrate", "-v", "0", data_dir=tmp_path).returncode == 0
    bad = write_csv(tmp_path / "bad.csv", [["单位", "指标", "期间", "数值"], ["甲", "x", "x", "x"]])
    refused = console("import", "indicators", str(bad), data_dir=tmp_path)
    assert refused.returncode == 1 and "CommandError" not in refused.stderr
    assert "第2行，“单位”列，值“甲”：未知的单位“甲”。" in refused.stderr
    assert refused.stderr.rstrip().endswith("导入被拒绝：1行有错误，未写入任何数据。")


def test_read_only_user_is_refused_up_front(cast, tmp_path):
    path = write_csv(tmp_path / "v.csv", [
        ["单位", "指标", "期间", "数值"], ["甲区", "固投", "2019-11", "5"],
        ["乙县", "固投", "2019-11", "6"]])
    code, out, err = run("import", "indicators", str(path), "--as", "leader")
    assert code == 1 and out == "" and err == "当前角色只能查看，不能修改数据。"
    code, out, err = run("import", "peers", str(path), "--as", "jiaqu")
    assert code == 1 and err == "“全省通报数据”仅限市级管理员导入。"
    code, out, _err = run("import", "indicators", str(path), "--as", "leader", "--json")
    [error] = json.loads(out)["errors"]
    assert code == 1 and error["message"] == "当前角色只能查看，不能修改数据。"


def test_template_lists_the_units_that_report(cast, tmp_path):
    def names(form, *extra):
        target = tmp_path / f"{form}.xlsx"
        assert run("template", form, "-o", str(target), *extra)[0] == 0
        return [c.value for c in openpyxl.load_workbook(target)["lists"]["A"] if c.value]

    assert names("indicators") == ["甲区", "乙县", "丙市", "示例高新区", "示例市发展和改革委员会"]
    assert names("indicators", "--as", "jiaqu") == ["甲区"]
    assert names("peers") == ["示例省", "示例市", "样本市", "模拟市"]


def test_errors_of_a_workbook_name_the_sheet(cast, tmp_path):
    path = tmp_path / "book.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "经济"
    workbook.active.append(["单位", "指标", "期间", "数值"])
    workbook.active.append(["甲区", "固投", "2019-11", 5])
    environment = workbook.create_sheet("环境")
    for row in (["单位", "指标", "期间", "数值"], ["甲区", "PM10浓度", "2019-11", "高"]):
        environment.append(row)
    workbook.create_sheet("说明").append(["请按模板填写"])
    workbook.save(path)
    code, _out, err = run("import", "indicators", str(path))
    assert code == 1
    assert "说明" not in err  # a sheet of notes is passed over without a word
    assert "工作表“环境”第2行，“数值”列，值“高”：不是有效的数字。" in err
    code, out, _err = run("import", "indicators", str(path), "--json")
    data = json.loads(out)
    [error] = data["errors"]
    assert error == {"row": 2, "column": "数值", "value": "高", "sheet": "环境",
                     "message": "工作表“环境”第2行：不是有效的数字。"}
    assert {"name": "说明", "imported": False, "rows_read": 0} in data["sheets"]


def test_the_notes_of_our_own_template_go_unmentioned(cast, tmp_path):
    target = tmp_path / "indicators.xlsx"
    assert run("template", "indicators", "-o", str(target))[0] == 0
    workbook = openpyxl.load_workbook(target)
    workbook.worksheets[0].append(["甲区", "固定资产投资", "2019-11", 12.5])
    workbook.save(target)
    code, out, err = run("import", "indicators", str(target))
    assert code == 0 and err == ""
    assert "填表说明" not in out and "未导入" not in out
    sheets = json.loads(run("import", "indicators", str(target), "--json")[1])["sheets"]
    assert {"name": "填表说明", "imported": False, "rows_read": 0} in sheets


def test_a_sheet_of_numbers_without_a_header_is_refused_by_name(cast, tmp_path):
    path = tmp_path / "book.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "经济"
    workbook.active.append(["单位", "指标", "期间", "数值"])
    workbook.active.append(["甲区", "固投", "2019-11", 5])
    workbook.create_sheet("附表").append(["甲区", 5, 6])
    workbook.save(path)
    code, _out, err = run("import", "indicators", str(path))
    assert code == 1 and "工作表“附表”" in err


def test_wrong_usage_is_told_in_chinese(tmp_path):
    missing = console("import", "indicators", data_dir=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr == "缺少参数：file。运行“jiangping import --help”查看用法。\n"
    unknown = console("template", "indicators", "-o", "t.xlsx", "--bogus", data_dir=tmp_path)
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("无法识别的参数：--bogus。")
    assert "usage" not in unknown.stderr and "error" not in unknown.stderr
    helped = console("import", "--help", data_dir=tmp_path)
    assert helped.returncode == 0 and helped.stdout.startswith("用法：jiangping import")


def test_wrong_usage_from_code_is_a_command_error():
    with pytest.raises(CommandError) as refused:
        call_command("token")
    assert refused.value.returncode == 2
    assert str(refused.value) == "缺少参数：username。运行“jiangping token --help”查看用法。"
