"""Which roles may open which page (页面权限), decided once per view.

A view declares the roles that may open it with :func:`roles_allowed`; every other
logged-in role is refused with the site's Chinese 403 page. The declaration is kept on
the view (``view.allowed_roles``), so the navigation (:mod:`jiangping.core.registry`)
shows a link only to a role the page will let in: no link ever answers 403.

The role gate is the coarse rule (a village cadre has no use for the month's
comparison); the unit scope (:class:`jiangping.orgs.scope.Scope`) still decides, inside
the page, which units' rows a user reads and writes.
"""

from __future__ import annotations

from functools import cache, wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.translation import gettext as _

from jiangping.orgs.models import Role

EVERYONE = frozenset(Role.values)
OFFICE = frozenset({Role.CITY_OFFICE, Role.ADMIN})  # 市级管理员 and 系统管理员
READERS = OFFICE | {Role.REPORTER, Role.LEADER}  # who reads the month's figures
WRITERS = OFFICE | {Role.REPORTER}  # who enters figures (填报)


def role_of(user) -> str | None:
    """The role a user acts in: a superuser is the system admin; ``None`` when logged out."""
    if user is None or not user.is_authenticated:
        return None
    return Role.ADMIN if user.is_superuser else user.role


def roles_allowed(*roles: str | frozenset):
    """The view opens to logged-in users of ``roles`` (roles or sets of roles) and
    answers 403 to every other role; anonymous users go to the login page."""
    allowed = frozenset(
        role for item in roles for role in (item if isinstance(item, frozenset) else {item})
    )

    def decorate(view):
        @wraps(view)
        def gated(request, *args, **kwargs):
            role = role_of(request.user)
            if role not in allowed:
                raise PermissionDenied(
                    _("您的角色（%(role)s）不能使用此页面。") % {"role": Role(role).label}
                    if role in Role.values else _("您的账号未设置角色，不能使用此页面。"))
            return view(request, *args, **kwargs)

        gated.allowed_roles = allowed
        return login_required(gated)

    return decorate


@cache
def page_roles(url_name: str) -> frozenset[str] | None:
    """The roles the page named ``url_name`` lets in, or ``None`` when its view declares
    none (then only the page itself decides)."""
    try:
        view = resolve(reverse(url_name)).func
    except NoReverseMatch:
        return frozenset()
    return getattr(view, "allowed_roles", None)


def may_open(user, url_name: str) -> bool:
    """Whether ``user``'s role may open the page ``url_name`` (its view's declaration)."""
    roles = page_roles(url_name)
    return roles is None or role_of(user) in roles
