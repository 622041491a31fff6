"""The indicator resolver (指标引用解析) for import forms: a sheet's indicator names, codes
and synonyms to indicators, each with its unit of measure.

Declared here, by the app that owns :class:`~jiangping.indicators.models.Indicator`, and
handed to the intake engine on the forms' columns (:mod:`jiangping.indicators.imports`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from jiangping.intake.measures import split_header
from jiangping.intake.references import Reference
from jiangping.intake.resolve import AMBIGUOUS, NameIndex, split_synonyms

_GROWTH_SUFFIXES = ("同比增速", "同比增长率", "同比增长", "增长率", "增长", "增幅", "同比")
_SCOPE_PREFIXES = ("全市", "全县", "全区", "全省")


@dataclass(frozen=True)
class IndicatorInfo:
    id: int
    name: str
    unit: str


class IndicatorIndex(NameIndex):
    """Indicators by name, code or synonym. ``X增长``/``X同比增长(%)`` find ``X增速``, or
    the reported growth indicator of whatever ``X`` names
    (全社会固定资产投资增长 → 固定资产投资增速)."""

    def __init__(self) -> None:
        super().__init__()
        self.growth_of: dict[int, int] = {}

    def find(self, name: str):
        base, _unit = split_header(name)
        for candidate in _indicator_variants(base):
            hit = super().find(candidate)
            if hit is not None:
                return hit
        for suffix in (*_GROWTH_SUFFIXES, "增速"):
            if base.endswith(suffix) and len(base) > len(suffix):
                of = super().find(base[: -len(suffix)])
                if of is not None and of is not AMBIGUOUS and of in self.growth_of:
                    return self.growth_of[of]
        return None


def _indicator_variants(name: str) -> Iterable[str]:
    yield name
    for prefix in _SCOPE_PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            yield name[len(prefix):]
    for suffix in _GROWTH_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            yield name[: -len(suffix)] + "增速"
            break


def indicator_index(indicators: Iterable) -> tuple[IndicatorIndex, dict[int, IndicatorInfo]]:
    index, infos = IndicatorIndex(), {}
    for indicator in indicators:
        infos[indicator.pk] = IndicatorInfo(indicator.pk, indicator.name, indicator.unit)
        if indicator.growth_of_id is not None:
            index.growth_of.setdefault(indicator.growth_of_id, indicator.pk)
        for name in (indicator.name, indicator.code, *split_synonyms(indicator.synonyms)):
            index.add(name, indicator.pk)
    return index, infos


class Indicators(Reference):
    """Indicators (指标); a value's unit of measure is its indicator's."""

    def load(self, context):
        from jiangping.indicators.models import Indicator

        return indicator_index(
            Indicator.objects.only("name", "code", "synonyms", "unit", "growth_of_id"))

    def ambiguous(self, name: str) -> str:
        return _("指标名称“%(name)s”对应多个指标，请写全称或代码。") % {"name": name}

    def unknown(self, name: str) -> str:
        return _("未知的指标“%(name)s”。") % {"name": name}

    def stored_unit(self, info) -> str | None:
        return info.unit

    def choices(self, form, scope) -> list[str]:
        from jiangping.indicators.models import Indicator

        return list(Indicator.objects.order_by("sort_order", "code")
                    .values_list("name", flat=True))


INDICATORS = Indicators()
