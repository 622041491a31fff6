"""Forms of the intake pages: the queue's month and the city office's decisions."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jiangping.indicators.services import validate_period


class QueueQuery(forms.Form):
    period = forms.CharField(required=False)

    def clean_period(self):
        period = self.cleaned_data["period"]
        return validate_period(period) if period else period


class DecisionForm(forms.Form):
    """Approve (审核通过), return (退回, a reason required) or unlock (解锁)."""

    comment = forms.CharField(required=False, max_length=500, label=_("意见"))

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if self.action == "return" and not comment:
            raise ValidationError(_("请填写退回原因。"))
        return comment
