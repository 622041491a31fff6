from django.contrib import admin

from jiangping.orgs.admin import ScopedAdmin, admin_scope
from jiangping.orgs.models import OrgUnit
from jiangping.tasks.models import Task, TaskEvent, TaskProgress
from jiangping.tasks.services import tasks_for


class TaskProgressInline(admin.TabularInline):
    model = TaskProgress
    fields = ["at", "unit", "reported_by", "text", "percent", "evidence"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class TaskEventInline(admin.TabularInline):
    model = TaskEvent
    fields = ["at", "kind", "status", "by", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(ScopedAdmin):
    """Tasks are assigned and closed out through the task actions; here everyone in scope
    reads them with their history, and the city office corrects the wording and dates.
    A task is never deleted: that would erase its audit trail."""

    scope_field = "lead_unit"
    list_display = ["title", "lead_unit", "status", "deadline", "source_kind", "source_date"]
    list_filter = ["status", "source_kind", "recurring"]
    search_fields = ["title", "source_title", "lead_unit__name"]
    list_select_related = ["lead_unit"]
    readonly_fields = ["lead_unit", "status", "completed_on", "closed_at", "created_by",
                       "created_at", "updated_at"]
    filter_horizontal = ["co_units"]
    inlines = [TaskProgressInline, TaskEventInline]

    def scoped_queryset(self, scope, qs):
        return qs.filter(pk__in=tasks_for(scope).values("pk"))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is OrgUnit:
            scope = admin_scope(request)
            kwargs["queryset"] = OrgUnit.objects.none() if scope is None else scope.units()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        scope = admin_scope(request)
        return (scope is not None and scope.is_city_office
                and super().has_change_permission(request, obj))

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TaskProgress)
class TaskProgressAdmin(ScopedAdmin):
    """Progress reports are written through 报送进展 and kept as reported."""

    list_display = ["task", "unit", "percent", "at", "reported_by"]
    search_fields = ["task__title", "unit__name", "text"]
    list_select_related = ["task", "unit", "reported_by"]
    readonly_fields = ["task", "unit", "reported_by", "text", "percent", "evidence", "at"]

    def scoped_queryset(self, scope, qs):
        return qs.filter(task__in=tasks_for(scope).values("pk"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
