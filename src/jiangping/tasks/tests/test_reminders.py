"""Reminders, escalation and recurring tasks (到期提醒、逾期升级、周期事项) with the cast."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiangping.orgs.models import Role, User
from jiangping.orgs.scope import Scope
from jiangping.tasks import holidays, reminders, services
from jiangping.tasks.models import (
    EventKind,
    Holiday,
    HolidayYear,
    Notification,
    NotificationKind,
    Recurrence,
    Status,
    Task,
)
from jiangping.tasks.tests import notice2027

D = dt.date
# National Day 2024: 1–7 October off, Sunday 29 September a make-up workday (调休上班).
DEADLINE = D(2024, 10, 8)


def assign(cast, **kwargs):
    kwargs.setdefault("title", "加快推进重点项目建设")
    kwargs.setdefault("lead_unit", cast.county_a)
    kwargs.setdefault("co_units", [cast.county_b])
    kwargs.setdefault("deadline", DEADLINE)
    return services.create_task(Scope.for_user(cast.office), user=cast.office, **kwargs)


def notes(**filters):
    return sorted(Notification.objects.filter(**filters).values_list("user__username", "kind"))


def test_reminded_exactly_n_workdays_before_across_the_holiday(cast):
    task = assign(cast)
    assert reminders.send_reminders(D(2024, 9, 26), days_before=3) == 0
    # 27 Sep (Fri) → 29 Sep (make-up Sunday), 30 Sep, 8 Oct: the third working day.
    assert reminders.send_reminders(D(2024, 9, 27), days_before=3) == 2
    assert notes() == [("jiaqu", "reminder"), ("yixian", "reminder")]
    lead = Notification.objects.get(user=cast.reporter_a)
    assert lead.task == task and lead.deadline == DEADLINE and lead.read_at is None
    assert "2024-10-08" in lead.message and "3个工作日" in lead.message
    assert "牵头单位" in lead.message
    assert "配合单位" in Notification.objects.get(user=cast.reporter_b).message
    assert reminders.send_reminders(D(2024, 9, 30), days_before=3) == 0


def test_reminders_are_sent_once_per_deadline(cast):
    task = assign(cast)
    assert reminders.send_reminders(D(2024, 9, 27), days_before=3) == 2
    assert reminders.send_reminders(D(2024, 9, 27), days_before=3) == 0
    # Saturday: the third working day is 8 October again; nothing new.
    assert reminders.send_reminders(D(2024, 9, 28), days_before=3) == 0
    assert Notification.objects.count() == 2
    task.deadline = D(2024, 10, 10)
    task.save()
    assert reminders.send_reminders(D(2024, 9, 30), days_before=3) == 2
    assert Notification.objects.count() == 4


def test_a_deadline_on_a_holiday_is_reminded_before_the_break(cast):
    assign(cast, deadline=D(2024, 10, 5), co_units=[])
    # 3 working days after 26 Sep: 27 Sep, 29 Sep, 30 Sep; 5 Oct falls before the next one.
    assert reminders.send_reminders(D(2024, 9, 26), days_before=3) == 1
    assert notes() == [("jiaqu", "reminder")]


def test_only_open_tasks_are_reminded_and_days_come_from_settings(cast, settings):
    settings.JIANGPING_REMIND_DAYS = 1
    done = assign(cast, title="已办结的事项", deadline=D(2024, 9, 30))
    services.request_close(Scope.for_user(cast.reporter_a), done, cast.reporter_a)
    assign(cast, title="明天到期", deadline=D(2024, 9, 30), co_units=[])
    assert reminders.send_reminders(D(2024, 9, 29)) == 1
    assert Notification.objects.get(kind=NotificationKind.REMINDER).task.title == "明天到期"
    with pytest.raises(ValueError, match="正整数"):
        reminders.send_reminders(D(2024, 9, 29), days_before=0)


def test_reminder_mail(cast, django_capture_on_commit_callbacks):
    cast.reporter_a.email = "jiaqu@example.gov.cn"
    cast.reporter_a.save()
    assign(cast)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_reminders(D(2024, 9, 27), days_before=3)
    assert len(mail.outbox) == 1  # 乙县's user has no address: notified on the home page only
    message = mail.outbox[0]
    assert message.to == ["jiaqu@example.gov.cn"]
    assert "到期提醒" in message.subject and "加快推进重点项目建设" in message.subject
    assert "2024-10-08" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_reminders(D(2024, 9, 27), days_before=3)
    assert len(mail.outbox) == 1


def test_reminders_take_a_fixed_number_of_queries(cast):
    def queries(n):
        Task.objects.all().delete()
        for i in range(n):
            assign(cast, title=f"事项{i}")
        with CaptureQueriesContext(connection) as captured:
            reminders.send_reminders(D(2024, 9, 27), days_before=3)
        return len(captured)

    assert queries(1) == queries(12)


def test_escalation_notifies_office_and_lead_once(cast, django_capture_on_commit_callbacks):
    cast.office.email = "office@example.gov.cn"
    cast.office.save()
    task = assign(cast)
    assert reminders.escalate_overdue(DEADLINE) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.escalate_overdue(D(2024, 10, 9)) == 1
    task.refresh_from_db()
    assert task.status == Status.OVERDUE
    assert task.events.filter(kind=EventKind.OVERDUE).count() == 1
    # The office and the lead unit; not the co-unit, nor the leader's read-only role.
    assert notes() == [("jiaqu", "escalation"), ("office", "escalation")]
    assert "甲区" in Notification.objects.get(user=cast.office).message
    assert [m.to for m in mail.outbox] == [["office@example.gov.cn"]]
    assert "逾期升级" in mail.outbox[0].subject

    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.escalate_overdue(D(2024, 10, 10)) == 0
    assert Notification.objects.count() == 2 and len(mail.outbox) == 1


def test_only_the_home_city_office_is_told(cast, django_capture_on_commit_callbacks):
    """A user given the city-office role at 乙县 holds none of its powers: nothing about
    甲区's task reaches them, neither escalation nor close-out request."""
    placed = User.objects.create(username="yixian_office", unit=cast.county_b,
                                 role=Role.CITY_OFFICE, email="yx@example.gov.cn")
    task = assign(cast, co_units=[])
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.escalate_overdue(D(2024, 10, 9)) == 1
        services.request_close(Scope.for_user(cast.reporter_a), task, cast.reporter_a)
    assert notes(user=cast.office) == [("office", "close_requested"), ("office", "escalation")]
    assert not Notification.objects.filter(user=placed).exists()
    assert all(message.to != ["yx@example.gov.cn"] for message in mail.outbox)


