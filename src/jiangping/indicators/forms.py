"""Forms of the indicator pages: the comparison query and the monthly entry form."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jiangping.core.numbers import round_half_up
from jiangping.indicators import services
from jiangping.indicators.approval import SHOW_ALL, SHOW_APPROVED
from jiangping.indicators.comparison import TIERS
from jiangping.intake.converters import number_converter
from jiangping.intake.normalize import CellError, quote


class PeriodField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return services.validate_period(value) if value else value


class CompareQuery(forms.Form):
    """The comparison page's query string: month, tier, the indicators shown, the focus."""

    period = PeriodField(required=False)
    tier = forms.ChoiceField(choices=[(t, t) for t in TIERS], required=False)
    ind = forms.MultipleChoiceField(required=False)
    focus = forms.CharField(required=False)
    show = forms.ChoiceField(choices=[(SHOW_ALL, SHOW_ALL), (SHOW_APPROVED, SHOW_APPROVED)],
                             required=False)

    def __init__(self, *args, codes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ind"].choices = [(c, c) for c in codes]
        self.fields["tier"].error_messages["invalid_choice"] = _("比较范围不正确。")
        self.fields["show"].error_messages["invalid_choice"] = _(
            "显示范围不正确，应为 all（全部数据）或 approved（仅已审核数据）。")
        self.fields["ind"].error_messages["invalid_choice"] = _("未知指标：%(value)s")


class EntryQuery(forms.Form):
    """The entry page's query string: the month and the unit (by its code)."""

    period = PeriodField(required=False)
    unit = forms.CharField(required=False, max_length=32)


class AmountField(forms.Field):
    """A number as people type it in the unit ``unit`` (the indicator's 计量单位), read
    exactly as the importer reads the same text in a spreadsheet cell: ``1,234.5``,
    full-width digits, ``—`` for empty, ``12.3%`` only where the unit is %."""

    def __init__(self, *, unit: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.convert = number_converter(unit)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.convert(value)
        except CellError as error:
            if error.quotes_value:
                raise ValidationError(_("“%(field)s”：%(message)s"), code="invalid", params={
                    "field": self.label, "message": error.message}) from None
            raise ValidationError(_("“%(field)s”填写的“%(value)s”有误：%(message)s"),
                                  code="invalid", params={
                                      "field": self.label, "value": quote(value),
                                      "message": error.message}) from None

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


def _shown(value: Decimal | None) -> str:
    return str(_("空")) if value is None else f"{value.normalize():f}"


def shown_value(value: Decimal | None, places: int) -> str:
    """A stored value as the input shows it: the indicator's decimals unless more are stored."""
    if value is None:
        return ""
    rounded = round_half_up(value, places)
    if rounded == value:
        return f"{rounded:f}"
    return f"{value.normalize():f}"


def _seen(text) -> Decimal | None:
    """A value as the page carried it back (``was_…``); ``UNSET`` when absent or altered."""
    if text is None:
        return services.UNSET
    if text == "":
        return None
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return services.UNSET
    return value if value.is_finite() else services.UNSET


class ValuesForm(forms.Form):
    """One field per indicator: a unit's values for one month (月度数据填报).

    The page carries back, beside each input, the value it showed (``was_<code>``), so
    that a save writes only what this person changed, and a value someone else changed
    since the page was loaded is a conflict (数据冲突) instead of being overwritten."""

    def __init__(self, *args, indicators, current: dict, previous: dict, editable: bool,
                 warnings: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        self.previous = previous
        self.warnings = warnings or {}
        self.seen: dict[int, Decimal | None] = {}
        self.conflicts = 0  # values someone else changed since the page was loaded
        for ind in self.indicators:
            seen = _seen(self.data.get(self.seen_name(ind))) if self.is_bound else services.UNSET
            if seen is services.UNSET:  # an old page or a tampered one: the values of now
                seen = current.get(ind.pk)
            self.seen[ind.pk] = seen
            self.fields[self.field_name(ind)] = AmountField(
                unit=ind.unit, required=False, label=ind.name, disabled=not editable,
                initial=shown_value(seen, ind.decimals),
            )

    @staticmethod
    def field_name(indicator) -> str:
        return f"v_{indicator.code}"

    @staticmethod
    def seen_name(indicator) -> str:
        return f"was_{indicator.code}"

    def rows(self):
        """(indicator, bound field, last month's value, the stored value's plausibility
        warnings, the value seen) in catalog order."""
        for ind in self.indicators:
            seen = self.seen[ind.pk]
            yield (ind, self[self.field_name(ind)], self.previous.get(ind.pk),
                   self.warnings.get(ind.pk, ()), "" if seen is None else f"{seen:f}")

    def save(self, scope, *, unit, period: str, user) -> int | None:
        """Write the values this person changed through the indicator services, all or
        nothing (:func:`~jiangping.indicators.services.save_month`).

        Returns how many values were saved, or ``None`` when the services refused one
        (the reason is attached to its field; a conflict shows the value stored now,
        which the next save is checked against).
        """
        changed = [ind for ind in self.indicators if self.field_name(ind) in self.changed_data]
        changes = {ind: (self.seen[ind.pk], self.cleaned_data[self.field_name(ind)])
                   for ind in changed}
        try:
            return services.save_month(scope, unit=unit, period=period, changes=changes,
                                       user=user)
        except services.Conflict as conflict:
            self.conflicts = len(conflict.current)
            for ind in changed:
                key = (ind.pk, unit.pk, period)
                if key in conflict.current:
                    self.seen[ind.pk] = conflict.current[key]
                    self.add_error(self.field_name(ind), _(
                        "已被他人修改：您打开页面时为 %(seen)s，现为 %(now)s。"
                        "本次未保存任何数据；如仍要改为您填写的数值，请核对后再次保存。") % {
                        "seen": _shown(changes[ind][0]), "now": _shown(conflict.current[key])})
            return None
        except ValidationError as error:
            self._attach_refusals(error, scope, changed, unit=unit, period=period, user=user)
            return None

    def _attach_refusals(self, error, scope, changed, *, unit, period: str, user) -> None:
        """Find which values the services refused by writing them one at a time, then
        roll everything back, so that each reason shows beside its field."""
        with transaction.atomic():
            for ind in changed:
                try:
                    with transaction.atomic():
                        services.set_value(
                            scope, indicator=ind, unit=unit, period=period,
                            value=self.cleaned_data[self.field_name(ind)], user=user,
                        )
                except ValidationError as refusal:
                    self.add_error(self.field_name(ind), refusal)
            transaction.set_rollback(True)
        if not self.errors:
            self.add_error(None, error)
