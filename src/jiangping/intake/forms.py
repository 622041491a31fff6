"""Forms of the intake pages: the queue's month and the city office's decisions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jiangping.intake.services import valid_period


class QueueQuery(forms.Form):
    period = forms.CharField(required=False)

    def clean_period(self):
        period = self.cleaned_data["period"]
        return valid_period(period) if period else period


class DecisionForm(forms.Form):
    """The city office's comment on approving (审核通过), returning (退回) or unlocking (解锁)."""

    comment = forms.CharField(required=False, max_length=500, label=_("意见"))
