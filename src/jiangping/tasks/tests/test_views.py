"""The task pages: the office assigns and decides, 甲区 and 乙县 report on their own tasks,
乙县 is refused 甲区's, the leader reads without forms."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiangping.orgs.scope import Scope
from jiangping.tasks import services, workdays
from jiangping.tasks.models import Status, Task

TODAY = dt.date(2024, 9, 20)  # a Friday before the National Day holiday
BOARD = reverse("tasks:board")
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def tasks(cast):
    """甲区 leads one task alone (with 高新区) and one with 乙县; 丙市's is overdue."""
    office = Scope.for_user(cast.office)

    def assign(title, lead, co=(), **kwargs):
        return services.create_task(office, user=cast.office, title=title, lead_unit=lead,
                                    co_units=co, **kwargs)

    cast.task_a = assign("加快甲区产业园建设", cast.county_a, [cast.zone],
                         source_title="十一月讲评会", source_date=dt.date(2024, 9, 2),
                         deadline=dt.date(2024, 10, 12), target="年底前开工")
    cast.task_ab = assign("抓好秸秆禁烧", cast.county_a, [cast.county_b],
                          deadline=dt.date(2024, 9, 27))
    cast.task_c = assign("推进老旧小区改造", cast.county_c, deadline=dt.date(2024, 9, 10))
    return cast


def page(client, user, url, **kwargs):
    client.force_login(user)
    response = client.get(url, kwargs)
    return response, response.content.decode()


def detail_url(task):
    return reverse("tasks:detail", args=[task.pk])


# --- board -----------------------------------------------------------------------
def test_board_for_the_office(client, tasks):
    response, html = page(client, tasks.office, BOARD)
    assert response.status_code == 200
    for task in (tasks.task_a, tasks.task_ab, tasks.task_c):
        assert task.title in html
    assert reverse("tasks:new") in html
    found = re.findall(r'<div class="stat[^"]*">(\d+)</div><div class="stat-label">'
                       r'<span class="badge task-(\w+)">', html)
    counts = {key: n for n, key in found}
    assert counts == {"not_started": "2", "in_progress": "0", "done": "0", "overdue": "1",
                      "closed": "0"}
    overdue_row = html[html.index('<tr class="overdue">'):]
    assert tasks.task_c.title in overdue_row[:overdue_row.index("</tr>")]
    assert "已逾期 10 天" in html
    left = workdays.workdays_between(TODAY, dt.date(2024, 10, 12))
    assert f"剩 22 天（{left} 个工作日）" in html


def test_board_for_reporters_shows_their_own_tasks(client, tasks):
    _, html = page(client, tasks.reporter_a, BOARD)
    assert tasks.task_a.title in html and tasks.task_ab.title in html
    assert tasks.task_c.title not in html
    assert reverse("tasks:new") not in html

    _, html = page(client, tasks.reporter_b, BOARD)
    assert tasks.task_ab.title in html
    assert tasks.task_a.title not in html and tasks.task_c.title not in html


def test_board_filters(client, tasks):
    _, html = page(client, tasks.office, BOARD, status=Status.OVERDUE)
    assert tasks.task_c.title in html and tasks.task_a.title not in html
    _, html = page(client, tasks.office, BOARD, unit=tasks.county_b.code)
    assert tasks.task_ab.title in html and tasks.task_a.title not in html
    _, html = page(client, tasks.office, BOARD, due="2024-09-30")
    assert tasks.task_ab.title in html and tasks.task_a.title not in html
    response, _ = page(client, tasks.office, BOARD, status="lost")
    assert response.status_code == 400


def test_board_for_the_leader_is_read_only(client, tasks):
    response, html = page(client, tasks.leader, BOARD)
    assert response.status_code == 200
    assert tasks.task_c.title in html and reverse("tasks:new") not in html


def add_tasks(tasks, count, start=0):
    office = Scope.for_user(tasks.office)
    for n in range(start, start + count):
        task = services.create_task(office, title=f"事项{n}", lead_unit=tasks.county_b,
                                    co_units=[tasks.county_a, tasks.department],
                                    deadline=dt.date(2024, 11, 1) + dt.timedelta(days=n))
        services.report_progress(Scope.for_user(tasks.reporter_b), task, tasks.reporter_b,
                                 "推进中", percent=n)


def board_rows(html):
    return re.findall(r'<td class="task-title"><a href="/tasks/(\d+)/">', html)


def test_board_cost_does_not_grow_with_tasks(client, tasks, monkeypatch,
                                             django_assert_num_queries):
    monkeypatch.setattr("jiangping.core.paging.PAGE_SIZE", 5)
    client.force_login(tasks.office)
    add_tasks(tasks, 6)
    with CaptureQueriesContext(connection) as few:
        _, html = page(client, tasks.office, BOARD)
    assert len(board_rows(html)) == 5 and "第 1 / 2 页，共 9 项" in html
    add_tasks(tasks, 20, start=6)
    with django_assert_num_queries(len(few)):
        _, html = page(client, tasks.office, BOARD)
    assert len(board_rows(html)) == 5 and "第 1 / 6 页，共 29 项" in html


