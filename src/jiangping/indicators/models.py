"""Indicator catalog (指标), monthly values, annual targets and peer values.

Keying as in DHIS2: a value is indicator × org unit × period (``YYYY-MM``). Peer
values (the other cities of the province, from the provincial bulletin) are
values like any other, on the peer city's org unit, with ``source = peer``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiangping.orgs.models import OrgUnit


class Kind(models.TextChoices):
    FLOW = "flow", _("累计值（流量）")
    GROWTH = "growth", _("增速（报告值）")
    STOCK = "stock", _("余额（存量）")
    LEVEL = "level", _("月度水平/比率")


class Direction(models.TextChoices):
    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


class Indicator(models.Model):
    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    synonyms = models.CharField(_("别名"), max_length=300, blank=True,
                                help_text=_("以逗号分隔"))
    unit = models.CharField(_("计量单位"), max_length=20)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    direction = models.CharField(_("方向"), max_length=10, choices=Direction.choices,
                                 default=Direction.HIGHER)
    decimals = models.PositiveSmallIntegerField(_("小数位数"), default=1)
    growth_of = models.ForeignKey(
        "self", verbose_name=_("对应累计指标"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="reported_growths",
        help_text=_("增速指标所对应的累计值指标，用于核对报告增速与计算增速"),
    )
    comparable_price = models.BooleanField(
        _("可比价增速"), default=False,
        help_text=_("增速指标按可比价格计算（如地区生产总值增速）：与按现价计算的名义增速口径不同，"
                    "不作差异核对"),
    )
    has_target = models.BooleanField(_("下达年度目标"), default=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    REPORTED = "reported", _("单位填报")
    PEER = "peer", _("全省通报")


class Value(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="values")
    period = models.CharField(_("期间"), max_length=7, help_text="YYYY-MM")
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=6)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.REPORTED)
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("指标值")
        verbose_name_plural = _("指标值")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "period"], name="value_key"),
        ]
        # (period, indicator): a month's figures of the catalog (the comparison table);
        # (unit, period): the months of the units in a scope (the API's and the pages'
        # lists of a county), probed unit by unit instead of reading the whole month.
        indexes = [models.Index(fields=["period", "indicator"]),
                   models.Index(fields=["unit", "period"], name="value_unit_period")]

    def __str__(self) -> str:
        return f"{self.unit_id}·{self.indicator_id}·{self.period}={self.value}"


class Target(models.Model):
    """Annual target (年度目标) per indicator × unit × year."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="targets")
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("目标值"), max_digits=20, decimal_places=6)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "year"], name="target_key"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}·{self.indicator_id}·{self.year}={self.value}"
