"""Forms of the task pages: the board's and calendar's queries, a new task, a progress
report and the close-out decisions. They validate input; the services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jiangping.orgs.models import Level, OrgUnit
from jiangping.tasks.models import SourceKind, Status

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


def assignable_units():
    """The units a task can be assigned to: the home city's county-level units and
    departments (县级单位、市直部门)."""
    return OrgUnit.objects.filter(
        parent__level=Level.CITY, parent__is_home=True,
        level__in=(Level.COUNTY, Level.DEPARTMENT),
    ).order_by("level", "sort_order", "code")


class BoardQuery(forms.Form):
    """The board's query string: status, unit (by code) and latest deadline."""

    status = forms.ChoiceField(choices=[("", _("全部")), *Status.choices], required=False)
    unit = forms.CharField(required=False, max_length=32)
    due = forms.DateField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].error_messages["invalid_choice"] = _("状态不正确：%(value)s")
        self.fields["due"].error_messages["invalid"] = _("截止日期格式应为 YYYY-MM-DD。")


class MonthQuery(forms.Form):
    month = forms.CharField(required=False, max_length=7)

    def clean_month(self) -> dt.date | None:
        month = self.cleaned_data["month"]
        if not month:
            return None
        try:
            return dt.datetime.strptime(month, "%Y-%m").date()  # noqa: DTZ007  (a month, no time)
        except ValueError:
            raise ValidationError(
                _("月份“%(month)s”格式不正确，应为 YYYY-MM。") % {"month": month}) from None


class TaskForm(forms.Form):
    """交办: a new task; the deadline is a date or a number of working days (工作日)."""

    title = forms.CharField(label=_("督办事项"), max_length=300,
                            widget=forms.Textarea(attrs={"rows": 2}))
    source_kind = forms.ChoiceField(label=_("来源类型"), choices=SourceKind.choices,
                                    initial=SourceKind.MEETING)
    source_title = forms.CharField(label=_("来源"), max_length=200, required=False)
    source_date = forms.DateField(label=_("来源日期"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=OrgUnit.objects.none())
    co_units = forms.ModelMultipleChoiceField(
        label=_("配合单位"), queryset=OrgUnit.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    deadline = forms.DateField(label=_("完成时限"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    deadline_workdays = forms.IntegerField(label=_("或：工作日数"), required=False, min_value=1,
                                           max_value=500)
    target = forms.CharField(label=_("目标要求"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = assignable_units()
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units

    def clean(self):
        data = super().clean()
        if data.get("deadline") and data.get("deadline_workdays"):
            raise ValidationError(_("完成时限与工作日数只能填写一项。"))
        return data


class ProgressForm(forms.Form):
    """报送进展: text, percent done, and an optional evidence file (佐证材料)."""

    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("完成进度（%）"), required=False, min_value=0,
                                 max_value=100)
    evidence = forms.FileField(label=_("佐证材料"), required=False)

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if evidence and evidence.size > MAX_EVIDENCE_BYTES:
            raise ValidationError(_("佐证材料不能超过 20 MB。"))
        return evidence


class DecisionForm(forms.Form):
    """The comment on 申请销号/同意销号, the reason on 退回 (the service requires it)."""

    comment = forms.CharField(required=False, max_length=500, label=_("意见"))
