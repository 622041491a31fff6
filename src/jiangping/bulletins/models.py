"""The month's bulletin in versions (通报第N版): what was composed from a published review,
as the office edited it, and when it was published.

A version keeps its content as the document tree (:meth:`Bulletin.to_json
<jiangping.bulletins.document.Bulletin.to_json>`) with the digest of its text, so that
regenerating an unchanged month is recognised and the text of two versions can be
compared. Its files (DOCX, HTML, PDF) are written to the data dir by
:func:`jiangping.bulletins.services.files`; a published version never changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiangping.bulletins.document import Bulletin
from jiangping.reviews.models import Run


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class BulletinVersion(models.Model):
    """One version of a month's bulletin. ``run``: the published review it was composed
    from (``None`` for a month without a review); ``edits``: the office's own paragraphs
    ``{"problems": [...], "actions": [...]}`` (a key left out: drafted from the data);
    ``digest``: SHA-256 of :meth:`Bulletin.text`."""

    period = models.CharField(_("期间"), max_length=7)
    version = models.PositiveIntegerField(_("版本"))
    run = models.ForeignKey(Run, null=True, blank=True, on_delete=models.PROTECT,
                            related_name="bulletins", verbose_name=_("讲评结果"))
    number = models.CharField(_("文号"), max_length=100)
    date = models.CharField(_("成文日期"), max_length=50)
    issuer = models.CharField(_("发文机关"), max_length=200)
    edits = models.JSONField(_("修改的段落"), default=dict, blank=True)
    content = models.JSONField(_("内容"))
    digest = models.CharField(_("文本摘要"), max_length=64, editable=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices,
                              default=Status.DRAFT)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-period", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["period", "version"],
                                    name="bulletins_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.period} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def review_version(self) -> int | None:
        return self.run.version if self.run_id else None

    def document(self) -> Bulletin:
        """The stored content as the document tree every writer reads."""
        return Bulletin.from_json(self.content)
