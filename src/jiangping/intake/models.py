"""Submissions (填报) per unit × period × form, and their life cycle."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiangping.orgs.models import OrgUnit


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    APPROVED = "approved", _("已审核")
    RETURNED = "returned", _("已退回")


class Submission(models.Model):
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="submissions")
    period = models.CharField(_("期间"), max_length=7)
    form = models.CharField(_("报表"), max_length=32)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    deadline = models.DateField(_("截止日"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("填报")
        verbose_name_plural = _("填报")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "form"], name="submission_key"),
        ]
        # A month's submissions of a form in a state, without reading the others: whether a
        # value is approved (asked per value by the comparison table and the API lists) and
        # the month most units submitted; a page's cost then stays the same as months pass.
        indexes = [models.Index(fields=["form", "period", "state"], name="submission_month_state")]

    def __str__(self) -> str:
        return f"{self.unit} {self.period} {self.form}"

    @property
    def locked(self) -> bool:
        return self.state == State.APPROVED

    @property
    def late(self) -> bool:
        """Submitted (or still not submitted) after the deadline (逾期报送)."""
        return is_late(self.deadline, self.submitted_at)


def is_late(deadline, submitted_at, today=None) -> bool:
    """Whether a submission due on ``deadline`` (a date or None: never late) was submitted
    at ``submitted_at`` (an aware datetime, or None: not yet) after it, as of ``today``
    (default: the local date now)."""
    from django.utils import timezone

    if deadline is None:
        return False
    if submitted_at is not None:
        return timezone.localdate(submitted_at) > deadline
    return (today or timezone.localdate()) > deadline


class SubmissionEvent(models.Model):
    """Every state change of a submission, for the audit trail."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    state = models.CharField(max_length=10, choices=State.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.submission_id} → {self.state}"
