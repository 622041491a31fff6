"""Task actions with the cast: life cycle, scope refusals, deadlines, overdue."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiangping.orgs.scope import Scope
from jiangping.tasks import services
from jiangping.tasks.models import (
    EventKind,
    Notification,
    NotificationKind,
    SourceKind,
    Status,
    Task,
    TaskEvent,
)

D = dt.date


def scope(user):
    return Scope.for_user(user)


def assign(cast, **kwargs):
    kwargs.setdefault("title", "加快推进重点项目建设")
    kwargs.setdefault("lead_unit", cast.county_a)
    return services.create_task(scope(cast.office), user=cast.office, **kwargs)


def test_life_cycle(cast):
    task = assign(cast, co_units=[cast.county_b, cast.county_a], source_kind=SourceKind.SPEECH,
                  source_title="市长在讲评会上的讲话", source_date=D(2024, 3, 1),
                  deadline=D(2099, 12, 31), target="开工率达到90%")
    assert task.status == Status.NOT_STARTED
    assert list(task.co_units.all()) == [cast.county_b]  # the lead unit is not its own co-unit

    progress = services.report_progress(scope(cast.reporter_a), task, cast.reporter_a,
                                        "已完成选址", percent=30)
    assert progress.unit == cast.county_a
    task.refresh_from_db()
    assert task.status == Status.IN_PROGRESS
    co = services.report_progress(scope(cast.reporter_b), task, cast.reporter_b, "配合完成审批")
    assert co.unit == cast.county_b

    task = services.request_close(scope(cast.reporter_a), task, cast.reporter_a)
    assert task.status == Status.DONE and task.completed_on is not None
    task = services.reject_close(scope(cast.office), task, cast.office, "佐证材料不全")
    assert task.status == Status.IN_PROGRESS and task.completed_on is None
    services.request_close(scope(cast.reporter_a), task, cast.reporter_a)
    task = services.approve_close(scope(cast.office), task, cast.office)
    assert task.status == Status.CLOSED and task.closed_at is not None

    with pytest.raises(ValidationError, match="已销号"):
        services.report_progress(scope(cast.reporter_a), task, cast.reporter_a, "补充材料")
    with pytest.raises(ValidationError, match="不能销号"):
        services.approve_close(scope(cast.office), task, cast.office)
    assert list(TaskEvent.objects.filter(task=task).values_list("kind", flat=True)) == [
        EventKind.CREATED, EventKind.PROGRESS, EventKind.PROGRESS, EventKind.CLOSE_REQUESTED,
        EventKind.CLOSE_REJECTED, EventKind.CLOSE_REQUESTED, EventKind.CLOSE_APPROVED,
    ]
    assert TaskEvent.objects.get(kind=EventKind.CLOSE_REJECTED).comment == "佐证材料不全"


def test_scope_refusals(cast):
    task = assign(cast)
    b = scope(cast.reporter_b)
    with pytest.raises(PermissionDenied, match="牵头单位和配合单位"):
        services.report_progress(b, task, cast.reporter_b, "越权报送")
    with pytest.raises(PermissionDenied):
        services.request_close(b, task, cast.reporter_b)
    with pytest.raises(PermissionDenied, match="只能查看"):
        services.report_progress(scope(cast.leader), task, cast.leader, "领导只读")
    with pytest.raises(PermissionDenied, match="仅限市级管理员"):
        services.create_task(scope(cast.reporter_a), title="自行交办", lead_unit=cast.county_a)
    services.request_close(scope(cast.reporter_a), task, cast.reporter_a)
    with pytest.raises(PermissionDenied, match="仅限市级管理员"):
        services.approve_close(scope(cast.reporter_a), task, cast.reporter_a)
    with pytest.raises(PermissionDenied, match="仅限市级管理员"):
        services.reject_close(scope(cast.reporter_a), task, cast.reporter_a, "自行退回")
    assert Task.objects.get().status == Status.DONE


def test_a_co_unit_reports_but_cannot_ask_for_close_out(cast):
    task = assign(cast, co_units=[cast.county_b])
    services.report_progress(scope(cast.reporter_b), task, cast.reporter_b, "已配合")
    with pytest.raises(PermissionDenied):
        services.request_close(scope(cast.reporter_b), task, cast.reporter_b)


def test_tasks_for(cast):
    led_by_a = assign(cast, title="甲区牵头")
    helped_by_a = assign(cast, title="乙县牵头", lead_unit=cast.county_b, co_units=[cast.county_a])
    other = assign(cast, title="丙市牵头", lead_unit=cast.county_c)
    assert set(services.tasks_for(scope(cast.reporter_a))) == {led_by_a, helped_by_a}
    assert set(services.tasks_for(scope(cast.reporter_b))) == {helped_by_a}
    assert set(services.tasks_for(scope(cast.office))) == {led_by_a, helped_by_a, other}
    assert set(services.tasks_for(scope(cast.leader))) == {led_by_a, helped_by_a, other}


def test_deadline_in_working_days_counts_from_the_source_date(cast):
    task = assign(cast, source_date=D(2024, 2, 8), deadline_workdays=3)
    assert task.deadline == D(2024, 2, 19)  # over the Spring Festival, via the make-up Sunday
    task = assign(cast, source_date=D(2025, 9, 30), deadline_workdays=5)
    assert task.deadline == D(2025, 10, 14)  # National Day Oct 1–8, make-up Saturday Oct 11
    with pytest.raises(ValidationError, match="来源日期"):
        assign(cast, deadline_workdays=5)
    with pytest.raises(ValidationError, match="只能填写一项"):
        assign(cast, source_date=D(2024, 2, 8), deadline_workdays=3, deadline=D(2024, 3, 1))
    task = assign(cast, source_date=D(2099, 1, 5), deadline_workdays=3)
    assert (task.deadline, task.deadline_estimated) == (D(2099, 1, 8), True)


def test_create_refuses_an_empty_title_and_units_outside_the_city(cast):
    with pytest.raises(ValidationError, match="请填写督办事项"):
        assign(cast, title="  ")
    with pytest.raises(PermissionDenied):
        assign(cast, lead_unit=cast.peers[0])
    assert not Task.objects.exists()


def test_mark_overdue(cast):
    late = assign(cast, deadline=D(2024, 3, 1))
    started = assign(cast, deadline=D(2024, 3, 4))
    services.report_progress(scope(cast.reporter_a), started, cast.reporter_a, "推进中")
    due_today = assign(cast, deadline=D(2024, 3, 5))
    no_deadline = assign(cast)
    done = assign(cast, deadline=D(2024, 3, 1))
    services.request_close(scope(cast.reporter_a), done, cast.reporter_a)

    assert services.mark_overdue(D(2024, 3, 5)) == 2
    status = dict(Task.objects.values_list("pk", "status"))
    assert status[late.pk] == status[started.pk] == Status.OVERDUE
    assert status[due_today.pk] == status[no_deadline.pk] == Status.NOT_STARTED
    assert status[done.pk] == Status.DONE
    assert TaskEvent.objects.filter(kind=EventKind.OVERDUE).count() == 2
    assert services.mark_overdue(D(2024, 3, 5)) == 0

    # An overdue task is still reported on and closed out; sent back, it is under way
    # again, shown overdue at once and marked so, with its event, by the next run.
    services.report_progress(scope(cast.reporter_a), late, cast.reporter_a, "加紧推进")
    assert Task.objects.get(pk=late.pk).status == Status.OVERDUE
    services.request_close(scope(cast.reporter_a), late, cast.reporter_a)
    task = services.reject_close(scope(cast.office), late, cast.office, "未达到目标")
    assert task.status == Status.IN_PROGRESS
    assert services.shown_status(task, D(2024, 3, 5)) == Status.OVERDUE
    assert services.mark_overdue(D(2024, 3, 5)) == 1
    assert Task.objects.get(pk=late.pk).status == Status.OVERDUE
    assert late.events.filter(kind=EventKind.OVERDUE).count() == 2


def test_shown_status():
    today = D(2024, 3, 5)
    for status, deadline, shown in [
        (Status.NOT_STARTED, D(2024, 3, 4), Status.OVERDUE),
        (Status.IN_PROGRESS, D(2024, 3, 4), Status.OVERDUE),
        (Status.IN_PROGRESS, today, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, None, Status.IN_PROGRESS),
        (Status.DONE, D(2024, 3, 4), Status.DONE),
        (Status.CLOSED, D(2024, 3, 4), Status.CLOSED),
        (Status.OVERDUE, D(2024, 3, 4), Status.OVERDUE),
    ]:
        assert services.shown_status(Task(status=status, deadline=deadline), today) == shown


def test_the_city_office_does_not_report_in_a_units_place(cast):
    task = assign(cast, co_units=[cast.county_b], deadline=D(2099, 12, 31))
    office = scope(cast.office)
    assert not services.acts_for(office, cast.county_a)
    assert services.acts_for(office, cast.city)
    with pytest.raises(PermissionDenied):
        services.report_progress(office, task, cast.office, "市督查室代报")
    with pytest.raises(PermissionDenied):
        services.request_close(office, task, cast.office)
    assert not task.progress.exists()
    # Its own unit it reports for, as any unit.
    own = assign(cast, title="市级自办事项", lead_unit=cast.city, deadline=D(2099, 12, 31))
    assert services.report_progress(office, own, cast.office, "已部署").unit == cast.city
    assert services.request_close(office, own, cast.office).status == Status.DONE


def test_progress_percent_is_checked(cast):
    task = assign(cast)
    with pytest.raises(ValidationError, match="0 到 100"):
        services.report_progress(scope(cast.reporter_a), task, cast.reporter_a, "超额", 120)
    with pytest.raises(ValidationError, match="进展情况"):
        services.report_progress(scope(cast.reporter_a), task, cast.reporter_a, " ")


def test_close_out_notifies_the_office_then_the_lead_unit(cast, django_capture_on_commit_callbacks,
                                                          mailoutbox):
    cast.office.email = "office@example.gov.cn"
    cast.office.save()
    cast.reporter_a.email = "jiaqu@example.gov.cn"
    cast.reporter_a.save()
    task = assign(cast, co_units=[cast.county_b], deadline=D(2099, 12, 31))

    def notes():
        return list(Notification.objects.order_by("pk").values_list("user__username", "kind"))

    with django_capture_on_commit_callbacks(execute=True):
        services.request_close(scope(cast.reporter_a), task, cast.reporter_a, "已完成")
    assert notes() == [("office", NotificationKind.CLOSE_REQUESTED)]
    request = Notification.objects.get()
    assert "甲区" in request.message and "申请销号" in request.message
    assert "已完成" in request.message
    assert [m.to for m in mailoutbox] == [["office@example.gov.cn"]]

    with django_capture_on_commit_callbacks(execute=True):
        services.reject_close(scope(cast.office), task, cast.office, "佐证材料不全")
    # Only the lead unit's users (甲区), not the co-unit's (乙县).
    assert notes()[1:] == [("jiaqu", NotificationKind.CLOSE_REJECTED)]
    assert "佐证材料不全" in Notification.objects.get(kind="close_rejected").message

    # A second request notifies again: close-out notices are not once per deadline.
    services.request_close(scope(cast.reporter_a), task, cast.reporter_a)
    services.approve_close(scope(cast.office), task, cast.office)
    assert notes()[2:] == [("office", NotificationKind.CLOSE_REQUESTED),
                           ("jiaqu", NotificationKind.CLOSE_APPROVED)]
    assert "已同意销号" in Notification.objects.get(kind="close_approved").message
    assert len(mailoutbox) == 2  # mails wait for the commit (not run for the last two here)


def test_a_refused_close_out_notifies_nobody(cast):
    task = assign(cast)
    with pytest.raises(ValidationError):
        services.approve_close(scope(cast.office), task, cast.office)
    with pytest.raises(PermissionDenied):
        services.request_close(scope(cast.reporter_b), task, cast.reporter_b)
    assert not Notification.objects.exists()
