"""Org units (组织机构), users and roles."""

from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.db.models.lookups import StartsWith
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县级单位")
    DEPARTMENT = "department", _("市直部门")
    TOWNSHIP = "township", _("乡镇（街道）")
    VILLAGE = "village", _("村（社区）")


class UnitGroup(models.TextChoices):
    """Assessment groups of county-level units and departments (单位分组)."""

    DISTRICT = "district", _("区")
    COUNTY = "county", _("县")
    COUNTY_CITY = "county_city", _("县级市")
    ZONE = "zone", _("功能区")
    DEPARTMENT = "department", _("市直部门")
    NONE = "", _("—")


class OrgUnit(models.Model):
    """A node of the org-unit tree: province → city → county-level unit → township → village.

    ``path`` is the materialised path of ids (``/1/4/17/``) so that a subtree is one
    indexed prefix query, on SQLite and on PostgreSQL alike.
    """

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    synonyms = models.CharField(
        _("别名"), max_length=300, blank=True, help_text=_("以逗号分隔，如“西城,西城区”")
    )
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    group = models.CharField(_("分组"), max_length=16, choices=UnitGroup.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_home = models.BooleanField(
        _("本市"), default=False, help_text=_("本系统所服务的市；其余同级市为全省比较对象")
    )

    class Meta:
        verbose_name = _("组织机构")
        verbose_name_plural = _("组织机构")
        ordering = ["path"]
        # The units of a level (the home city among the cities, the counties to compare)
        # without reading the villages, which are nine in ten of all units.
        indexes = [models.Index(fields=["level", "is_home"], name="orgunit_level")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            parent_path = "/"
            if self.parent_id:
                parent_path = OrgUnit.objects.values_list("path", flat=True).get(pk=self.parent_id)
                if self.path and parent_path.startswith(self.path):
                    raise ValidationError(
                        {"parent": _("不能把单位移到它自己或其下级单位之下。")}
                    )
            super().save(*args, **kwargs)
            path = f"{parent_path}{self.pk}/"
            if path != self.path:
                old_path, old_depth = self.path, self.depth
                self.path, self.depth = path, path.count("/") - 2
                OrgUnit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
                if old_path:
                    _move_descendants(old_path, path, self.depth - old_depth)

    def clean(self) -> None:
        super().clean()
        errors = code_errors(self.code, self.level, self.parent)
        if self.path and self.parent_id and self.parent.path.startswith(self.path):
            errors["parent"] = _("不能把单位移到它自己或其下级单位之下。")
        if errors:
            raise ValidationError(errors)

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def is_within(self, other: "OrgUnit") -> bool:
        return self.path.startswith(other.path)


class Subtree(StartsWith):
    """``path__subtree="/1/4/"``: the units whose path starts with the given one, i.e. that
    unit and everything below it, read from the index on ``path`` on both databases.

    PostgreSQL answers ``LIKE '/1/4/%'`` from the pattern index Django adds beside a
    ``CharField``'s index. SQLite's ``LIKE`` ignores case, so it cannot use a binary index
    and reads every unit; there the prefix is the range ``['/1/4/', '/1/40')`` (the
    prefix with its last character's successor), which is the same set in the binary
    order SQLite compares text in. A prefix that is an expression (``OuterRef``) stays
    a ``LIKE``.
    """

    lookup_name = "subtree"

    def as_sql(self, compiler, connection):
        return StartsWith(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_sqlite(self, compiler, connection):
        if not isinstance(self.rhs, str) or not self.rhs:
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        upper = self.rhs[:-1] + chr(ord(self.rhs[-1]) + 1)
        return f"({lhs} >= %s AND {lhs} < %s)", (*lhs_params, self.rhs, upper)


OrgUnit._meta.get_field("path").register_lookup(Subtree)


def home_city() -> "OrgUnit | None":
    """The city this installation serves (本市), or ``None`` before one is set up."""
    return OrgUnit.objects.filter(level=Level.CITY, is_home=True).first()


def _move_descendants(old: str, new: str, depth_change: int) -> None:
    OrgUnit.objects.filter(path__subtree=old).exclude(path=new).update(
        path=Concat(Value(new), Substr("path", len(old) + 1)),
        depth=F("depth") + depth_change,
    )


# GB/T 2260 (and its township/village extensions): code length by level, and how
# many leading digits a unit shares with its parent's code.
_CODE_LENGTH = {"province": 6, "city": 6, "county": 6, "township": 9, "village": 12}
_PARENT_PREFIX = {"city": 2, "county": 4, "township": 6, "village": 9}


def code_errors(code: str, level: str, parent: "OrgUnit | None") -> dict[str, str]:
    """Check an administrative unit's code against GB/T 2260; departments are free-form."""
    length = _CODE_LENGTH.get(level)
    if length is None:
        return {}
    if not (code.isascii() and code.isdigit() and len(code) == length):
        return {"code": _("%(level)s的代码应为 %(n)d 位数字（GB/T 2260），现为“%(code)s”。")
                % {"level": Level(level).label, "n": length, "code": code}}
    prefix = _PARENT_PREFIX.get(level)
    if (prefix and parent is not None and parent.level in _CODE_LENGTH
            and code[:prefix] != parent.code[:prefix]):
        message = _("代码“%(code)s”的前 %(n)d 位应与上级“%(parent)s”的代码“%(pcode)s”一致。")
        return {"code": message % {
            "code": code, "n": prefix, "parent": parent.name, "pcode": parent.code,
        }}
    return {}


class Role(models.TextChoices):
    CITY_OFFICE = "city_office", _("市级管理员（督查室/发改委/扶贫办）")
    REPORTER = "reporter", _("填报单位")
    LEADER = "leader", _("领导（只读）")
    CADRE = "cadre", _("驻村干部")
    ADMIN = "admin", _("系统管理员")


class User(AbstractUser):
    """A user belongs to one home unit and has one role; the unit bounds what they see."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.REPORTER)
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role == Role.CITY_OFFICE and self.unit_id and not (
            self.unit.level == Level.CITY and self.unit.is_home
        ):
            raise ValidationError(
                {"unit": _("市级管理员的所属单位必须是本市（市本级）。")}
            )


class ApiToken(models.Model):
    """A bearer token for the REST API; only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"


class LoginLockout(AccessAttempt):
    """Failed logins counted by django-axes (登录失败记录), shown to the admin in Chinese;
    deleting a row lifts the lockout it caused."""

    class Meta:
        proxy = True
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")
