"""Scoping: the one place that decides which org units a user may read and write.

Every page, API endpoint, import and service goes through :class:`Scope`. A user
reads and writes only their own subtree; the city office and the admin write the
whole city; leaders read but never write. Published results that every logged-in
user may see are not filtered here, by design of the callers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jiangping.orgs.models import Level, OrgUnit, Role


def is_home_city(unit: OrgUnit) -> bool:
    return unit.level == Level.CITY and unit.is_home


@dataclass(frozen=True)
class Scope:
    root_path: str | None  # None: everything (admin, operator)
    can_write: bool
    is_city_office: bool
    label: str

    # --- construction -------------------------------------------------------
    @classmethod
    def for_user(cls, user) -> Scope:
        if user is None or not user.is_authenticated:
            raise PermissionDenied(_("请先登录。"))
        if user.is_superuser or user.role == Role.ADMIN:
            return cls(None, True, True, str(user))
        if user.unit_id is None:
            raise PermissionDenied(_("用户“%(user)s”未设置所属单位。") % {"user": user})
        role = user.role
        return cls(
            root_path=user.unit.path,
            can_write=role in (Role.CITY_OFFICE, Role.REPORTER, Role.CADRE),
            # The city office's powers (approve, unlock, peer values, targets) belong to
            # the home city's office only, never to a user placed lower in the tree.
            is_city_office=role == Role.CITY_OFFICE and is_home_city(user.unit),
            label=str(user),
        )

    @classmethod
    def operator(cls) -> Scope:
        """The scope of someone at the server's console (CLI without ``--as``)."""
        return cls(None, True, True, "operator")

    # --- questions ----------------------------------------------------------
    @property
    def cache_key(self) -> tuple:
        """What tells this scope's view of the data from another's, for the page cache
        (:mod:`jiangping.core.pagecache`): its subtree and the city office's powers."""
        return (self.root_path, self.is_city_office)

    def contains(self, unit: OrgUnit) -> bool:
        return self.root_path is None or unit.path.startswith(self.root_path)

    def units(self) -> QuerySet[OrgUnit]:
        qs = OrgUnit.objects.all()
        if self.root_path is not None:
            qs = qs.filter(path__subtree=self.root_path)
        return qs

    def filter(self, qs: QuerySet, field: str = "unit") -> QuerySet:
        """Restrict ``qs`` to rows whose ``field`` (an OrgUnit FK) lies in the scope.

        The subtree is a subquery of unit ids, so the large table is searched through
        its foreign-key index rather than by a LIKE over a joined path.
        """
        if self.root_path is None:
            return qs
        return qs.filter(**{f"{field}__in": self.units().values("pk")})

    # --- guards -------------------------------------------------------------
    def require_read(self, unit: OrgUnit) -> None:
        if not self.contains(unit):
            raise PermissionDenied(_("无权查看“%(unit)s”的数据。") % {"unit": unit.name})

    def require_write(self, unit: OrgUnit) -> None:
        if not self.can_write:
            raise PermissionDenied(_("当前角色只能查看，不能修改数据。"))
        if not self.contains(unit):
            raise PermissionDenied(_("无权修改“%(unit)s”的数据。") % {"unit": unit.name})

    def require_city_office(self) -> None:
        if not self.is_city_office:
            raise PermissionDenied(_("此操作仅限市级管理员。"))
