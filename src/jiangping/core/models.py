"""The months of the review (讲评月份), owned by core so that every app asks one place.

* :class:`ReviewMonth` — a month the city office opened for review (开启讲评月份): the
  pages open on the latest one (:func:`jiangping.core.periods.review_month`).
* :class:`DataMonth` — the months holding data (有数据的月份), an index kept up to date by
  the apps that write the data (:func:`jiangping.core.periods.record_months`), so that the
  month pickers read a few rows rather than scanning every value ever stored.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReviewMonth(models.Model):
    period = models.CharField(_("期间"), max_length=7, unique=True, help_text="YYYY-MM")
    opened_at = models.DateTimeField(_("开启时间"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("开启人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("讲评月份")
        verbose_name_plural = _("讲评月份")
        ordering = ["-period"]

    def __str__(self) -> str:
        return self.period

    def clean(self) -> None:
        """The rule of :func:`~jiangping.core.periods.open_review_month` (the admin too):
        a well-formed month that has ended."""
        from jiangping.core.periods import has_ended, period_label, validate

        validate(self.period)
        if not has_ended(self.period):
            raise ValidationError({"period": _("%(period)s尚未结束，不能开启为讲评月份。") % {
                "period": period_label(self.period)}})


class DataMonth(models.Model):
    """``units``: how many units that owe the monthly report hold figures of the month
    (see :func:`jiangping.core.periods.record_months`)."""

    period = models.CharField(_("期间"), max_length=7, unique=True, help_text="YYYY-MM")
    units = models.PositiveIntegerField(_("有数据的填报单位数"), default=0)

    class Meta:
        verbose_name = _("有数据的月份")
        verbose_name_plural = _("有数据的月份")
        ordering = ["-period"]

    def __str__(self) -> str:
        return f"{self.period}·{self.units}"


class FiguresVersion(models.Model):
    """The version of what the pages show (values, targets, approvals, the catalog, the
    org units): a number changed after each write that commits, so that a fragment
    cached under the old number is never served again (:mod:`jiangping.core.pagecache`).
    One row, ``name = "figures"``."""

    name = models.CharField(max_length=32, unique=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("数据版本")
        verbose_name_plural = _("数据版本")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
