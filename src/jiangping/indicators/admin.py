from django.contrib import admin

from jiangping.indicators import services
from jiangping.indicators.models import Indicator, Target, Value
from jiangping.orgs.scope import Scope


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit", "kind", "direction", "decimals", "has_target",
                    "growth_of", "sort_order"]
    list_filter = ["kind", "direction", "has_target"]
    search_fields = ["name", "code", "synonyms"]
    list_editable = ["sort_order"]
    list_select_related = ["growth_of"]


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    """Values change only through the entry page and the importers (locks, scope, audit)."""

    list_display = ["period", "unit", "indicator", "value", "source", "updated", "updated_by"]
    list_filter = ["source", "indicator"]
    search_fields = ["unit__name", "indicator__name", "period"]
    list_select_related = ["unit", "indicator", "updated_by"]
    date_hierarchy = "updated"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["year", "unit", "indicator", "value", "updated"]
    list_filter = ["year", "indicator"]
    search_fields = ["unit__name", "indicator__name"]
    autocomplete_fields = ["unit", "indicator"]
    list_select_related = ["unit", "indicator"]

    def save_model(self, request, obj, form, change):
        services.set_target(
            Scope.for_user(request.user), indicator=obj.indicator, unit=obj.unit,
            year=obj.year, value=obj.value, user=request.user,
        )
