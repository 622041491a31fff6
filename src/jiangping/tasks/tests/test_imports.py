"""The ``tasks`` import form: refusals by row and column, idempotent apply, the CLI."""

import datetime as dt
from io import StringIO

import openpyxl
from django.core.management import call_command
from django.core.management.base import CommandError

from jiangping.intake.engine import run_import
from jiangping.intake.tests.helpers import write_xlsx
from jiangping.orgs.scope import Scope
from jiangping.tasks.models import SourceKind, Task

HEADER = ["事项", "来源", "来源类型", "来源日期", "牵头单位", "配合单位", "完成时限", "工作日",
          "目标要求"]
SPEECH = "全市经济运行讲评会市长讲话"
GOOD = [
    ["加快推进重点项目建设", SPEECH, "讲话", "2019-12-10", "甲区", "乙县、市发改委", "2019-12-31",
     None, "开工率达到90%"],
    ["抓好秸秆禁烧", SPEECH, "讲话", "2019-12-10", "乙縣", None, None, 10, None],
    ["开展安全生产大检查", "市政府办公室文件", "文件", "2019年12月2日", "示例市发展和改革委员会",
     "甲区；乙县, 丙市", None, None, "隐患整改率100%"],
]


def workbook(path, rows):
    return write_xlsx(path, [["全市督办事项台账"], HEADER, *rows])


def office(cast):
    return Scope.for_user(cast.office)


def test_bad_rows_are_refused_and_nothing_is_written(cast, tmp_path):
    rows = [GOOD[0],
            ["抓好秸秆禁烧", SPEECH, "讲话", "2019-12-10", "丁县", None, None, 10, None],
            ["开展安全生产大检查", "市政府办公室文件", "文件", "明年", "甲区", None, None, None,
             None],
            ["改造农村厕所", SPEECH, "会议", "2019-12-10", "甲区", "乙县、戊区", None, None, None]]
    result = run_import("tasks", workbook(tmp_path / "bad.xlsx", rows), scope=office(cast),
                        user=cast.office, apply=True)
    assert not result.applied
    errors = {(e.row, e.column, e.value) for e in result.errors}
    assert (4, "牵头单位", "丁县") in errors
    assert (5, "来源日期", "明年") in errors
    assert (6, "配合单位", "乙县、戊区") in errors
    messages = " ".join(e.message for e in result.errors)
    assert "丁县" in messages and "戊区" in messages
    assert Task.objects.count() == 0


def test_apply_is_idempotent(cast, tmp_path):
    path = workbook(tmp_path / "tasks.xlsx", GOOD)
    result = run_import("tasks", path, scope=office(cast), user=cast.office, apply=True)
    assert result.ok and result.applied, result.errors
    assert (result.created, result.updated) == (3, 0)
    first = Task.objects.get(title="加快推进重点项目建设")
    assert first.source_kind == SourceKind.SPEECH and first.lead_unit == cast.county_a
    assert set(first.co_units.all()) == {cast.county_b, cast.department}
    assert first.deadline == dt.date(2019, 12, 31) and first.target == "开工率达到90%"
    second = Task.objects.get(title="抓好秸秆禁烧")
    assert second.lead_unit == cast.county_b  # 乙縣, written in Traditional characters
    assert second.deadline_workdays == 10 and second.deadline == dt.date(2019, 12, 24)
    third = Task.objects.get(title="开展安全生产大检查")
    assert set(third.co_units.all()) == {cast.county_a, cast.county_b, cast.county_c}
    assert third.source_date == dt.date(2019, 12, 2) and third.deadline is None

    again = run_import("tasks", path, scope=office(cast), user=cast.office, apply=True)
    assert (again.created, again.updated) == (0, 0) and Task.objects.count() == 3

    changed = [list(row) for row in GOOD]
    changed[0][6] = "2020-01-15"
    changed[2][5] = "甲区"
    result = run_import("tasks", workbook(tmp_path / "changed.xlsx", changed),
                        scope=office(cast), user=cast.office, apply=True)
    assert (result.created, result.updated) == (0, 2) and Task.objects.count() == 3
    first.refresh_from_db()
    assert first.deadline == dt.date(2020, 1, 15)
    assert list(third.co_units.all()) == [cast.county_a]