def test_the_board_pages_keep_the_order_and_the_filters(client, tasks, monkeypatch):
    monkeypatch.setattr("jiangping.core.paging.PAGE_SIZE", 5)
    add_tasks(tasks, 9)
    _, first = page(client, tasks.office, BOARD)
    # Overdue first across the whole list, then the open ones by deadline.
    assert board_rows(first)[0] == str(tasks.task_c.pk)
    assert " 1%" in first and " 8%" not in first
    shown = []
    for number in (1, 2, 3):
        _, html = page(client, tasks.office, BOARD, page=number)
        shown += board_rows(html)
    ordered = [tasks.task_c, tasks.task_ab, tasks.task_a, *Task.objects.filter(
        title__startswith="事项").order_by("deadline")]
    assert shown == [str(task.pk) for task in ordered]
    # The latest percent shown is each task's own, on whichever page it falls.
    assert " 8%" in html and 'href="?page=2"' in html and "下一页" not in html
    # 乙县's tasks: 抓好秸秆禁烧 and the 9 new ones, the filter kept from page to page.
    _, html = page(client, tasks.office, BOARD, unit=tasks.county_b.code, page=2)
    assert board_rows(html) == [str(task.pk) for task in ordered[7:]]
    assert f'href="?unit={tasks.county_b.code}&amp;page=1"' in html
    _, html = page(client, tasks.office, BOARD, page="many")
    assert board_rows(html)[0] == str(tasks.task_c.pk)
    _, html = page(client, tasks.office, BOARD, page=99)
    assert "第 3 / 3 页" in html


# --- detail ----------------------------------------------------------------------
def test_detail_for_the_lead_unit(client, tasks):
    response, html = page(client, tasks.reporter_a, detail_url(tasks.task_a))
    assert response.status_code == 200
    for text in ("十一月讲评会", "甲区", "示例高新区", "年底前开工", "2024-10-12", "交办"):
        assert text in html
    assert reverse("tasks:progress", args=[tasks.task_a.pk]) in html
    assert reverse("tasks:request_close", args=[tasks.task_a.pk]) in html
    assert reverse("tasks:approve", args=[tasks.task_a.pk]) not in html


def test_detail_for_a_co_unit_and_a_stranger(client, tasks):
    _, html = page(client, tasks.reporter_b, detail_url(tasks.task_ab))
    assert reverse("tasks:progress", args=[tasks.task_ab.pk]) in html
    assert reverse("tasks:request_close", args=[tasks.task_ab.pk]) not in html
    response, _ = page(client, tasks.reporter_b, detail_url(tasks.task_a))
    assert response.status_code == 404


def test_detail_for_the_leader_has_no_forms(client, tasks):
    response, html = page(client, tasks.leader, detail_url(tasks.task_a))
    assert response.status_code == 200 and tasks.task_a.title in html
    assert 'method="post" action="/tasks/' not in html


