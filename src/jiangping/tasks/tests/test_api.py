"""REST API of the tasks: scoped lists, the life cycle, and refusals with the cast."""

import datetime as dt

import pytest
from django.test import Client

from jiangping.orgs.scope import Scope
from jiangping.tasks import services
from jiangping.tasks.models import Status, Task

FUTURE = dt.date(2099, 12, 31)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, body=None):
    return client.post(f"/api/tasks/{path}", data=body or {}, content_type="application/json")


@pytest.fixture
def tasks(cast):
    """甲区 leads two tasks (乙县 co-operates on the second); 乙县 leads one, overdue."""
    office = Scope.for_user(cast.office)

    def assign(title, lead, **kwargs):
        kwargs.setdefault("deadline", FUTURE)
        return services.create_task(office, user=cast.office, title=title, lead_unit=lead,
                                    **kwargs)

    cast.task_a = assign("加快推进重点项目建设", cast.county_a)
    cast.task_ab = assign("抓好秸秆禁烧", cast.county_a, co_units=[cast.county_b])
    cast.task_b = assign("完成农村厕所改造", cast.county_b, deadline=dt.date(2020, 1, 10))
    return cast


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_city_office_lists_every_task(tasks):
    response = logged_in(tasks.office).get("/api/tasks/")
    assert ids(response) == {tasks.task_a.pk, tasks.task_ab.pk, tasks.task_b.pk}
    item = next(i for i in response.json()["items"] if i["id"] == tasks.task_ab.pk)
    assert item["lead_unit"] == {"code": "990102", "name": "甲区"}
    assert item["co_units"] == [{"code": "990121", "name": "乙县"}]
    assert item["status"] == "not_started" and item["status_label"] == "未启动"
    assert item["overdue"] is False


def test_county_sees_what_it_leads_or_co_operates_on(tasks):
    assert ids(logged_in(tasks.reporter_b).get("/api/tasks/")) == {
        tasks.task_ab.pk, tasks.task_b.pk}
    assert ids(logged_in(tasks.reporter_a).get("/api/tasks/")) == {
        tasks.task_a.pk, tasks.task_ab.pk}


def test_filters(tasks):
    client = logged_in(tasks.office)
    assert ids(client.get("/api/tasks/", {"unit": "990121"})) == {
        tasks.task_ab.pk, tasks.task_b.pk}
    assert ids(client.get("/api/tasks/", {"overdue": "true"})) == {tasks.task_b.pk}
    assert ids(client.get("/api/tasks/", {"overdue": "false"})) == {
        tasks.task_a.pk, tasks.task_ab.pk}
    assert ids(client.get("/api/tasks/", {"status": "closed"})) == set()
    assert client.get("/api/tasks/", {"unit": "000000"}).status_code == 422
    response = client.get("/api/tasks/", {"status": "nonsense"})
    assert response.status_code == 422 and "状态" in response.json()["detail"]


def test_status_filter_matches_the_board(tasks):
    """乙县's task, past its deadline but not yet marked, is shown overdue: it is not
    among the tasks not started, as on the board."""
    client = logged_in(tasks.office)
    assert Task.objects.get(pk=tasks.task_b.pk).status == Status.NOT_STARTED
    assert ids(client.get("/api/tasks/", {"status": "not_started"})) == {
        tasks.task_a.pk, tasks.task_ab.pk}
    assert ids(client.get("/api/tasks/", {"status": "overdue"})) == {tasks.task_b.pk}
    services.report_progress(Scope.for_user(tasks.reporter_b), tasks.task_b, tasks.reporter_b,
                             "已开工")
    assert ids(client.get("/api/tasks/", {"status": "in_progress"})) == set()
    assert ids(client.get("/api/tasks/", {"status": "overdue"})) == {tasks.task_b.pk}


def test_city_office_does_not_report_for_the_lead_unit(tasks):
    client = logged_in(tasks.office)
    response = post(client, f"{tasks.task_a.pk}/progress", {"text": "市督查室代报"})
    assert response.status_code == 403
    assert post(client, f"{tasks.task_a.pk}/request-close").status_code == 403
    task = Task.objects.get(pk=tasks.task_a.pk)
    assert task.status == Status.NOT_STARTED and not task.progress.exists()


