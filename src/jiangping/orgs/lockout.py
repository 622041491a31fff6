"""Login throttling (登录限制): what a locked-out caller reads.

django-axes counts failed logins in the database (``axes.AccessAttempt``) per user name
and per address; once either reaches ``AXES_FAILURE_LIMIT`` every login, password or
token, is refused until the cool-off passes or the admin deletes the attempts
(管理后台 → 登录失败记录, or ``jiangping axes_reset``). This module gives the refusal in
Chinese: the login page again with the reason, JSON under ``/api/``, a page elsewhere
(the admin's login).
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

from jiangping.core.middleware import refusal

LOCKED_STATUS = 429


def lockout_parameters(request_or_attempt, credentials=None) -> list[str]:
    """What failures are counted by: the user name and the address each on its own; a
    failure naming no user (a wrong API token) by the address only."""
    if credentials is not None:
        username = credentials.get("username")
    else:
        username = getattr(request_or_attempt, "username", None)
    return ["username", "ip_address"] if username else ["ip_address"]


def lockout_minutes() -> int:
    return max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def lockout_message() -> str:
    return _("登录失败次数过多，该账号或您所在的地址已被暂时锁定。请 %(minutes)d 分钟后再试，"
             "或请系统管理员在管理后台解除锁定。") % {"minutes": lockout_minutes()}


def lockout_response(request, original_response=None, credentials=None):
    message = lockout_message()
    if request.path.startswith("/api/") or request.path.startswith("/admin/"):
        return refusal(request, LOCKED_STATUS, message)
    return render(request, "core/login.html", {"locked": message, "next": ""},
                  status=LOCKED_STATUS)