def test_sent_back_after_the_deadline_is_escalated(cast):
    task = assign(cast, co_units=[], deadline=D(2099, 12, 31))
    services.request_close(Scope.for_user(cast.reporter_a), task, cast.reporter_a)
    Task.objects.filter(pk=task.pk).update(deadline=DEADLINE)
    task.refresh_from_db()
    services.reject_close(Scope.for_user(cast.office), task, cast.office, "未达到目标")
    assert reminders.escalate_overdue(D(2024, 10, 9)) == 1
    task.refresh_from_db()
    assert task.status == Status.OVERDUE
    assert task.events.filter(kind=EventKind.OVERDUE).count() == 1
    assert notes(kind="escalation") == [("jiaqu", "escalation"), ("office", "escalation")]


def test_next_month():
    assert reminders.next_month(D(2024, 1, 15)) == D(2024, 2, 15)
    assert reminders.next_month(D(2024, 1, 31)) == D(2024, 2, 29)
    assert reminders.next_month(D(2024, 2, 29)) == D(2024, 3, 31)
    assert reminders.next_month(D(2024, 12, 31)) == D(2025, 1, 31)
    assert reminders.next_month(D(2024, 3, 30)) == D(2024, 4, 30)


def test_roll_recurring(cast):
    first = assign(cast, title="每月报送项目进展", deadline=D(2024, 1, 31),
                   recurring=Recurrence.MONTHLY, target="按月报送")
    assign(cast, title="一次性事项", deadline=D(2024, 1, 31))
    assert reminders.roll_recurring(D(2024, 1, 31)) == 0
    assert reminders.roll_recurring(D(2024, 2, 1)) == 1
    second = Task.objects.get(recurs_from=first)
    assert second.deadline == D(2024, 2, 29) and second.status == Status.NOT_STARTED
    assert second.title == first.title and second.target == "按月报送"
    assert second.lead_unit == cast.county_a and list(second.co_units.all()) == [cast.county_b]
    assert second.recurring == Recurrence.MONTHLY
    assert second.events.get().kind == EventKind.CREATED

    assert reminders.roll_recurring(D(2024, 2, 1)) == 0
    assert reminders.roll_recurring(D(2024, 2, 20)) == 0
    assert reminders.roll_recurring(D(2024, 3, 1)) == 1
    assert Task.objects.get(recurs_from=second).deadline == D(2024, 3, 31)
    assert Task.objects.count() == 4


