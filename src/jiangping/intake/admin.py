from django.contrib import admin

from jiangping.intake.models import Submission, SubmissionEvent
from jiangping.orgs.admin import ScopedAdmin, admin_scope


class SubmissionEventInline(admin.TabularInline):
    model = SubmissionEvent
    fields = ["at", "state", "by", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(ScopedAdmin):
    """States change on the approval queue; here the city office sets the deadline and
    everyone in scope reads the history. A submission is never deleted: that would unlock
    approved data and erase its audit trail."""

    list_display = ["period", "unit", "form", "state", "deadline", "submitted_at", "decided_at"]
    list_filter = ["state", "form", "period"]
    search_fields = ["unit__name", "period"]
    list_select_related = ["unit"]
    readonly_fields = ["unit", "period", "form", "state", "submitted_at", "submitted_by",
                       "decided_at", "decided_by", "comment"]
    inlines = [SubmissionEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        scope = admin_scope(request)
        return (scope is not None and scope.is_city_office
                and super().has_change_permission(request, obj))

    def has_delete_permission(self, request, obj=None):
        return False
