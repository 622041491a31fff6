"""A task's progress: the lead unit's report, co-units' beside it, 100% when done."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from jiangping.orgs.scope import Scope
from jiangping.tasks import services
from jiangping.tasks.models import Status
from jiangping.tasks.progress import DONE_PERCENT, OPEN_CEILING, attach, shown_percent


@pytest.mark.parametrize(("status", "lead", "shown"), [
    (Status.NOT_STARTED, None, None),
    (Status.IN_PROGRESS, None, None),
    (Status.IN_PROGRESS, 0, 0),
    (Status.IN_PROGRESS, 30, 30),
    (Status.IN_PROGRESS, 99, 99),
    (Status.IN_PROGRESS, 100, 99),  # not done until the close-out says so
    (Status.OVERDUE, 100, 99),
    (Status.OVERDUE, 60, 60),
    (Status.DONE, 60, 100),
    (Status.DONE, None, 100),
    (Status.CLOSED, 60, 100),
])
def test_shown_percent(status, lead, shown):
    assert shown_percent(status, lead) == shown
    assert (DONE_PERCENT, OPEN_CEILING) == (100, 99)


@pytest.fixture
def task(cast):
    """甲区 leads, 乙县 and the department co-operate."""
    return services.create_task(Scope.for_user(cast.office), user=cast.office,
                                title="抓好秸秆禁烧", lead_unit=cast.county_a,
                                co_units=[cast.county_b], deadline=dt.date(2030, 12, 31))


def report(cast, task, user, percent, text="推进中"):
    return services.report_progress(Scope.for_user(user), task, user, text, percent=percent)


def test_a_co_unit_report_does_not_set_the_task_progress(cast, task, client):
    report(cast, task, cast.reporter_a, 30)
    report(cast, task, cast.reporter_b, 80)
    report(cast, task, cast.reporter_a, None, "无进度数字的报送")
    attach(task)
    assert (task.percent, task.lead_percent) == (30, 30)
    assert [(p.unit, p.percent) for p in task.co_percents] == [(cast.county_b, 80)]

    client.force_login(cast.office)
    board = client.get(reverse("tasks:board")).content.decode()
    assert 'value="30"' in board and 'value="80"' not in board
    assert "乙县 80%" in board
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "30%" in page and "乙县 80%" in page

    data = Client()
    data.force_login(cast.office)
    listed = data.get("/api/tasks/").json()["items"][0]
    assert listed["percent"] == 30
    assert listed["co_percents"] == [{"unit": {"code": cast.county_b.code,
                                               "name": cast.county_b.name}, "percent": 80}]
    assert data.get(f"/api/tasks/{task.pk}").json()["percent"] == 30


def test_only_a_co_unit_reported_leaves_the_task_without_progress(cast, task):
    report(cast, task, cast.reporter_b, 80)
    attach(task)
    assert task.percent is None and task.co_percents[0].percent == 80


def test_done_and_closed_show_100_and_a_sent_back_task_its_lead_report(cast, task, client):
    report(cast, task, cast.reporter_a, 60)
    office = Scope.for_user(cast.office)
    services.request_close(Scope.for_user(cast.reporter_a), task, cast.reporter_a)
    task.refresh_from_db()
    assert attach(task).percent == 100
    client.force_login(cast.office)
    assert 'value="100"' in client.get(reverse("tasks:board")).content.decode()
    services.reject_close(office, task, cast.office, "佐证材料不全")
    task.refresh_from_db()
    assert attach(task).percent == 60
    report(cast, task, cast.reporter_a, 100, "已全部完成")
    assert attach(task).percent == 99
    services.request_close(Scope.for_user(cast.reporter_a), task, cast.reporter_a)
    services.approve_close(office, task, cast.office)
    task.refresh_from_db()
    assert attach(task).percent == 100
