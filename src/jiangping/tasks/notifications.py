"""Notifications (通知) about tasks: who is told, once or every time, and the mail.

Shared by :mod:`jiangping.tasks.reminders` (reminders, escalation) and
:mod:`jiangping.tasks.services` (close-out: 申请销号/同意销号/退回销号申请); it imports
neither, so that both can import it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils.translation import gettext as _

from jiangping.orgs.models import Level, Role, User
from jiangping.tasks.models import Notification, Task

logger = logging.getLogger(__name__)


def users_by_unit(unit_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active users of each unit, in one query."""
    users: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(unit_id__in=set(unit_ids), is_active=True).order_by("pk"):
        users[user.unit_id].append(user)
    return users


def city_office_users() -> list[User]:
    """The active users of the city office (市级管理员): the city-office role at the home
    city only, as :func:`jiangping.orgs.scope.is_home_city` grants its powers; a user
    given that role lower in the tree is not told about other units' tasks."""
    return list(User.objects.filter(
        role=Role.CITY_OFFICE, is_active=True, unit__level=Level.CITY, unit__is_home=True,
    ).order_by("pk"))


def notify(kind: str, recipients: list[tuple[User, Task, str]],
           once: bool = True) -> list[Notification]:
    """Create the notifications of ``kind`` for ``(user, task, message)``; returns the new
    ones. With ``once`` (reminders, escalation) only those not sent yet for
    ``(user, task, task.deadline)``, in two queries; otherwise every one, in one."""
    seen: set = set()
    if once:
        task_ids = {task.pk for _user, task, _message in recipients}
        seen = set(Notification.objects.filter(kind=kind, task__in=task_ids)
                   .values_list("user_id", "task_id", "deadline"))
    new = []
    for user, task, message in recipients:
        key = (user.pk, task.pk, task.deadline)
        if key not in seen:
            seen.add(key)
            new.append(Notification(user=user, task=task, kind=kind, message=message,
                                    deadline=task.deadline))
    Notification.objects.bulk_create(new, ignore_conflicts=once)
    return new


def mail(notifications: list[Notification]) -> None:
    """E-mail each notification to its user, if they have an address, through the
    configured backend (none sent without ``JIANGPING_EMAIL_HOST``). A mail server that
    fails is logged: the notices on the home page stand."""
    messages = [
        (_("【讲评】%(kind)s：%(task)s") % {"kind": n.get_kind_display(), "task": n.task.title},
         n.message, None, [n.user.email])
        for n in notifications if n.user.email
    ]
    if not messages:
        return
    try:
        send_mass_mail(messages, fail_silently=False)
    except OSError:
        logger.warning("sending %d notification mails failed", len(messages), exc_info=True)


def notify_on_commit(kind: str, recipients: list[tuple[User, Task, str]],
                     once: bool = False) -> list[Notification]:
    """Notify the recipients now, in the caller's transaction (every one, or with
    ``once`` as :func:`notify` says), and mail them once it commits (an action that
    rolls back sends nothing); returns the new notifications."""
    new = notify(kind, recipients, once=once)
    if new:
        transaction.on_commit(lambda: mail(new))
    return new
