"""Actions on users and org units; every write of the orgs app goes through here."""

import hashlib
import re
import secrets
import unicodedata
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiangping.orgs.models import ApiToken, Level, OrgUnit, UnitGroup, home_city
from jiangping.orgs.scope import Scope

TOKEN_PREFIX = "jp_"  # noqa: S105  (a visible prefix, not a secret)
# A token's last use (最近使用) is recorded at most this often: a request reading through the
# API writes nothing the rest of the time, and takes no write lock on SQLite.
TOKEN_USE_RESOLUTION = timedelta(minutes=5)


def token_digest(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored and looked up."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_api_token(user, name: str) -> str:
    """Issue a bearer token (API 令牌) for ``user``; the token is returned once, never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=token_digest(token))
    return token


def record_token_use(token: ApiToken, now: datetime | None = None) -> bool:
    """Record that ``token`` was used at ``now`` (default: the clock), unless its
    ``last_used`` is less than :data:`TOKEN_USE_RESOLUTION` old. Returns whether it wrote.

    ``token.last_used`` as loaded spares the statement on most requests; the write itself
    is one conditional UPDATE (its own transaction), so requests of the same token racing
    each other write it once, whatever they loaded."""
    now = now or timezone.now()
    stale_before = now - TOKEN_USE_RESOLUTION
    if token.last_used is not None and token.last_used > stale_before:
        return False
    written = (
        ApiToken.objects.filter(pk=token.pk)
        .filter(Q(last_used__isnull=True) | Q(last_used__lte=stale_before))
        .update(last_used=now)
    )
    if written:
        token.last_used = now
    return bool(written)
# Synonyms are stored comma-separated (OrgUnit.synonyms); the registry's admin form and
# the import engine also accept 、 and ； between them.
SYNONYM_SPLIT = re.compile(r"[,，、;；]")
SYNONYM_MAX = OrgUnit._meta.get_field("synonyms").max_length


def unit_forms(unit: OrgUnit) -> list[str]:
    """Every name a unit is known by: its name, short name and synonyms (别名)."""
    forms = [unit.name, unit.short_name, *SYNONYM_SPLIT.split(unit.synonyms or "")]
    return [form for form in dict.fromkeys(f.strip() for f in forms) if form]


def _named(surface: str) -> list[OrgUnit]:
    """The units known by ``surface`` (name, short name or one of the synonyms)."""
    near = OrgUnit.objects.filter(
        Q(name=surface) | Q(short_name=surface) | Q(synonyms__contains=surface))
    return [unit for unit in near if surface in unit_forms(unit)]


def _clean_surface(surface: str) -> str:
    surface = unicodedata.normalize("NFKC", surface or "").strip()
    surface = re.sub(r"\s+", "", surface)
    if len(surface) < 2:
        raise ValidationError(_("单位名称“%(name)s”太短，至少两个字。") % {"name": surface})
    if len(surface) > 50 or SYNONYM_SPLIT.search(surface):
        raise ValidationError(
            _("“%(name)s”不是一个单位名称（过长或含有分隔符）。") % {"name": surface})
    return surface


def _office_scope(user) -> Scope:
    scope = Scope.operator() if user is None else Scope.for_user(user)
    scope.require_city_office()
    return scope


@transaction.atomic
def add_synonym(unit: OrgUnit, surface: str, user=None) -> bool:
    """Remember ``surface`` (a unit's name as a speech or minute writes it, e.g.
    县工业园区管委会) as a synonym (别名) of ``unit``, so that the next decomposition
    resolves it (讲话分解, docs/tasks.md). City office and admin only (``user`` None:
    the server's console); ``unit`` must lie in the user's scope.

    Returns True when the synonym was added, False when ``unit`` is already known by
    ``surface`` (idempotent). Raises ValidationError (Chinese) when ``surface`` is not a
    name, is already a name of another unit, or the synonyms would exceed their column;
    PermissionDenied outside the city office."""
    scope = _office_scope(user)
    surface = _clean_surface(surface)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    scope.require_write(unit)
    if surface in unit_forms(unit):
        return False
    others = [other for other in _named(surface) if other.pk != unit.pk]
    if others:
        raise ValidationError(
            _("“%(name)s”已是“%(other)s”的名称或别名，不能再作为“%(unit)s”的别名。") % {
                "name": surface, "other": others[0].name, "unit": unit.name})
    synonyms = ",".join([*SYNONYM_SPLIT.split(unit.synonyms or ""), surface]).strip(",")
    if len(synonyms) > SYNONYM_MAX:
        raise ValidationError(
            _("“%(unit)s”的别名已超过 %(n)d 字，请先在管理后台整理别名。") % {
                "unit": unit.name, "n": SYNONYM_MAX})
    OrgUnit.objects.filter(pk=unit.pk).update(synonyms=synonyms)
    return True


# Which parent a unit created from a speech may have: a department (部门) sits under
# the city or a county-level unit, a township under a county-level unit, a
# county-level unit (a development zone's 管委会, say) under the city.
CREATABLE = {
    Level.DEPARTMENT: (Level.CITY, Level.COUNTY),
    Level.TOWNSHIP: (Level.COUNTY,),
    Level.COUNTY: (Level.CITY,),
}


def _free_code(level: str, parent: OrgUnit) -> str:
    """A code no unit holds yet: departments ``D<parent code><nn>``; townships and
    county-level units the parent's GB/T 2260 prefix and the first free number."""
    if level == Level.DEPARTMENT:
        prefix, numbers = f"D{parent.code}", (f"{n:02d}" for n in range(1, 1000))
    elif level == Level.TOWNSHIP:
        prefix, numbers = parent.code[:6], (f"{n:03d}" for n in range(1, 1000))
    else:
        prefix, numbers = parent.code[:4], (f"{n:02d}" for n in range(1, 100))
    taken = set(OrgUnit.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    for number in numbers:
        if prefix + number not in taken:
            return prefix + number
    raise ValidationError(_("“%(parent)s”下已无可用的单位代码。") % {"parent": parent.name})


@transaction.atomic
def create_unit(name: str, level: str, parent: OrgUnit, user=None) -> OrgUnit:
    """新建单位: a unit named as a speech writes it (县国土资源局), at ``level`` under
    ``parent`` (see CREATABLE), with a free code the admin may correct later. City
    office and admin only; ``parent`` must lie in the home city. Raises ValidationError
    (Chinese) for a name some unit is already known by, or a level/parent that do not
    fit; PermissionDenied outside the city office."""
    scope = _office_scope(user)
    name = _clean_surface(name)
    if level not in CREATABLE:
        raise ValidationError(_("不能新建层级为“%(level)s”的单位。") % {"level": level})
    parent = OrgUnit.objects.select_for_update().get(pk=parent.pk)
    scope.require_write(parent)
    home = home_city()
    if parent.level not in CREATABLE[level] or home is None or not parent.is_within(home):
        raise ValidationError(_("“%(parent)s”下不能新建%(level)s。") % {
            "parent": parent.name, "level": Level(level).label})
    existing = _named(name)
    if existing:
        raise ValidationError(_("单位“%(name)s”已存在（%(unit)s），请对应到该单位。") % {
            "name": name, "unit": existing[0].name})
    siblings = OrgUnit.objects.filter(parent=parent, level=level)
    order = max(siblings.values_list("sort_order", flat=True), default=0) + 1
    group = UnitGroup.DEPARTMENT if level == Level.DEPARTMENT and parent == home else ""
    return OrgUnit.objects.create(
        code=_free_code(level, parent), name=name, level=level, parent=parent,
        group=group, sort_order=order)
