"""Forms of the intake pages: the queue's month and the city office's decisions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jiangping.intake.engine import InvalidPeriod, import_period, import_refusal
from jiangping.intake.registry import all_forms, get_form
from jiangping.intake.services import valid_period


class QueueQuery(forms.Form):
    period = forms.CharField(required=False)

    def clean_period(self):
        period = self.cleaned_data["period"]
        return valid_period(period) if period else period


class DecisionForm(forms.Form):
    """The city office's comment on approving (审核通过), returning (退回) or unlocking (解锁)."""

    comment = forms.CharField(required=False, max_length=500, label=_("意见"))


class ImportUploadForm(forms.Form):
    """A file to import (导入), its form and, for a wide table, its period."""

    form = forms.ChoiceField(label=_("表单"))
    file = forms.FileField(label=_("文件"), help_text=_("XLSX、XLS 或 CSV 文件"))
    period = forms.CharField(label=_("期间"), required=False, max_length=20,
                             help_text=_("YYYY-MM；宽表或表中无“期间”列时填写"))

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.fields["form"].choices = [
            (form.name, form.title) for form in all_forms()
            if import_refusal(form, scope) is None
        ]
        self.fields["form"].error_messages["invalid_choice"] = _("请选择要导入的表单。")

    def clean_form(self):
        form = get_form(self.cleaned_data["form"])
        refusal = import_refusal(form, self.scope)
        if refusal:
            raise forms.ValidationError(refusal)
        return form

    def clean_period(self):
        period = self.cleaned_data["period"].strip() or None
        try:
            return import_period(period)
        except InvalidPeriod as exc:
            raise forms.ValidationError(exc.message) from None
