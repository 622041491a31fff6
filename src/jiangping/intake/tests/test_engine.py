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
    assert (again.rows_ok, again.created, again.updated) == (2, 0, 0)
    path.write_text(path.read_text(encoding="utf-8").replace("123.4", "123.5"),
                    encoding="utf-8")
    changed = run_import("indicators", path, scope=Scope.operator(), apply=True)
    assert (changed.rows_ok, changed.created, changed.updated) == (2, 0, 1)


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
        (5, "单位/指标/期间", "甲区/固投/2019年11月"),
    ]
    assert "与第2行重复" in data["errors"][2]["message"]
    assert "甲区/固定资产投资/2019-11" in data["errors"][2]["message"]
    assert "未知的指标" in data["errors"][0]["message"]
    assert "与第2行重复" in data["errors"][2]["message"]


def test_gb18030_csv_wide_with_period_option(cast, tmp_path):
    path = write_csv(tmp_path / "wide.csv", [
        ["县（市、区）", "固定资产投资（万元）", "全社会固定资产投资增长（%）"],
        ["甲区", "1234500", "7.5"],
        ["示例高新区", "５００", "/"],
    ], encoding="gb18030")
    result = run_import("indicators", path, scope=Scope.operator(), period="2019-10",
                        apply=True)
    assert result.ok, result.as_dict()
    assert values() == {
        ("甲区", "fai", "2019-10"): Decimal("123.45"),
        ("甲区", "fai_growth", "2019-10"): Decimal("7.5"),
        ("示例高新区", "fai", "2019-10"): Decimal("0.05"),
    }


def test_wide_without_period_names_what_is_missing(cast, tmp_path):
    path = write_csv(tmp_path / "wide.csv", [["单位", "固定资产投资"], ["甲区", "1"]])
    result = run_import("indicators", path, scope=Scope.operator())
    [error] = result.as_dict()["errors"]
    assert (error["row"], error["column"]) == (1, "期间")
    assert "--period" in error["message"]


def test_unknown_layout_and_unknown_wide_column(cast, tmp_path):
    path = write_csv(tmp_path / "x.csv", [["姓名", "年龄"], ["张三", "3"]])
    result = run_import("indicators", path, scope=Scope.operator())
    assert not result.ok and "未能识别表格格式" in result.errors[0].message
    path = write_csv(tmp_path / "y.csv", [
        ["2019年1—11月"], ["单位", "固定资产投资", "招商引资到位资金"], ["甲区", "1", "2"]])
    result = run_import("indicators", path, scope=Scope.operator())
    [error] = result.as_dict()["errors"]
    assert (error["row"], error["column"], error["value"]) == (2, "招商引资到位资金",
                                                               "招商引资到位资金")


def test_county_user_cannot_import_another_county(cast, tmp_path):
    path = write_csv(tmp_path / "v.csv", [
        ["单位", "指标", "期间", "数值"],
        ["甲区", "固定资产投资", "2019-11", "1"],
        ["乙县", "固定资产投资", "2019-11", "2"],
    ])
    scope = Scope.for_user(cast.reporter_a)
    result = run_import("indicators", path, scope=scope, user=cast.reporter_a, apply=True)
    [error] = result.as_dict()["errors"]
    assert (error["row"], error["column"], error["value"]) == (3, "单位", "乙县")
    assert "乙县" in error["message"]
    assert Value.objects.count() == 0
    leader = run_import("indicators", path, scope=Scope.for_user(cast.leader))
    assert "只能查看" in leader.errors[0].message


def test_approved_submission_refuses_rows(cast, tmp_path):
    from jiangping.intake import services

    submission = services.get_or_open(cast.county_a, "2019-11", "indicators")
    services.submit(Scope.for_user(cast.reporter_a), submission, cast.reporter_a)
    services.approve(Scope.for_user(cast.office), submission, cast.office)
    path = write_csv(tmp_path / "v.csv", [
        ["单位", "指标", "期间", "数值"],
        ["乙县", "固定资产投资", "2019-11", "2"],
        ["甲区", "固定资产投资", "2019-11", "1"],
    ])
    result = run_import("indicators", path, scope=Scope.operator(), apply=True)
    [error] = result.as_dict()["errors"]
    assert error["row"] == 3 and "锁定" in error["message"]
    assert Value.objects.count() == 0