def test_deadline_given_twice_is_refused(cast, tmp_path):
    rows = [["抓好秸秆禁烧", SPEECH, "讲话", "2019-12-10", "乙县", None, "2019-12-31", 10, None],
            ["改造农村厕所", SPEECH, "会议", "1990-12-10", "甲区", None, None, 5, None]]
    result = run_import("tasks", workbook(tmp_path / "twice.xlsx", rows), scope=office(cast),
                        user=cast.office, apply=True)
    errors = {(e.row, e.column) for e in result.errors}
    assert errors == {(3, "工作日")}
    assert Task.objects.count() == 0


def test_working_days_in_a_year_not_entered_are_estimated(cast, tmp_path):
    rows = [["改造农村厕所", SPEECH, "会议", "1990-12-10", "甲区", None, None, 5, None],
            ["抓好秸秆禁烧", SPEECH, "讲话", "2019-12-10", "乙县", None, None, 10, None]]
    result = run_import("tasks", workbook(tmp_path / "old.xlsx", rows), scope=office(cast),
                        user=cast.office, apply=True)
    assert result.ok, result.errors
    old, known = Task.objects.order_by("source_date")
    assert (old.deadline, old.deadline_estimated) == (dt.date(1990, 12, 17), True)
    assert (known.deadline, known.deadline_estimated) == (dt.date(2019, 12, 24), False)


def test_only_the_city_office_imports(cast, tmp_path):
    path = workbook(tmp_path / "tasks.xlsx", GOOD)
    result = run_import("tasks", path, scope=Scope.for_user(cast.reporter_a),
                        user=cast.reporter_a, apply=True)
    assert not result.ok and "仅限市级管理员" in result.errors[0].message
    assert Task.objects.count() == 0


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def test_command_line(cast, tmp_path):
    path = workbook(tmp_path / "tasks.xlsx", GOOD)
    code, out, _err = run("import", "tasks", str(path), "--apply")
    assert code == 0 and "新增 3 条" in out and Task.objects.count() == 3
    code, _out, err = run("import", "tasks", str(path), "--apply", "--as", "yixian")
    assert code == 1 and "仅限市级管理员" in err

    target = tmp_path / "template.xlsx"
    assert run("template", "tasks", "-o", str(target))[0] == 0
    sheet = openpyxl.load_workbook(target).worksheets[0]
    assert [c.value for c in sheet[1]][:len(HEADER)] == HEADER


def test_an_update_moves_an_overdue_task_back_and_is_logged(cast, tmp_path):
    from jiangping.tasks import services
    from jiangping.tasks.models import EventKind, Status

    path = workbook(tmp_path / "tasks.xlsx", GOOD[:2])
    assert run_import("tasks", path, scope=office(cast), user=cast.office, apply=True).ok
    assert services.mark_overdue(dt.date(2020, 3, 1)) == 2
    started = Task.objects.get(title="抓好秸秆禁烧")
    services.report_progress(Scope.for_user(cast.reporter_b), started, cast.reporter_b, "推进中")

    changed = [list(row) for row in GOOD[:2]]
    changed[0][6] = "2099-12-31"
    changed[1][6], changed[1][7], changed[1][8] = "2099-12-31", None, "综合利用率90%"
    result = run_import("tasks", workbook(tmp_path / "changed.xlsx", changed),
                        scope=office(cast), user=cast.office, apply=True)
    assert (result.created, result.updated) == (0, 2), result.errors
    first = Task.objects.get(title="加快推进重点项目建设")
    started.refresh_from_db()
    assert first.status == Status.NOT_STARTED and started.status == Status.IN_PROGRESS
    event = first.events.get(kind=EventKind.UPDATED)
    assert event.status == Status.NOT_STARTED and event.by == cast.office
    assert event.comment == "修改了：完成时限。"
    assert started.events.get(kind=EventKind.UPDATED).comment == (
        "修改了：完成时限、时限（工作日）、目标要求。")


