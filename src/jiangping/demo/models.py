"""A record of the synthetic data set in this database (演示数据记录)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoDataset(models.Model):
    """Written by the demo generator, so that ``jiangping demo`` can tell its own data
    (same scale and seed: reuse it) from real data (never touched without ``--reset``)."""

    scale = models.CharField(_("规模"), max_length=16)
    seed = models.BigIntegerField(_("随机种子"))
    latest_period = models.CharField(_("最新期间"), max_length=7)
    created = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("演示数据")
        verbose_name_plural = _("演示数据")

    def __str__(self) -> str:
        return f"{self.scale} · {self.seed} · {self.latest_period}"