def test_peers_and_targets(cast, tmp_path):
    path = write_xlsx(tmp_path / "peers.xlsx", [
        ["全省各市2019年1-11月主要指标"],
        ["地市", "固定资产投资（亿元）", "固定资产投资增速（%）"],
        ["全省", 9000, 6.1],
        ["示例市", 800, 8.2],
        ["样本市", 700, "5.0%"],
        ["模擬市", 600, -1.5],
    ])
    office = Scope.for_user(cast.office)
    refused = run_import("peers", path, scope=Scope.for_user(cast.reporter_a))
    assert "仅限市级管理员" in refused.errors[0].message
    result = run_import("peers", path, scope=office, user=cast.office, apply=True)
    assert result.ok, result.as_dict()
    assert (result.rows_read, result.created) == (4, 4)
    stored = {(v.unit.name, v.indicator.code): (v.value, v.source)
              for v in Value.objects.select_related("unit", "indicator")}
    assert stored[("模拟市", "fai_growth")] == (Decimal("-1.5"), "peer")
    assert ("示例市", "fai") not in stored and ("示例省", "fai") not in stored

    targets = write_csv(tmp_path / "t.csv", [
        ["单位", "指标", "年度", "目标值（万元）"],
        ["甲区", "固定资产投资", "2019年", "1500000"],
        ["乙县", "一般公共预算收入", "2019", "20000"],
    ])
    assert "仅限市级管理员" in run_import(
        "targets", targets, scope=Scope.for_user(cast.reporter_a)).errors[0].message
    result = run_import("targets", targets, scope=office, user=cast.office, apply=True)
    assert result.ok and result.created == 2, result.as_dict()
    from jiangping.indicators.models import Target

    assert sorted(Target.objects.values_list("unit__name", "year", "value")) == [
        ("乙县", 2019, Decimal("2")), ("甲区", 2019, Decimal("150"))]


def test_legacy_xls_workbook(cast, tmp_path):
    from jiangping.intake.tests.helpers import write_xls

    path = write_xls(tmp_path / "county.xls", [
        ["2019年1-11月主要经济指标完成情况"],
        ["县区", "固定资产投资", None],
        [None, "累计（万元）", "增速（%）"],
        ["合计", 1690000, None],
        ["甲区", 1234000, 8.2],
        ["乙縣", "４５６０００", "—"],
    ], merges=((0, 0, 0, 2), (1, 2, 0, 0), (1, 1, 1, 2)))
    result = run_import("indicators", path, scope=Scope.operator(), apply=True)
    assert result.as_dict()["errors"] == []
    assert values() == {
        ("甲区", "fai", "2019-11"): Decimal("123.4"),
        ("甲区", "fai_growth", "2019-11"): Decimal("8.2"),
        ("乙县", "fai", "2019-11"): Decimal("45.6"),
    }


def test_a_remembered_refusal_carries_no_old_traceback():
    """The same refusal raised for every repeated cell must not chain one traceback per
    raise: a file of a million identical bad cells would hold them all in memory."""
    from jiangping.intake.converters import memoize
    from jiangping.intake.normalize import CellError

    def refuse(raw):
        raise CellError("不是有效的数字。")

    convert = memoize(refuse)
    depths = []
    for _attempt in range(5):
        try:
            convert("x")
        except CellError as exc:
            depth, tb = 0, exc.__traceback__
            while tb is not None:
                depth, tb = depth + 1, tb.tb_next
            depths.append(depth)
    assert len(set(depths[1:])) == 1, depths


def test_an_undecodable_byte_is_placed_on_its_line(cast, tmp_path):
    """A UTF-8 file with one stray byte on line 3 is told so, not that line 0 (or its
    first line) cannot be read as GB18030."""
    path = tmp_path / "stray.csv"
    path.write_bytes("单位,指标,期间,数值\n甲区,fai,2019-11,1\n".encode()
                     + b"\xff\xfe\xfa,fai,2019-11,2\n")
    result = run_import("indicators", path, scope=Scope.for_user(cast.office), apply=True)
    assert [error.message for error in result.errors] == [
        "第3行的内容无法按 UTF-8 解码，请将文件另存为 UTF-8 编码。"]
    assert not Value.objects.exists()
