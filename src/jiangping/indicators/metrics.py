"""The metric registry (指标口径登记): every figure the assessment can score or rank.

A :class:`Metric` turns a list of org units and a period into one ``Decimal`` (or
``None``) per unit, set-based: one or a few queries for all units together.

Two sources of metrics:

* other modules (projects, households, tasks, quality) :func:`register` theirs at
  import time, with codes of their own (``projects.start_rate``);
* every indicator yields metrics automatically, built on demand from the indicator
  table because indicators are data: ``value.<code>`` always, and by kind
  ``month``/``yoy``/``completion``/``schedule_gap`` (flow), ``pp_change``/``pp_yoy``
  (growth), ``yoy``/``since_jan`` (stock), ``mom``/``yoy`` (level). The kinds are
  listed in :data:`KINDS` and documented in ``docs/metrics.md``.

Importing this module runs no query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiangping.indicators import formulas

Compute = Callable[[list[int], str], dict[int, Decimal | None]]


@dataclass(frozen=True)
class Metric:
    """One scoreable figure (考核口径): code, Chinese name, unit, direction, formula."""

    code: str
    name: str
    unit: str
    direction: str
    formula: str
    description: str = ""
    calculate: Compute | None = field(default=None, repr=False, compare=False)

    def compute(self, unit_ids: Iterable[int], period: str) -> dict[int, Decimal | None]:
        """The metric of every unit for ``period`` (``YYYY-MM``); ``None`` where unknown."""
        formulas.parse_period(period)
        ids = list(dict.fromkeys(unit_ids))
        if not ids or self.calculate is None:
            return dict.fromkeys(ids)
        found = self.calculate(ids, period)
        return {unit_id: found.get(unit_id) for unit_id in ids}


class MetricRow(NamedTuple):
    code: str
    name: str
    unit: str
    direction: str
    formula: str


# --- metric kinds derived from indicators --------------------------------------
Combine = Callable[[dict[str, Decimal | None], Decimal | None, str], Decimal | None]


@dataclass(frozen=True)
class MetricKind:
    """A family of metrics every indicator of the listed kinds has (派生口径)."""

    code: str
    indicator_kinds: tuple[str, ...]
    name: object  # lazy Chinese template with %(name)s
    unit: str | None  # None: the indicator's unit
    formula: object  # lazy Chinese formula text
    description: str
    periods: Callable[[str], list[str]]
    combine: Combine
    needs_target: bool = False

    def applies_to(self, indicator) -> bool:
        return indicator.kind in self.indicator_kinds and (
            indicator.has_target or not self.needs_target
        )


def _this(p: str) -> list[str]:
    return [p]


def _with_previous(p: str) -> list[str]:
    return [p, formulas.previous_period(p)]


def _with_last_year(p: str) -> list[str]:
    return [p, formulas.same_period_last_year(p)]


def _with_december(p: str) -> list[str]:
    return [p, formulas.december_of_last_year(p)]


def _month(v, target, p):
    return formulas.month_value(
        v[p], v[formulas.previous_period(p)], formulas.parse_period(p)[1]
    )


def _completion(v, target, p):
    return formulas.completion_rate(v[p], target)


def _schedule_gap(v, target, p):
    month = formulas.parse_period(p)[1]
    return formulas.schedule_gap(formulas.completion_rate(v[p], target), month)


FLOW, GROWTH, STOCK, LEVEL = "flow", "growth", "stock", "level"

KINDS: tuple[MetricKind, ...] = (
    MetricKind(
        "value", (FLOW, GROWTH, STOCK, LEVEL), "%(name)s", None,
        _("本期报送值（累计值、增速、余额或月度值）"),
        "The stored value of the period: year-to-date total (flow), reported growth "
        "(growth), month-end balance (stock) or the month's level (level).",
        _this, lambda v, t, p: v[p],
    ),
    MetricKind(
        "month", (FLOW,), _("%(name)s（当月）"), None, _("当月 = 累计(m) − 累计(m−1)；1月为累计值"),
        "This month's amount of a cumulative flow: cum(m) − cum(m−1); January's is cum(1).",
        _with_previous, _month,
    ),
    MetricKind(
        "yoy", (FLOW, STOCK, LEVEL), _("%(name)s同比增长（计算）"), "%",
        _("同比增长 = (本期 ÷ 上年同期 − 1) × 100"),
        "Computed year-on-year growth in %: (v(m) / v(m, last year) − 1) × 100; "
        "empty when last year's value is missing, zero or negative.",
        _with_last_year, lambda v, t, p: formulas.yoy_growth(
            v[p], v[formulas.same_period_last_year(p)]),
    ),
    MetricKind(
        "completion", (FLOW,), _("%(name)s完成率"), "%", _("完成率 = 累计 ÷ 年度目标 × 100"),
        "Completion of the annual target in %: cum(m) / target × 100 (indicators with targets).",
        _this, _completion, needs_target=True,
    ),
    MetricKind(
        "schedule_gap", (FLOW,), _("%(name)s超序时进度"), "百分点",
        _("超（欠）序时进度 = 完成率 − m ÷ 12 × 100"),
        "Ahead of (+) or behind (−) the time schedule, in percentage points: "
        "completion − m/12 × 100 (indicators with targets).",
        _this, _schedule_gap, needs_target=True,
    ),
    MetricKind(
        "pp_change", (GROWTH,), _("%(name)s较上月变化"), "百分点",
        _("较上月提高（回落）= 本期增速 − 上月增速"),
        "Percentage-point change of a reported growth rate vs the previous month.",
        _with_previous, lambda v, t, p: formulas.pp_change(
            v[p], v[formulas.previous_period(p)]),
    ),
    MetricKind(
        "pp_yoy", (GROWTH,), _("%(name)s较上年同期变化"), "百分点",
        _("较上年同期提高（回落）= 本期增速 − 上年同期增速"),
        "Percentage-point change of a reported growth rate vs the same month last year.",
        _with_last_year, lambda v, t, p: formulas.pp_change(
            v[p], v[formulas.same_period_last_year(p)]),
    ),
    MetricKind(
        "since_jan", (STOCK,), _("%(name)s较年初增减"), None,
        _("较年初增减 = 本月末余额 − 上年末余额"),
        "Change of a balance since the start of the year: balance(m) − balance(December of "
        "last year), in the indicator's unit.",
        _with_december, lambda v, t, p: formulas.since_start_of_year(
            v[p], v[formulas.december_of_last_year(p)]),
    ),
    MetricKind(
        "mom", (LEVEL,), _("%(name)s环比"), "%", _("环比 = (本月 ÷ 上月 − 1) × 100"),
        "Month-on-month change of a level in %: (v(m) / v(m−1) − 1) × 100.",
        _with_previous, lambda v, t, p: formulas.mom(v[p], v[formulas.previous_period(p)]),
    ),
)
KINDS_BY_CODE = {kind.code: kind for kind in KINDS}


def indicator_metric(kind: MetricKind, indicator) -> Metric:
    """The metric of ``kind`` for one indicator, computing with two queries at most."""
    indicator_id = indicator.pk

    def calculate(unit_ids: list[int], period: str) -> dict[int, Decimal | None]:
        from jiangping.indicators.services import value_map
        from jiangping.indicators.targets import target_map

        periods = kind.periods(period)
        values = value_map([indicator_id], unit_ids, periods)
        targets = (
            target_map([indicator_id], unit_ids, formulas.parse_period(period)[0])
            if kind.needs_target else {}
        )
        result = {}
        for unit_id in unit_ids:
            by_period = {p: values.get((indicator_id, unit_id, p)) for p in periods}
            result[unit_id] = kind.combine(by_period, targets.get((indicator_id, unit_id)), period)
        return result

    return Metric(
        code=f"{kind.code}.{indicator.code}",
        name=str(kind.name) % {"name": indicator.name},
        unit=kind.unit or indicator.unit,
        direction=indicator.direction,
        formula=str(kind.formula),
        description=kind.description,
        calculate=calculate,
    )


def indicator_metrics(indicator) -> list[Metric]:
    """Every metric one indicator yields, in the order of :data:`KINDS`."""
    return [indicator_metric(kind, indicator) for kind in KINDS if kind.applies_to(indicator)]


# --- the registry --------------------------------------------------------------
_registry: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    """Add a metric of another module; its code must not clash with an indicator kind."""
    prefix = metric.code.split(".", 1)[0]
    if prefix in KINDS_BY_CODE:
        raise ValueError(f"metric prefix {prefix!r} is reserved for indicator metrics")
    known = _registry.get(metric.code)
    if known is not None and known != metric:
        raise ValueError(f"metric {metric.code!r} is already registered")
    _registry[metric.code] = metric
    return metric


def get(code: str) -> Metric:
    """The metric with ``code``; ``KeyError`` if there is none."""
    if code in _registry:
        return _registry[code]
    prefix, _sep, indicator_code = code.partition(".")
    kind = KINDS_BY_CODE.get(prefix)
    if kind is not None and indicator_code:
        from jiangping.indicators.models import Indicator

        indicator = Indicator.objects.filter(code=indicator_code).first()
        if indicator is not None and kind.applies_to(indicator):
            return indicator_metric(kind, indicator)
    raise KeyError(gettext("未知的考核口径：%(code)s") % {"code": code})


def all_metrics() -> list[Metric]:
    """Every metric: the indicators' (one query) then the registered ones."""
    from jiangping.indicators.models import Indicator

    result: list[Metric] = []
    for indicator in Indicator.objects.all():
        result.extend(indicator_metrics(indicator))
    result.extend(_registry[code] for code in sorted(_registry))
    return result


def _row(metric: Metric) -> MetricRow:
    return MetricRow(metric.code, metric.name, metric.unit, metric.direction, metric.formula)


def describe(*, concrete: bool = False) -> list[MetricRow]:
    """Rows (code, name, unit, direction, formula) for documentation and the UI.

    By default one row per indicator metric kind, with ``<code>`` standing for any
    indicator (independent of the data), followed by every registered metric. With
    ``concrete=True``, one row per metric of :func:`all_metrics`.
    """
    if concrete:
        return [_row(m) for m in all_metrics()]
    rows = [
        MetricRow(
            f"{kind.code}.<code>", str(kind.name) % {"name": "<指标>"},
            kind.unit or "<指标单位>", "<指标方向>", str(kind.formula),
        )
        for kind in KINDS
    ]
    rows.extend(_row(_registry[code]) for code in sorted(_registry))
    return rows
