from django import forms
from django.contrib import admin
from django.db import transaction

from jiangping.indicators import services, targets
from jiangping.indicators.models import Indicator, Target, Value
from jiangping.orgs.admin import ScopedAdmin, admin_scope
from jiangping.orgs.scope import Scope

TARGET_KEY = ["indicator", "unit", "year"]
# What every stored value of an indicator means: changing them (亿元 → 万元) would
# silently reinterpret the data.
MEANING = ["unit", "kind"]


class CityOfficeWrites(admin.ModelAdmin):
    """Rows that only the city office (市级管理员) and the admin add, change and delete;
    other staff read them."""

    def _city_office(self, request) -> bool:
        scope = admin_scope(request)
        return scope is not None and scope.is_city_office and scope.can_write

    def has_add_permission(self, request):
        return self._city_office(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._city_office(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._city_office(request) and super().has_delete_permission(request, obj)


@admin.register(Indicator)
class IndicatorAdmin(CityOfficeWrites):
    """The indicator catalog (指标目录): the unit and kind of an indicator are fixed once
    it has values."""

    list_display = ["name", "code", "unit", "kind", "direction", "decimals", "has_target",
                    "growth_of", "sort_order"]
    list_filter = ["kind", "direction", "has_target"]
    search_fields = ["name", "code", "synonyms"]
    list_editable = ["sort_order"]
    list_select_related = ["growth_of"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.values.exists():
            fields += MEANING
        return fields


@admin.register(Value)
class ValueAdmin(ScopedAdmin):
    """Values change only through the entry page and the importers (locks, scope, audit)."""

    list_display = ["period", "unit", "indicator", "value", "source", "updated", "updated_by"]
    list_filter = ["source", "indicator"]
    search_fields = ["unit__name", "indicator__name", "period"]
    list_select_related = ["unit", "indicator", "updated_by"]
    date_hierarchy = "updated"

    def scoped_queryset(self, scope: Scope, qs):
        return qs & services.values_for(scope)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TargetForm(forms.ModelForm):
    def clean_value(self):
        return targets.clean_target(self.cleaned_data["value"])


@admin.register(Target)
class TargetAdmin(CityOfficeWrites, ScopedAdmin):
    """Annual targets (年度目标), written through :func:`targets.set_target`: the city
    office sets and deletes them; a target's key (indicator, unit, year) never changes."""

    list_display = ["year", "unit", "indicator", "value", "updated"]
    list_filter = ["year", "indicator"]
    search_fields = ["unit__name", "indicator__name"]
    autocomplete_fields = ["unit", "indicator"]
    list_select_related = ["unit", "indicator"]
    form = TargetForm

    def scoped_queryset(self, scope: Scope, qs):
        return qs & targets.targets_for(scope)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, *TARGET_KEY] if obj is not None else fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "year":
            kwargs.update(min_value=1900, max_value=2999)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        saved = targets.set_target(
            Scope.for_user(request.user), indicator=obj.indicator, unit=obj.unit,
            year=obj.year, value=obj.value, user=request.user,
        )
        obj.pk, obj.updated = saved.pk, saved.updated

    def delete_model(self, request, obj):
        targets.set_target(Scope.for_user(request.user), indicator=obj.indicator,
                            unit=obj.unit, year=obj.year, value=None, user=request.user)

    def delete_queryset(self, request, queryset):
        scope = Scope.for_user(request.user)
        with transaction.atomic():
            for target in queryset.select_related("indicator", "unit"):
                targets.set_target(scope, indicator=target.indicator, unit=target.unit,
                                    year=target.year, value=None, user=request.user)
