"""Assessment schemes (考核方案), the month's review results (讲评结果) in versions, and what
the city office enters beside them: force-majeure exemptions (不可抗力免责) and scores given
by hand (人工评分)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiangping.orgs.models import OrgUnit


class Scheme(models.Model):
    """An uploaded scheme file (考核方案), kept as written; one per year is in force."""

    name = models.CharField(_("名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.CharField(_("版本"), max_length=50)
    text = models.TextField(_("方案文件"))
    digest = models.CharField(max_length=64, editable=False)
    in_force = models.BooleanField(_("现行"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["year", "digest"], name="reviews_scheme_once"),
            models.UniqueConstraint(fields=["year"], condition=models.Q(in_force=True),
                                    name="reviews_scheme_one_in_force"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.version}）"


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class Run(models.Model):
    """One version of a month's review (讲评结果第N版): the scheme in force, every input
    value as it was, every score, and the difference from the version published before.
    A published version never changes; re-computing makes a new draft version."""

    period = models.CharField(_("期间"), max_length=7)
    version = models.PositiveIntegerField(_("版本"))
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.DRAFT)
    inputs = models.JSONField(_("输入数据"))
    result = models.JSONField(_("结果"))
    diff = models.JSONField(_("与上一发布版本的差异"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("计算时间"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("讲评结果")
        verbose_name_plural = _("讲评结果")
        ordering = ["-period", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="reviews_run_version"),
        ]

    def __str__(self) -> str:
        return f"{self.period} v{self.version}"


class Exemption(models.Model):
    """A unit exempted from the month's black list (不可抗力免责), entered by the office."""

    period = models.CharField(_("期间"), max_length=7)
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("理由"), max_length=300)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("黑榜免责")
        verbose_name_plural = _("黑榜免责")
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="reviews_exemption_once"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.unit}"


class ManualScore(models.Model):
    """A score given by hand to one item (人工评分: a leader's evaluation, an inspection),
    through the ``scores`` import form."""

    period = models.CharField(_("期间"), max_length=7)
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    item = models.CharField(_("考核项"), max_length=50)
    points = models.DecimalField(_("得分"), max_digits=8, decimal_places=2)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("人工评分")
        verbose_name_plural = _("人工评分")
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "item"],
                                    name="reviews_manual_score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.unit} {self.item}"