def test_report_progress_with_evidence(client, tasks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(tasks.reporter_a)
    url = reverse("tasks:progress", args=[tasks.task_a.pk])
    evidence = SimpleUploadedFile("现场照片.txt", "开工照片".encode())
    response = client.post(url, {"text": "已完成选址", "percent": "30", "evidence": evidence})
    assert response.status_code == 302
    task = Task.objects.get(pk=tasks.task_a.pk)
    assert task.status == Status.IN_PROGRESS
    report = task.progress.get()
    assert (report.percent, report.unit) == (30, tasks.county_a)
    html = client.get(detail_url(task)).content.decode()
    assert "已完成选址" in html and "30%" in html

    download = reverse("tasks:evidence", args=[report.pk])
    assert download in html
    assert b"".join(client.get(download).streaming_content) == "开工照片".encode()
    client.force_login(tasks.reporter_b)
    assert client.get(download).status_code == 404


def test_report_progress_refusals(client, tasks):
    url = reverse("tasks:progress", args=[tasks.task_a.pk])
    client.force_login(tasks.reporter_a)
    response = client.post(url, {"text": "", "percent": "120"})
    assert response.status_code == 422
    assert "field-error" in response.content.decode()
    client.force_login(tasks.leader)
    assert client.post(url, {"text": "看过了"}).status_code == 403
    client.force_login(tasks.reporter_b)
    assert client.post(url, {"text": "越权"}).status_code == 404
    assert not tasks.task_a.progress.exists()


def test_close_out_with_htmx(client, tasks):
    task = tasks.task_ab
    client.force_login(tasks.reporter_b)
    assert client.post(reverse("tasks:request_close", args=[task.pk]),
                       headers=HTMX).status_code == 403
    client.force_login(tasks.reporter_a)
    assert client.post(reverse("tasks:approve", args=[task.pk]), headers=HTMX).status_code == 403
    response = client.post(reverse("tasks:request_close", args=[task.pk]),
                           {"comment": "已全面完成"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="task-status"') and "已完成" in html
    assert 'id="task-events" class="card" hx-swap-oob="true"' in html and "已全面完成" in html

    client.force_login(tasks.office)
    refused = client.post(reverse("tasks:reject", args=[task.pk]), headers=HTMX)
    assert refused.status_code == 422 and "退回原因" in refused.content.decode()
    response = client.post(reverse("tasks:reject", args=[task.pk]), {"comment": "缺少佐证"},
                           headers=HTMX)
    assert response.status_code == 200 and "推进中" in response.content.decode()
    task.refresh_from_db()
    assert task.status == Status.IN_PROGRESS

    services.request_close(Scope.for_user(tasks.reporter_a), task, tasks.reporter_a)
    response = client.post(reverse("tasks:approve", args=[task.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == Status.CLOSED


# --- new task --------------------------------------------------------------------
def test_new_task_by_working_days(client, tasks):
    response, html = page(client, tasks.office, reverse("tasks:new"))
    assert response.status_code == 200
    assert "乙县" in html and "示例市发展和改革委员会" in html
    assert "甲区东街道" not in html and "样本市" not in html
    response = client.post(reverse("tasks:new"), {
        "title": "开展安全生产大检查", "source_kind": "document",
        "source_title": "市政府办公室通知", "source_date": "2024-09-27",
        "lead_unit": tasks.county_b.pk,
        "co_units": [tasks.county_a.pk, tasks.department.pk], "deadline_workdays": "3",
        "target": "隐患整改率100%",
    })
    assert response.status_code == 302
    task = Task.objects.get(title="开展安全生产大检查")
    assert task.deadline == dt.date(2024, 10, 8)  # 9-29 (调休上班), 9-30, then after 国庆
    assert set(task.co_units.all()) == {tasks.county_a, tasks.department}
    assert response.url == detail_url(task)


def test_new_task_refusals(client, tasks):
    client.force_login(tasks.office)
    response = client.post(reverse("tasks:new"), {
        "title": "两项时限", "source_kind": "meeting", "lead_unit": tasks.county_a.pk,
        "deadline": "2024-12-31", "deadline_workdays": "5",
    })
    assert response.status_code == 422 and "只能填写一项" in response.content.decode()
    response = client.post(reverse("tasks:new"), {
        "title": "缺来源日期", "source_kind": "meeting", "lead_unit": tasks.county_a.pk,
        "deadline_workdays": "5",
    })
    assert response.status_code == 422 and "来源日期" in response.content.decode()
    response = client.post(reverse("tasks:new"), {
        "title": "派给街道", "source_kind": "meeting", "lead_unit": tasks.township_a.pk,
    })
    assert response.status_code == 422
    for user in (tasks.reporter_a, tasks.leader):
        client.force_login(user)
        assert client.get(reverse("tasks:new")).status_code == 403
    assert not Task.objects.filter(title__in=["两项时限", "缺来源日期", "派给街道"]).exists()


# --- calendar --------------------------------------------------------------------
def test_calendar_marks_holidays_and_make_up_workdays(client, tasks):
    url = reverse("tasks:calendar")
    response, html = page(client, tasks.office, url, month="2024-10")
    assert response.status_code == 200
    assert "2024年10月" in html
    makeup = html[html.index("day-makeup"):]  # 2024-09-29, then 10-12 (调休上班)
    assert "调休上班" in makeup[:400]
    saturday = html[html.index('<span class="day-num">12</span>'):]
    assert tasks.task_a.title in saturday[:600]
    assert "day-holiday" in html

    _, html = page(client, tasks.office, url)  # this month by default: September
    assert "2024年9月" in html
    overdue = html[html.index(tasks.task_c.title) - 200:]
    assert 'class="overdue' in overdue[:200]

    _, html = page(client, tasks.reporter_b, url, month="2024-10")
    assert tasks.task_a.title not in html
    response, _ = page(client, tasks.office, url, month="2024-13")
    assert response.status_code == 400


# --- home and nav ----------------------------------------------------------------
def test_home_cards(client, tasks):
    _, html = page(client, tasks.office, reverse("home"))
    assert reverse("tasks:board") in html and "badge task-overdue" in html
    _, html = page(client, tasks.reporter_a, reverse("home"))
    assert tasks.task_a.title in html and tasks.task_c.title not in html
    _, html = page(client, tasks.leader, reverse("home"))
    assert "督办事项" in html


def test_the_office_page_offers_and_takes_no_report_for_a_unit(client, tasks):
    _, html = page(client, tasks.office, detail_url(tasks.task_a))
    assert reverse("tasks:progress", args=[tasks.task_a.pk]) not in html
    assert reverse("tasks:request_close", args=[tasks.task_a.pk]) not in html
    response = client.post(reverse("tasks:progress", args=[tasks.task_a.pk]), {"text": "代报"})
    assert response.status_code == 403
    assert not tasks.task_a.progress.exists()