def test_other_county_can_neither_see_nor_report(tasks):
    client = logged_in(tasks.reporter_b)
    response = client.get(f"/api/tasks/{tasks.task_a.pk}")
    assert response.status_code == 404 and "不在您的数据范围内" in response.json()["detail"]
    response = post(client, f"{tasks.task_a.pk}/progress", {"text": "已开工"})
    assert response.status_code == 404
    assert post(client, f"{tasks.task_a.pk}/request-close").status_code == 404
    assert Task.objects.get(pk=tasks.task_a.pk).status == Status.NOT_STARTED


def test_co_unit_reports_but_cannot_ask_for_close_out(tasks):
    client = logged_in(tasks.reporter_b)
    response = post(client, f"{tasks.task_ab.pk}/progress", {"text": "配合完成审批", "percent": 20})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "in_progress"
    assert data["progress"][0]["unit"]["code"] == "990121"
    assert data["progress"][0]["reported_by"] == "yixian"
    response = post(client, f"{tasks.task_ab.pk}/request-close")
    assert response.status_code == 403 and "甲区" in response.json()["detail"]


def test_life_cycle(tasks):
    county, office = logged_in(tasks.reporter_a), logged_in(tasks.office)
    path = str(tasks.task_a.pk)
    response = post(county, f"{path}/progress", {"text": "已完成选址", "percent": 30})
    assert response.status_code == 201
    assert post(county, f"{path}/request-close", {"comment": "已开工"}).json()["status"] == "done"
    response = post(office, f"{path}/reject-close")
    assert response.status_code == 422 and "退回原因" in response.json()["detail"]
    response = post(office, f"{path}/reject-close", {"comment": "佐证材料不全"})
    assert response.json()["status"] == "in_progress"
    post(county, f"{path}/request-close")
    response = post(office, f"{path}/approve-close")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "closed" and data["closed_at"]
    assert [e["kind"] for e in data["events"]] == [
        "created", "progress", "close_requested", "close_rejected", "close_requested",
        "close_approved"]
    assert data["events"][3]["comment"] == "佐证材料不全" and data["events"][3]["by"] == "office"
    response = post(county, f"{path}/progress", {"text": "补充材料"})
    assert response.status_code == 422 and "已销号" in response.json()["detail"]


def test_county_cannot_approve(tasks):
    post(logged_in(tasks.reporter_a), f"{tasks.task_a.pk}/request-close")
    response = post(logged_in(tasks.reporter_a), f"{tasks.task_a.pk}/approve-close")
    assert response.status_code == 403 and "市级管理员" in response.json()["detail"]
    assert Task.objects.get(pk=tasks.task_a.pk).status == Status.DONE


