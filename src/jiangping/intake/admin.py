from django.contrib import admin

from jiangping.intake.models import Submission, SubmissionEvent


class SubmissionEventInline(admin.TabularInline):
    model = SubmissionEvent
    fields = ["at", "state", "by", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """States change on the approval queue; here the deadline can be set and history read."""

    list_display = ["period", "unit", "form", "state", "deadline", "submitted_at", "decided_at"]
    list_filter = ["state", "form", "period"]
    search_fields = ["unit__name", "period"]
    list_select_related = ["unit"]
    readonly_fields = ["unit", "period", "form", "state", "submitted_at", "submitted_by",
                       "decided_at", "decided_by", "comment"]
    inlines = [SubmissionEventInline]

    def has_add_permission(self, request):
        return False
