"""Plausibility warnings of stored figures (数据合理性提示), worded for the pages.

The checks themselves are pure (:mod:`jiangping.indicators.plausibility`); this module
reads the figures they need (this month, last month, the same month of last year, and
a growth rate's flow), set-based, and words each warning in Chinese. Entry, the
approval queue (through :func:`jiangping.intake.services.register_submission_checks`)
and the comparison table all ask here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from jiangping.core.numbers import format_number
from jiangping.indicators import formulas as f
from jiangping.indicators.models import Indicator, Kind
from jiangping.indicators.plausibility import Bounds, Figure, Warning, check

Key = tuple[int, int]  # (indicator id, unit id)


def bounds() -> Bounds:
    """The bounds of the settings (``JIANGPING_JUMP_*``, ``JIANGPING_GROWTH_TOLERANCE_PP``)."""
    return Bounds(
        month_ratio=Decimal(str(settings.JUMP_MONTH_RATIO)),
        year_ratio=Decimal(str(settings.JUMP_YEAR_RATIO)),
        growth_pp=Decimal(str(settings.JUMP_GROWTH_PP)),
        tolerance_pp=Decimal(str(settings.GROWTH_TOLERANCE_PP)),
    )


def periods_needed(period: str) -> list[str]:
    return [period, f.previous_period(period), f.same_period_last_year(period)]


def warnings_from(values: Mapping[tuple[int, int, str], Decimal], indicators: Iterable[Indicator],
                  unit_ids: Iterable[int], period: str,
                  limits: Bounds | None = None) -> dict[Key, list[Warning]]:
    """The warnings of every figure of ``period`` in ``values`` (keyed ``(indicator id, unit
    id, period)``, holding :func:`periods_needed` of the indicators and of the flows their
    growth rates report on)."""
    limits = limits or bounds()
    month = f.parse_period(period)[1]
    previous, last_year = f.previous_period(period), f.same_period_last_year(period)
    found: dict[Key, list[Warning]] = {}
    indicators = list(indicators)
    for unit_id in unit_ids:
        for ind in indicators:
            value = values.get((ind.pk, unit_id, period))
            if value is None:
                continue
            computed = None
            if ind.kind == Kind.GROWTH and ind.growth_of_id:
                computed = f.yoy_growth(values.get((ind.growth_of_id, unit_id, period)),
                                        values.get((ind.growth_of_id, unit_id, last_year)))
            warnings = check(Figure(
                kind=ind.kind, month=month, value=value,
                previous=values.get((ind.pk, unit_id, previous)),
                last_year=values.get((ind.pk, unit_id, last_year)),
                computed_growth=computed, comparable_price=ind.comparable_price,
            ), limits)
            if warnings:
                found[ind.pk, unit_id] = warnings
    return found


def warnings_for(unit_ids: Iterable[int], period: str,
                 indicators: Iterable[Indicator] | None = None) -> dict[Key, list[Warning]]:
    """Read and check the figures of ``period`` of ``unit_ids`` (two queries)."""
    from jiangping.indicators.services import value_map

    indicators = list(Indicator.objects.all() if indicators is None else indicators)
    unit_ids = list(unit_ids)
    needed = {i.pk for i in indicators} | {i.growth_of_id for i in indicators if i.growth_of_id}
    if not unit_ids or not needed:
        return {}
    values = value_map(needed, unit_ids, periods_needed(period))
    return warnings_from(values, indicators, unit_ids, period)


def _n(value: Decimal | None, places: int) -> str:
    return format_number(value, places)


def message(warning: Warning, indicator: Indicator) -> str:
    """The warning in Chinese, with its figures (“是上月的12.0倍，超过3倍”)."""
    places = indicator.decimals
    w = warning
    names = {"value": _n(w.value, places), "other": _n(w.other, places),
             "bound": f"{w.bound.normalize():f}"}
    if w.code == "falling":
        return _("累计值%(value)s低于上月累计%(other)s：累计数在年内不应回落") % names
    if w.code == "growth_gap":
        names["gap"] = _n(abs(w.value - w.other), places)
        return _("报告增速%(value)s%%与计算增速（名义）%(other)s%%相差%(gap)s个百分点，"
                 "超过容差%(bound)s个百分点") % names
    when = _("上月") if w.code == "jump_month" else _("上年同期")
    names["when"] = when
    if indicator.kind == Kind.GROWTH:
        names["gap"] = _n(abs(w.value - w.other), places)
        return _("较%(when)s（%(other)s%%）变化%(gap)s个百分点，超过%(bound)s个百分点") % names
    if w.value > w.other:
        names["times"] = _n(w.value / w.other, 1)
        return _("%(value)s是%(when)s（%(other)s）的%(times)s倍，超过%(bound)s倍") % names
    names["share"] = _n(w.value / w.other * 100, 1)
    return _("%(value)s仅为%(when)s（%(other)s）的%(share)s%%，不足其1/%(bound)s") % names


def messages_by_unit(unit_ids: Iterable[int], period: str) -> dict[int, list[str]]:
    """Every unit's warnings of ``period`` as “指标：说明” lines, in catalog order: the
    approval queue's check of an ``indicators`` submission."""
    indicators = list(Indicator.objects.all())
    found = warnings_for(unit_ids, period, indicators)
    result: dict[int, list[str]] = {}
    for ind in indicators:
        for unit_id in unit_ids:
            for warning in found.get((ind.pk, unit_id), ()):
                result.setdefault(unit_id, []).append(
                    _("%(indicator)s：%(message)s") % {
                        "indicator": ind.name, "message": message(warning, ind)})
    return result
