"""What the tasks app adds to the navigation and the home page: 督办事项, the user's
unread notifications, and the tasks each role can act on."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiangping.core.access import role_of
from jiangping.core.registry import HomeCard, NavEntry, register_card, register_nav
from jiangping.orgs.models import Role
from jiangping.tasks import services
from jiangping.tasks.models import Status
from jiangping.tasks.reminders import notifications_for

LISTED = 5


def notifications_card(request, scope, period):
    """未读通知: the latest unread notifications, with 全部标为已读."""
    unread = notifications_for(request.user)
    latest = list(unread[:LISTED])
    if not latest:
        return None
    return {"notifications": latest, "unread_count": unread.count()}


def tasks_card(request, scope, period):
    """督办事项: the counters for those who follow every task (city office, admin,
    leaders) with what needs them (close-outs to decide; overdue tasks); a unit's own
    open tasks for those who carry them out."""
    today = timezone.localdate()
    role = role_of(request.user)
    if scope.is_city_office:
        waiting = services.tasks_for(scope).filter(status=Status.DONE).order_by("deadline")
        return {"task_counts": services.task_counts(scope, today),
                "listed": list(waiting[:LISTED]),
                "listed_title": _("待审核的销号申请"), "listed_none": _("没有待审核的销号申请。")}
    if role == Role.LEADER:
        overdue = services.tasks_for(scope).filter(services.status_q(Status.OVERDUE, today))
        return {"task_counts": services.task_counts(scope, today),
                "listed": [_late(task) for task in overdue.order_by("deadline")[:LISTED]],
                "listed_title": _("逾期事项"), "listed_none": _("没有逾期的督办事项。")}
    return {"listed": list(services.open_tasks(scope, today)[:LISTED]),
            "listed_title": _("本单位待办事项"), "listed_none": _("没有待办的督办事项。")}


def tasks_card_parts(request, scope, period) -> tuple:
    """What the 督办事项 card depends on besides the tasks (a task write changes the
    figures version): the scope, the role and the day (overdue as of today)."""
    return (*scope.cache_key, role_of(request.user),
            timezone.localdate().isoformat())


def _late(task):
    task.late = True
    return task


register_nav(
    NavEntry("tasks.board", _("督办事项"), "tasks:board", order=40, current=("tasks:",)),
)
register_card(
    HomeCard("tasks.notifications", "tasks/_home_notifications.html", notifications_card,
             order=10),
    HomeCard("tasks.summary", "tasks/_summary.html", tasks_card, order=40,
             cached=tasks_card_parts),
)
