from django.contrib import admin

from jiangping.core.models import DataMonth, ReviewMonth


@admin.register(ReviewMonth)
class ReviewMonthAdmin(admin.ModelAdmin):
    """讲评月份: the months the city office opened; the latest one is the month under review."""

    list_display = ["period", "opened_by", "opened_at"]
    readonly_fields = ["opened_at"]


@admin.register(DataMonth)
class DataMonthAdmin(admin.ModelAdmin):
    """有数据的月份: an index kept by the writes of the data; read only."""

    list_display = ["period", "units"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
