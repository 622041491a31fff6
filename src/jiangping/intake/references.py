"""Reference resolvers (引用解析): how a name in a sheet becomes the id of an object.

A reference column (单位, 指标, a project, a household…) declares a :class:`Reference`
with its form; the engine asks it, and nothing else, about the objects the column
names: their index of names, codes and synonyms, the unit of measure a value of
theirs is stored in, how to name one in a message, the names a template's drop-down
offers and whether the importing scope may write it. The app that owns the model
declares the resolver, so that a new kind of reference needs no change to the engine.

Org units are the ground floor every app stands on (the org tree and scoping, in
``jiangping.orgs``), so their resolver, :class:`OrgUnits`, is built in here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from jiangping.intake.resolve import NameIndex, unit_index


class Index(Protocol):
    def find(self, name: str) -> Any:
        """The id ``name`` stands for, :data:`~jiangping.intake.resolve.AMBIGUOUS` or
        ``None``."""


class Reference:
    """How one kind of object is found by name (the base of every resolver).

    ``load(context)`` builds, once per import, ``(index, infos)``: a name index and, per
    id, an info object with at least ``name``. ``marks_rows``: the column where a 合计 row
    writes 合计 (the row's label column).
    """

    marks_rows = False

    def load(self, context) -> tuple[Index, dict]:
        raise NotImplementedError

    def ambiguous(self, name: str) -> str:
        return _("名称“%(name)s”对应多个对象，请写全称或代码。") % {"name": name}

    def unknown(self, name: str) -> str:
        return _("未知的名称“%(name)s”。") % {"name": name}

    def stored_unit(self, info) -> str | None:
        """The unit of measure a value of this object is stored in (an indicator's)."""
        return None

    def describe(self, info) -> str:
        return info.name

    def guard(self, context, info) -> None:
        """Raise PermissionDenied when the importing scope may not write for ``info``."""

    def choices(self, form, scope) -> list[str]:
        """The names a template's drop-down offers for this column."""
        return []


class OrgUnits(Reference):
    """Org units (单位), matched by name, short name, synonym or code.

    ``filter(queryset)`` narrows the units a name may stand for (the ``peers`` form: the
    province and its cities); ``guard(context, unit)`` raises PermissionDenied for a unit
    the importing scope may not write (default: ``scope.require_write``). A name that two
    units share is taken as the one within the importing scope, when only one of them
    is (two townships named 城关镇 in different counties: a county's importer means its
    own). ``levels``: the units a template offers when there is no filter.
    """

    marks_rows = True

    def __init__(self, *, filter: Callable[[Any], Any] | None = None,
                 guard: Callable[[Any, Any], None] | None = None,
                 levels: Iterable[str] | None = None):
        self.filter, self._guard = filter, guard
        self.levels = tuple(levels) if levels is not None else None

    def queryset(self):
        from jiangping.orgs.models import OrgUnit

        qs = OrgUnit.objects.all()
        return self.filter(qs) if self.filter is not None else qs

    def load(self, context) -> tuple[NameIndex, dict]:
        qs = self.queryset().only(
            "name", "short_name", "code", "synonyms", "path", "depth", "level", "is_home",
            "parent_id",
        )
        scope = context.scope
        within = None
        if getattr(scope, "root_path", None) is not None:
            within = scope.contains
        return unit_index(qs, within)

    def ambiguous(self, name: str) -> str:
        return _("单位名称“%(name)s”对应多个单位，请写全称或代码。") % {"name": name}

    def unknown(self, name: str) -> str:
        return _("未知的单位“%(name)s”。") % {"name": name}

    def guard(self, context, info) -> None:
        if self._guard is not None:
            self._guard(context, info)
        else:
            context.scope.require_write(info)

    def choices(self, form, scope) -> list[str]:
        from jiangping.orgs.models import Level, home_city

        if self.filter is not None:
            qs = self.queryset()
        else:
            levels = self.levels or (Level.COUNTY, Level.DEPARTMENT)
            qs = (scope.units() if scope is not None else self.queryset()).filter(
                level__in=levels)
            home = home_city()
            if home is not None:
                qs = qs.filter(path__subtree=home.path)
        return [unit.name for unit in qs.order_by("path")]


def refusal_of(exc: PermissionDenied, info) -> str:
    return str(exc) or _("无权导入“%(name)s”的数据。") % {"name": info.name}