def test_a_closed_task_is_not_changed(cast, tmp_path):
    from jiangping.tasks import services
    from jiangping.tasks.models import Status

    path = workbook(tmp_path / "tasks.xlsx", GOOD[:1])
    assert run_import("tasks", path, scope=office(cast), user=cast.office, apply=True).ok
    task = Task.objects.get()
    services.request_close(Scope.for_user(cast.reporter_a), task, cast.reporter_a)
    services.approve_close(office(cast), task, cast.office)

    again = run_import("tasks", path, scope=office(cast), user=cast.office, apply=True)
    assert again.ok and (again.created, again.updated) == (0, 0)
    changed = [list(GOOD[0])]
    changed[0][8] = "开工率达到95%"
    result = run_import("tasks", workbook(tmp_path / "changed.xlsx", changed),
                        scope=office(cast), user=cast.office, apply=True)
    assert not result.applied
    assert [(e.row, e.column) for e in result.errors] == [(3, "事项")]
    assert "已销号" in result.errors[0].message
    task.refresh_from_db()
    assert task.status == Status.CLOSED and task.target == "开工率达到90%"


def test_a_dry_run_reads_only_and_counts_as_the_apply(cast, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = workbook(tmp_path / "tasks.xlsx", GOOD)
    with CaptureQueriesContext(connection) as queries:
        dry = run_import("tasks", path, scope=office(cast), user=cast.office)
    assert dry.ok and not dry.applied and (dry.created, dry.updated) == (3, 0)
    written = [q["sql"] for q in queries.captured_queries
               if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert written == [], queries.captured_queries
    assert Task.objects.count() == 0  # no write, no savepoint
    assert run_import("tasks", path, scope=office(cast), user=cast.office, apply=True).ok

    changed = [list(row) for row in GOOD]
    changed[0][6] = "2020-01-15"
    changed.append(["整治河道", SPEECH, "讲话", "2019-12-10", "甲区", None, None, None, None])
    path = workbook(tmp_path / "changed.xlsx", changed)
    dry = run_import("tasks", path, scope=office(cast), user=cast.office)
    assert (dry.created, dry.updated) == (1, 1) and Task.objects.count() == 3
    applied = run_import("tasks", path, scope=office(cast), user=cast.office, apply=True)
    assert (applied.created, applied.updated) == (1, 1) and Task.objects.count() == 4


def test_the_preview_refuses_what_the_apply_refuses(cast):
    import pytest
    from django.core.exceptions import PermissionDenied, ValidationError

    from jiangping.tasks import services

    def draft(**changes):
        return {"title": "整治河道", "source_title": SPEECH, "source_kind": SourceKind.SPEECH,
                "source_date": dt.date(2019, 12, 10), "lead_unit": cast.county_a,
                "co_units": [cast.county_b], "deadline": None, "deadline_workdays": None,
                "target": "", **changes}

    refused = [
        (office(cast), draft(source_date=None, deadline_workdays=10), ValidationError,
         "按工作日计算完成时限时，须填写来源日期。"),
        (office(cast), draft(deadline=dt.date(2019, 12, 31), deadline_workdays=5),
         ValidationError, "完成时限与工作日数只能填写一项。"),
        (office(cast), draft(title=" "), ValidationError, "请填写督办事项。"),
        (Scope.for_user(cast.reporter_a), draft(), PermissionDenied, ""),
    ]
    for scope, row, error, message in refused:
        with pytest.raises(error) as previewed:
            services.preview_tasks(scope, [row])
        with pytest.raises(error) as applied:
            services.upsert_tasks(scope, [row], user=cast.office)
        assert str(previewed.value) == str(applied.value) and message in str(applied.value)
    assert Task.objects.count() == 0
    assert services.preview_tasks(office(cast), [draft()]) == (1, 0)