def test_a_user_sees_and_marks_only_their_notifications(cast):
    assign(cast)
    reminders.send_reminders(D(2024, 9, 27), days_before=3)
    mine = reminders.notifications_for(cast.reporter_a)
    assert [n.user for n in mine] == [cast.reporter_a]
    assert not reminders.notifications_for(cast.office).exists()
    theirs = reminders.notifications_for(cast.reporter_b).get()
    assert reminders.mark_read(cast.reporter_a, [theirs.pk]) == 0
    assert reminders.notifications_for(cast.reporter_b).count() == 1
    assert reminders.mark_read(cast.reporter_a) == 1
    assert not reminders.notifications_for(cast.reporter_a).exists()
    assert reminders.notifications_for(cast.reporter_a, unread_only=False).count() == 1
    assert reminders.mark_read(cast.reporter_b, [theirs.pk]) == 1


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def test_command_line(cast):
    assign(cast)
    assign(cast, title="每月调度", deadline=D(2024, 9, 20), recurring=Recurrence.MONTHLY,
           co_units=[])
    code, out, _err = run("tasks", "remind", "--date", "2024-09-27")
    # 每月调度 fell overdue on 21 Sep: escalated, and its October occurrence created.
    assert code == 0
    assert "提醒 2 条，逾期升级 1 项，新建周期事项 1 项" in out
    code, out, _err = run("tasks", "remind", "--date", "2024-09-27")
    assert code == 0 and "提醒 0 条，逾期升级 0 项，新建周期事项 0 项" in out

    code, _out, err = run("tasks", "remind", "--date", "27/09/2024")
    assert code == 2 and "YYYY-MM-DD" in err


def test_reminders_run_into_a_year_not_entered_then_entered(cast):
    """Three working days after Monday 28 Dec 2026 reach 2027. Not entered: weekends
    only, 1 Jan 2027 is a working day, said so. Entered (元旦 1–3 Jan off): a task due on
    the holiday is reminded with the working day before it. Escalation and the monthly
    roll run either way."""
    Holiday.objects.filter(date__year=2027).delete()
    HolidayYear.objects.filter(year=2027).delete()
    assign(cast, title="年末到期", deadline=D(2026, 12, 31), co_units=[])
    new_year = assign(cast, title="元旦到期", deadline=D(2027, 1, 1), co_units=[])
    late = assign(cast, title="年底到期", deadline=D(2026, 12, 1), co_units=[])
    monthly = assign(cast, title="每月调度", deadline=D(2026, 11, 30),
                     recurring=Recurrence.MONTHLY, co_units=[])
    code, out, _err = run("tasks", "remind", "--date", "2026-12-28")
    assert code == 0
    # The task due 31 Dec and the new monthly occurrence (due 31 Dec too).
    assert "提醒 2 条，逾期升级 2 项，新建周期事项 1 项" in out
    assert not Notification.objects.filter(task=new_year).exists()
    assert "2027年节假日安排尚未录入，到期提醒暂按双休日计算" in out
    late.refresh_from_db()
    assert late.status == Status.OVERDUE
    assert Task.objects.filter(recurs_from=monthly).count() == 1
    assert notes(kind="escalation") == [("jiaqu", "escalation")] * 2 + [
        ("office", "escalation")] * 2

    holidays.replace_year(Scope.for_user(cast.office), 2027, notice2027.VALUES[:3],
                          user=cast.office)
    code, out, _err = run("tasks", "remind", "--date", "2026-12-28")
    assert "提醒 1 条" in out and "尚未录入" not in out
    assert Notification.objects.filter(task=new_year, kind="reminder").count() == 1


def test_the_daily_run_is_all_or_none(cast, monkeypatch):
    monthly = assign(cast, title="每月调度", deadline=D(2024, 9, 20),
                     recurring=Recurrence.MONTHLY, co_units=[])

    def broken(today):
        raise RuntimeError("escalation failed")

    monkeypatch.setattr(reminders, "escalate_overdue", broken)
    with pytest.raises(RuntimeError):
        reminders.run_daily(D(2024, 9, 27))
    assert not Task.objects.filter(recurs_from=monthly).exists()
    assert not Notification.objects.exists()


def test_home_page_card(client, cast):
    assign(cast)
    reminders.send_reminders(D(2024, 9, 27), days_before=3)
    client.force_login(cast.reporter_a)
    page = client.get(reverse("home")).content.decode()
    assert "未读通知（1）" in page and "全部标为已读" in page and "3个工作日" in page
    assert client.get(reverse("tasks:read_notifications")).status_code == 405
    response = client.post(reverse("tasks:read_notifications"))
    assert response.status_code == 302
    assert "未读通知" not in client.get(reverse("home")).content.decode()
    # 乙县's notice is untouched by 甲区 marking its own read.
    assert reminders.notifications_for(cast.reporter_b).count() == 1

    client.force_login(cast.office)
    assert "未读通知" not in client.get(reverse("home")).content.decode()