def test_create(tasks):
    body = {"title": "开展安全生产大检查", "lead_unit": "990102", "co_units": ["D0101", "990121"],
            "source_kind": "document", "source_title": "市政府办公室文件",
            "source_date": "2019-12-02", "deadline_workdays": 10, "target": "隐患整改率100%"}
    response = post(logged_in(tasks.office), "", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["deadline"] == "2019-12-16" and data["deadline_workdays"] == 10
    assert [u["code"] for u in data["co_units"]] == ["990121", "D0101"]
    assert data["source_kind_label"] == "文件"
    assert data["events"][0]["kind"] == "created"


def test_county_cannot_create(tasks):
    body = {"title": "开展安全生产大检查", "lead_unit": "990102"}
    response = post(logged_in(tasks.reporter_a), "", body)
    assert response.status_code == 403 and "市级管理员" in response.json()["detail"]
    assert not Task.objects.filter(title="开展安全生产大检查").exists()


@pytest.mark.parametrize(("body", "status", "words"), [
    ({"lead_unit": "990102"}, 422, "缺少事项"),
    ({"title": "x", "lead_unit": "000000"}, 422, "000000"),
    ({"title": "x", "lead_unit": "990102", "deadline": "明年"}, 422, "完成时限应为日期"),
    ({"title": "x", "lead_unit": "990102", "deadline": "2020-01-01", "deadline_workdays": 3},
     422, "只能填写一项"),
    ({"title": " ", "lead_unit": "990102"}, 422, "请填写督办事项"),
])
def test_create_refusals(tasks, body, status, words):
    response = post(logged_in(tasks.office), "", body)
    assert response.status_code == status, response.content
    assert words in response.json()["detail"]


def test_not_logged_in(tasks):
    assert Client().get("/api/tasks/").status_code == 401


SPEECH = ("一、抓项目\n市发改委牵头，甲区配合，年底前完成重点项目投资计划，开工率达到95%。\n"
          "各县（市、区）要在明年一季度新开工项目不少于X个。\n市直有关单位要抓好安全生产。")


def test_propose_gives_the_cli_json_with_the_registry_codes(tasks):
    body = {"text": SPEECH, "date": "2025-12-05", "source_title": "市长讲话"}
    response = post(logged_in(tasks.office), "propose", body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["date"] == "2025-12-05" and data["source_title"] == "市长讲话"
    first, counties, direct = data["tasks"]
    assert first["lead_units"] == ["示例市发展和改革委员会"] and first["co_units"] == ["甲区"]
    assert first["deadline"] == "2025-12-31" and first["heading"] == ["一、抓项目"]
    assert first["targets"][0]["text"] == "开工率达到95%"
    assert first["lead_unit_code"] == "D0101" and first["co_unit_codes"] == ["990102"]
    # 各县(市、区): every county-level unit but the zone co-operates, the lead is left open.
    assert counties["lead_unit_code"] is None
    assert counties["co_unit_codes"] == ["990102", "990121", "990181"]
    assert direct["lead_unit_code"] is None and direct["unmatched"] == ["市直有关单位"]
    assert not Task.objects.filter(source_title="市长讲话").exists()


def test_county_cannot_propose_or_batch(tasks):
    client = logged_in(tasks.reporter_a)
    response = post(client, "propose", {"text": SPEECH, "date": "2025-12-05"})
    assert response.status_code == 403 and "市级管理员" in response.json()["detail"]
    response = post(client, "batch", {"tasks": [{"title": "x", "lead_unit": "990102"}]})
    assert response.status_code == 403
    assert not Task.objects.filter(title="x").exists()


def test_batch_creates_every_row(tasks):
    body = {"source_title": "市长讲话", "source_date": "2025-12-05", "tasks": [
        {"title": "完成重点项目投资计划", "lead_unit": "D0101", "co_units": ["990102"],
         "deadline": "2025-12-31", "target": "达到95%"},
        {"title": "新开工项目", "lead_unit": "990121", "co_units": ["990102", "990121"]},
    ]}
    response = post(logged_in(tasks.office), "batch", body)
    assert response.status_code == 201, response.content
    first, second = response.json()
    assert first["lead_unit"]["code"] == "D0101" and first["deadline"] == "2025-12-31"
    assert first["source_kind"] == "speech" and first["source_date"] == "2025-12-05"
    assert [u["code"] for u in second["co_units"]] == ["990102"]
    assert Task.objects.filter(source_title="市长讲话").count() == 2


@pytest.mark.parametrize(("rows", "words"), [
    ([{"title": "a", "lead_unit": "990102"}, {"title": "b"}], "第2项：请选择牵头单位"),
    ([{"title": "a", "lead_unit": "990102"}, {"title": " ", "lead_unit": "990121"}],
     "第2项：请填写督办事项"),
    ([{"title": "a", "lead_unit": "990102", "co_units": ["000000"]}], "000000"),
    ([], "请至少选择一项"),
])
def test_batch_is_all_or_nothing(tasks, rows, words):
    response = post(logged_in(tasks.office), "batch", {"source_title": "市长讲话", "tasks": rows})
    assert response.status_code == 422, response.content
    assert words in response.json()["detail"]
    assert not Task.objects.filter(source_title="市长讲话").exists()


def test_batch_names_every_refused_item(tasks):
    rows = [{"title": "a", "lead_unit": "000000"}, {"title": "b", "lead_unit": "990102"},
            {"title": "c", "lead_unit": "990102", "co_units": ["999999", "000000"]}]
    response = post(logged_in(tasks.office), "batch", {"source_title": "市长讲话", "tasks": rows})
    assert response.status_code == 422
    assert response.json()["errors"] == ["第1项：组织机构代码不存在：000000。",
                                         "第3项：组织机构代码不存在：999999、000000。"]
    peers = [{"title": "a", "lead_unit": "990200"}, {"title": "b", "lead_unit": "990300"}]
    response = post(logged_in(tasks.office), "batch", {"source_title": "市长讲话", "tasks": peers})
    assert response.status_code == 403
    assert "第1项" in response.json()["detail"] and "第2项" in response.json()["detail"]
    assert not Task.objects.filter(source_title="市长讲话").exists()


def test_text_longer_than_its_field_is_refused_not_a_database_error(tasks):
    client = logged_in(tasks.office)
    before = Task.objects.count()
    response = client.post("/api/tasks/", data={"title": "事" * 301, "lead_unit": "990102"},
                           content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == "“事项”过长：共301字，最多300字。"
    rows = [{"title": "a", "lead_unit": "990102"}, {"title": "事" * 400, "lead_unit": "990102"}]
    response = post(client, "batch", {"source_title": "来" * 201, "tasks": rows})
    assert response.status_code == 422
    assert response.json()["errors"] == ["“来源”过长：共201字，最多200字。",
                                         "第2项：“事项”过长：共400字，最多300字。"]
    assert Task.objects.count() == before


def test_propose_answers_the_new_fields(client, cast):
    client.force_login(cast.office)
    response = client.post("/api/tasks/propose", {
        "text": "县国土资源局要在15个工作日内完成报征土地1135亩，春节前全部开工。",
        "date": "2026-12-20", "source_title": "县长办公会议纪要"}, content_type="application/json")
    assert response.status_code == 200, response.content
    (task,) = response.json()["tasks"]
    assert task["units"][0]["text"] == "县国土资源局" and task["units"][0]["unit"] is None
    assert task["needs_unit"] is False
    assert [m["deadline_text"] for m in task["milestones"]] == ["15个工作日内", "春节前"]
    assert task["deadline_estimated"] is True
    assert task["deadline_note"] == "节假日安排未公布，暂按双休日计算"
    assert task["targets"][0]["subject"] == "报征土地"


def test_the_list_costs_the_same_queries_for_more_tasks(tasks, django_assert_num_queries):
    """Co-units and reports are read once for a page, not per task (no N+1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in(tasks.office)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/api/tasks/").json()["items"]) == 3
    office = Scope.for_user(tasks.office)
    for n in range(6):
        task = services.create_task(office, title=f"事项{n}", lead_unit=tasks.county_b,
                                    co_units=[tasks.county_a, tasks.department],
                                    deadline=FUTURE)
        services.report_progress(Scope.for_user(tasks.reporter_a), task, tasks.reporter_a,
                                 "配合推进", percent=20 + n)
    with django_assert_num_queries(len(few)):
        items = client.get("/api/tasks/").json()["items"]
    assert len(items) == 9
    added = next(item for item in items if item["title"] == "事项5")
    assert added["co_percents"] == [{"unit": {"code": "990102", "name": "甲区"}, "percent": 25}]
    assert added["co_units"] == [{"code": "990102", "name": "甲区"},
                                 {"code": tasks.department.code, "name": tasks.department.name}]


def test_the_list_items_are_the_detail_answers(tasks):
    """The list is written straight from its rows (core/apilists.py): each item is what the
    detail endpoint answers through TaskOut, field for field and in its order."""
    from jiangping.tasks.api import TaskOut

    services.report_progress(Scope.for_user(tasks.reporter_b), tasks.task_ab, tasks.reporter_b,
                             "配合推进", percent=30)
    client = logged_in(tasks.office)
    items = client.get("/api/tasks/").json()["items"]
    assert len(items) == 3
    for item in items:
        detail = client.get(f"/api/tasks/{item['id']}").json()
        assert list(item) == list(TaskOut.model_fields)
        assert item == {key: detail[key] for key in item}
    shared = next(item for item in items if item["id"] == tasks.task_ab.pk)
    assert shared["co_percents"] == [{"unit": {"code": "990121", "name": "乙县"}, "percent": 30}]
    assert next(i for i in items if i["id"] == tasks.task_b.pk)["overdue"] is True
