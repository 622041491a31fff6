"""API: org units, the caller, and the authentication shared by every router.

Two ways in: a bearer token (``Authorization: Bearer …``, see ``jiangping token``) or the
web session. A request carrying a token is judged by the token alone, so a wrong token is
refused even when a session cookie rides along; the session is CSRF-checked on unsafe
methods because a browser sends it on its own.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from jiangping.core.apilists import (
    cached_answer,
    limit_param,
    offset_param,
    page_answer,
    paged,
)
from jiangping.orgs.lockout import LOCKED_STATUS, lockout_message
from jiangping.orgs.models import ApiToken, Level, OrgUnit
from jiangping.orgs.scope import Scope
from jiangping.orgs.services import record_token_use, token_digest

router = Router(tags=["orgs"])
# A token names no user: its failures count against the caller's address only.
TOKEN_CREDENTIALS = {"username": ""}


def _address_is_locked(request) -> bool:
    """Whether the caller's address is locked out (django-axes' own decision), asked of
    axes only when the address has a failed attempt on record at all: a failure-free
    address, every script's normal case, costs one indexed lookup instead of axes'
    aggregate over its attempts (half of a cached API answer's time)."""
    AxesProxyHandler.update_request(request)
    address = request.axes_ip_address
    # Through the model's field, which writes an IPv6 address in its canonical form and
    # looks it up in the same form (2001:DB8::1 is stored as 2001:db8::1).
    if (settings.AXES_FAILURE_LIMIT > 0 and address
            and not AccessAttempt.objects.filter(ip_address=address).exists()):
        return False
    return AxesProxyHandler.is_locked(request, TOKEN_CREDENTIALS)


class TokenAuth(HttpBearer):
    """A bearer token; wrong tokens count as failed logins of the caller's address
    (:mod:`jiangping.orgs.lockout`), so that guessing tokens is throttled like
    guessing passwords."""

    def authenticate(self, request, token: str):
        if settings.AXES_ENABLED and _address_is_locked(request):
            raise HttpError(LOCKED_STATUS, lockout_message())
        found = (
            ApiToken.objects.select_related("user", "user__unit")
            .filter(digest=token_digest(token))
            .first()
        )
        if found is None or not found.user.is_active:
            user_login_failed.send(sender=TokenAuth, credentials=TOKEN_CREDENTIALS,
                                   request=request)
            raise AuthenticationError(message=_("令牌无效或已停用。"))
        record_token_use(found)
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The logged-in web session; CSRF is enforced only once the session authenticates."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if (
            self.csrf
            and not getattr(request, "_ninja_csrf_exempt", False)
            and check_csrf(request) is not None
        ):
            raise HttpError(403, _("CSRF 校验失败：请刷新页面后重试，或改用令牌访问。"))
        return user


def auth_methods():
    return [TokenAuth(), SessionAuth()]


def scope_of(request) -> Scope:
    """The scope of whoever made the request (token owner or session user)."""
    return Scope.for_user(request.auth)


def in_view(scope: Scope, unit: OrgUnit) -> bool:
    """Whether the caller may name ``unit``: their own subtree, and the province's other
    cities, whose figures every user compares against (兄弟市)."""
    return scope.contains(unit) or (unit.level == Level.CITY and not unit.is_home)


def unknown_units_message(codes) -> str:
    return _("组织机构代码不存在或不在您的数据范围内：%(codes)s。") % {"codes": "、".join(codes)}


def units_in_view(request, codes) -> dict[str, OrgUnit]:
    """The org units named by ``codes`` that the caller may name, by code. A code that
    does not exist and one outside the caller's view get the same refusal
    (ValidationError naming the code only), so that the API never tells whether a unit
    exists elsewhere, nor its name."""
    codes = list(dict.fromkeys(codes))
    scope = scope_of(request)
    found = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=codes)
             if in_view(scope, unit)}
    missing = [code for code in codes if code not in found]
    if missing:
        from jiangping.intake.normalize import quote

        raise ValidationError(unknown_units_message([quote(code) for code in missing]))
    return found


# --- schemas ----------------------------------------------------------------


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    group: str
    parent: str | None

    @staticmethod
    def resolve_parent(unit: OrgUnit) -> str | None:
        return unit.parent.code if unit.parent_id else None


class MeOut(Schema):
    username: str
    display_name: str
    role: str
    role_label: str
    unit: UnitOut | None
    can_write: bool
    is_city_office: bool


# --- endpoints --------------------------------------------------------------


UNIT_COLUMNS = ("code", "name", "short_name", "level", "group", "parent__code")


def unit_item(row: tuple) -> dict:
    """One org unit as ``UnitOut`` gives it, from a row of :data:`UNIT_COLUMNS`."""
    return dict(zip(UnitOut.model_fields, row, strict=True))


@router.get("/units", response=paged(UnitOut), summary="本人数据范围内的组织机构")
def list_units(request, level: Level | None = None, parent: str | None = None,
               limit: int = limit_param(), offset: int = offset_param()):
    """Org units in the caller's scope, in tree order; filter by level or parent code;
    paginated (up to 1000 a page). The same page for the same scope and query is kept
    until the units change (a unit's save changes the figures version)."""
    scope = scope_of(request)

    def answer():
        units = scope.units()
        if level:
            units = units.filter(level=level)
        if parent:
            units = units.filter(parent__code=parent)
        return page_answer(request, units.order_by("path").values_list(*UNIT_COLUMNS),
                           unit_item, limit=limit, offset=offset, max_limit=1000)

    parts = (*scope.cache_key, str(level or ""), parent or "", limit, offset)
    return cached_answer("api-units", parts, answer)


@router.get("/units/{code}", response=UnitOut, summary="组织机构详情")
def unit_detail(request, code: str):
    """One org unit; units outside the caller's scope are reported as not found."""
    unit = scope_of(request).units().select_related("parent").filter(code=code).first()
    if unit is None:
        raise Http404(_("组织机构“%(code)s”不存在或不在您的数据范围内。") % {"code": code})
    return unit


@router.get("/me", response=MeOut, summary="当前用户")
def me(request):
    user = request.auth
    scope = scope_of(request)
    return {
        "username": user.username,
        "display_name": str(user),
        "role": user.role,
        "role_label": user.get_role_display(),
        "unit": user.unit,
        "can_write": scope.can_write,
        "is_city_office": scope.is_city_office,
    }
