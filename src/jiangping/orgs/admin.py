from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from jiangping.orgs.models import ApiToken, LoginLockout, OrgUnit, User
from jiangping.orgs.scope import Scope


def admin_scope(request) -> Scope | None:
    """The scope of the admin user, or ``None`` for a staff user without a unit (who then
    sees no unit-bound rows)."""
    try:
        return Scope.for_user(request.user)
    except PermissionDenied:
        return None


class ScopedAdmin(admin.ModelAdmin):
    """An admin page that lists only the rows of the user's subtree and offers only the
    org units of that subtree in its unit fields."""

    scope_field = "unit"  # the OrgUnit foreign key (or lookup path) that places a row

    def scoped_queryset(self, scope: Scope, qs):
        return scope.filter(qs, self.scope_field)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        scope = admin_scope(request)
        return qs.none() if scope is None else self.scoped_queryset(scope, qs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is OrgUnit:
            scope = admin_scope(request)
            kwargs["queryset"] = OrgUnit.objects.none() if scope is None else scope.units()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class KeptByTheAdmin(ScopedAdmin):
    """Rows that only the system admin (系统管理员) adds, changes and deletes: the org tree
    and the accounts. Other staff read their own subtree."""

    def _may_write(self, request) -> bool:
        scope = admin_scope(request)
        return scope is not None and scope.root_path is None

    def has_add_permission(self, request):
        return self._may_write(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._may_write(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_write(request) and super().has_delete_permission(request, obj)


@admin.register(OrgUnit)
class OrgUnitAdmin(KeptByTheAdmin):
    scope_field = "pk"
    list_display = ["name", "code", "short_name", "level", "group", "parent", "sort_order",
                    "is_home"]
    list_filter = ["level", "group", "is_home"]
    search_fields = ["name", "code", "short_name", "synonyms"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(User)
class UserAdmin(KeptByTheAdmin, BaseUserAdmin):
    list_display = ["username", "display_name", "unit", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["username", "display_name", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("单位与角色"), {"fields": ["display_name", "unit", "role"]}),
        (_("权限"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("时间"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"],
                "fields": ["username", "display_name", "unit", "role", "password1", "password2"]}),
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    """Tokens are issued by ``jiangping token`` (shown once); here they are listed and revoked."""

    scope_field = "user__unit"

    list_display = ["user", "name", "created", "last_used"]
    search_fields = ["user__username", "name"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "created", "last_used"]
    exclude = ["digest"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LoginLockout)
class LoginLockoutAdmin(admin.ModelAdmin):
    """Login throttling: who failed how often from where; delete to lift a lockout."""

    list_display = ("username", "ip_address", "failures", "last_failure", "path")
    search_fields = ("username", "ip_address")
    readonly_fields = ("username", "ip_address", "user_agent", "path_info", "failures_since_start",
                       "attempt_time", "get_data", "post_data", "http_accept")
    actions = ["delete_selected"]

    @admin.display(description=_("失败次数"), ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description=_("最近一次"), ordering="attempt_time")
    def last_failure(self, obj):
        return obj.attempt_time

    @admin.display(description=_("登录入口"))
    def path(self, obj):
        return obj.path_info

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
