"""Reminders, escalation and recurring tasks (到期提醒、逾期升级、周期事项).

Run daily by ``jiangping tasks remind`` (:func:`run_daily`). A reminder or an escalation
reaches each user once per task and deadline (the ``notification_once`` constraint), so
running twice a day sends nothing new. Mail goes out once the notices commit.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jiangping.core.pagecache import figures_changed
from jiangping.tasks.holidays import current_calendar
from jiangping.tasks.models import (
    OPEN_STATUSES,
    EventKind,
    Notification,
    NotificationKind,
    Recurrence,
    Status,
    Task,
    TaskEvent,
)
from jiangping.tasks.notifications import city_office_users, notify_on_commit, users_by_unit
from jiangping.tasks.services import late_q, mark_overdue
from jiangping.tasks.workdays import Calendar


def reminder_window(today: dt.date, n: int, calendar: Calendar) -> tuple[dt.date, dt.date]:
    """The deadlines reminded on ``today``: from the ``n``-th working day after today
    (included) to the next working day (excluded), so a deadline on a holiday is
    reminded with the working day before it."""
    return calendar.add_workdays(today, n), calendar.add_workdays(today, n + 1)


def send_reminders(today: dt.date | None = None, days_before: int | None = None) -> int:
    """到期提醒: notify the users of the lead unit and of the co-units of every open task
    due exactly ``days_before`` working days after ``today`` (default
    ``JIANGPING_REMIND_DAYS``), i.e. due on the ``days_before``-th working day after today
    or on a holiday before the next one, on the office's holiday calendar (weekends only
    in a year not entered); returns how many notifications were sent."""
    today = today or timezone.localdate()
    n = settings.JIANGPING_REMIND_DAYS if days_before is None else days_before
    if n < 1:
        raise ValueError(_("提前提醒的工作日数应为正整数（%(n)s）。") % {"n": n})
    first, after = reminder_window(today, n, current_calendar())
    tasks = list(Task.objects.filter(status__in=OPEN_STATUSES, deadline__gte=first,
                                     deadline__lt=after).prefetch_related("co_units"))
    users = users_by_unit(
        unit_id for task in tasks
        for unit_id in (task.lead_unit_id, *(unit.pk for unit in task.co_units.all())))
    recipients = []
    for task in tasks:
        facts = {"task": task.title, "deadline": task.deadline.isoformat(), "n": n}
        lead = _("督办事项“%(task)s”将于%(deadline)s到期（还有%(n)d个工作日），"
                 "贵单位为牵头单位，请抓紧办理并报送进展。") % facts
        co = _("督办事项“%(task)s”将于%(deadline)s到期（还有%(n)d个工作日），"
               "贵单位为配合单位，请配合牵头单位抓紧办理。") % facts
        recipients += [(user, task, lead) for user in users[task.lead_unit_id]]
        recipients += [(user, task, co) for unit in task.co_units.all()
                       if unit.pk != task.lead_unit_id for user in users[unit.pk]]
    with transaction.atomic():
        new = notify_on_commit(NotificationKind.REMINDER, recipients, once=True)
    return len(new)


def escalate_overdue(today: dt.date | None = None) -> int:
    """逾期升级: run :func:`mark_overdue`, then notify the city office and the lead unit's
    users of each task that has just fallen overdue; returns how many tasks fell overdue."""
    today = today or timezone.localdate()
    with transaction.atomic():
        due = list(Task.objects.select_for_update().filter(late_q(today))
                   .values_list("pk", flat=True))
        mark_overdue(today)
        tasks = list(Task.objects.filter(pk__in=due, status=Status.OVERDUE)
                     .select_related("lead_unit"))
        office = city_office_users()
        users = users_by_unit(task.lead_unit_id for task in tasks)
        recipients = []
        for task in tasks:
            facts = {"task": task.title, "deadline": task.deadline.isoformat(),
                     "unit": task.lead_unit.name}
            to_office = _("督办事项“%(task)s”已于%(deadline)s到期仍未完成，已转为逾期，"
                          "牵头单位：%(unit)s。") % facts
            to_lead = _("督办事项“%(task)s”已于%(deadline)s到期仍未完成，已转为逾期，"
                        "请贵单位尽快办结并说明原因。") % facts
            recipients += [(user, task, to_lead) for user in users[task.lead_unit_id]]
            recipients += [(user, task, to_office) for user in office]
        notify_on_commit(NotificationKind.ESCALATION, recipients, once=True)
    return len(tasks)


@dataclass(frozen=True)
class DailyRun:
    """What one :func:`run_daily` did. ``unknown_year``: the year, not entered in the
    holiday calendar, that the reminders' working days ran into (counted on weekends
    only), or None."""

    rolled: int
    reminded: int
    escalated: int
    unknown_year: int | None = None


def run_daily(today: dt.date | None = None) -> DailyRun:
    """每日提醒: roll the recurring tasks, send the reminders and escalate the overdue
    tasks, all or none in one transaction."""
    today = today or timezone.localdate()
    with transaction.atomic():
        rolled = roll_recurring(today)
        reminded = send_reminders(today)
        escalated = escalate_overdue(today)
    calendar = current_calendar()
    end = reminder_window(today, settings.JIANGPING_REMIND_DAYS, calendar)[1]
    unknown = [year for year in range(today.year, end.year + 1) if not calendar.known(year)]
    return DailyRun(rolled=rolled, reminded=reminded, escalated=escalated,
                    unknown_year=unknown[0] if unknown else None)


def next_month(day: dt.date) -> dt.date:
    """The same day a month later; the last day of a month stays the last day."""
    year, month = (day.year, day.month + 1) if day.month < 12 else (day.year + 1, 1)
    last = calendar.monthrange(year, month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return dt.date(year, month, last)
    return dt.date(year, month, min(day.day, last))


@transaction.atomic
def roll_recurring(today: dt.date | None = None) -> int:
    """周期事项: a monthly task whose deadline is before ``today`` and that has no next
    occurrence yet gets one (same units, source and target; deadline a month later;
    ``recurs_from`` the task), whatever its status; returns how many were created. One
    month per run: a task behind by several months catches up one a day."""
    today = today or timezone.localdate()
    due = list(
        Task.objects.select_for_update()
        .filter(recurring=Recurrence.MONTHLY, deadline__lt=today)
        .exclude(Exists(Task.objects.filter(recurs_from=OuterRef("pk"))))
        .prefetch_related("co_units").order_by("pk")
    )
    if not due:
        return 0
    created = Task.objects.bulk_create([
        Task(title=task.title, source_kind=task.source_kind, source_title=task.source_title,
             source_date=task.source_date, lead_unit_id=task.lead_unit_id,
             deadline=next_month(task.deadline), target=task.target,
             recurring=Recurrence.MONTHLY, recurs_from=task, created_by_id=task.created_by_id)
        for task in due
    ])
    Task.co_units.through.objects.bulk_create(
        Task.co_units.through(task_id=new.pk, orgunit_id=unit.pk)
        for task, new in zip(due, created, strict=True) for unit in task.co_units.all()
    )
    TaskEvent.objects.bulk_create(
        TaskEvent(task_id=new.pk, kind=EventKind.CREATED, status=new.status,
                  comment=_("周期事项，接续%(deadline)s到期的上期事项。")
                  % {"deadline": task.deadline.isoformat()})
        for task, new in zip(due, created, strict=True)
    )
    figures_changed()  # the board lists the new period's tasks
    return len(created)


def notifications_for(user, unread_only: bool = True) -> QuerySet[Notification]:
    """The user's own notifications, newest first (unread ones only by default)."""
    notes = Notification.objects.filter(user=user).select_related("task")
    return notes.filter(read_at__isnull=True) if unread_only else notes


def mark_read(user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications ``ids`` (all of them when ``None``) read;
    another user's ids are ignored. Returns how many were marked."""
    notes = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        notes = notes.filter(pk__in=list(ids))
    return notes.update(read_at=timezone.now())
