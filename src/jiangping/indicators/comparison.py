"""The month's comparison table (指标对比表): every unit of a tier, every indicator.

Tiers:

* ``counties`` — the county-level units (县（市、区）and functional zones) of the
  home city, ranked among themselves; the summary row is the city;
* ``cities`` — every city of the province (the home city and its peers), ranked
  among themselves; the summary row is the province.

What a unit is ranked on (its *basis*): growth for flows (the reported growth of the
paired growth indicator when there is one, else the computed growth) and stocks;
the value itself for growth indicators and levels. Units are ranked on the basis as
published, rounded half up to the indicator's decimals (a growth basis to the
decimals of the paired growth indicator, else 1), so two figures that read the same
share a rank (并列). ``direction`` decides the order. ``vs_average`` is the basis
minus the summary row's basis: the parent's stored figure when it has one (the
city's or province's published growth), else the aggregate of the tier (growth of
the summed values for flows and stocks, the mean for growths and levels).

A flow's growth is either reported or computed, and a change over time compares
like with like: a reported growth with the reported growth of the earlier month, a
computed one with the computed growth of the earlier month. Where the earlier month
has no figure of the same source, the percentage-point change is ``None``; likewise
the rank change is ``None`` when the unit's rank of the earlier month rested on a
figure of the other source.

The summary's completion rate (完成率) and schedule gap are shown only when they are
the summary unit's own: its own cumulative value over its own annual target, or,
failing that, the tier's total over the sum of the units' targets when *every*
counted unit (one with a value or a rank this month) has a completion of its own (a
value and a target above zero).
A partial sum would pass one unit's completion off as the tier's (in the cities
tier usually only the home city has a target), so otherwise they are ``None`` (—).

Visibility: a county-level unit outside the caller's scope shows its rank, tie and
rank changes only; its value cells are ``None`` and ``hidden`` is set, so a county
sees where its peers stand but not their unpublished figures. City-level figures
(our city and its peers, as in the provincial bulletin) and the summary rows (the
city's total, the province's) are shown to every scope.

Approval (DESIGN §10): every cell says whether its figure of the month is approved
(``approved``; see :mod:`jiangping.indicators.approval`). With ``approved_only`` the
table is built on approved figures alone — unapproved ones are left out before
anything is computed, so ranks, averages and rank changes rest on the shown set.

Plausibility: ``warnings`` lists the warnings of the cell's figure
(:mod:`jiangping.indicators.warnings`), from the same loaded values.

The summary row is the parent's own figure (全市 / 全省, ``own``) when it has one;
otherwise the total of the units for an additive indicator (flows and balances) or
their average (growth rates, levels), and ``source`` says which.

The whole table costs a constant handful of queries (indicators, units, values of
six periods with their approval, targets), whatever the number of units.
"""

from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, field, fields
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jiangping.core.numbers import round_half_up
from jiangping.indicators import formulas as f
from jiangping.indicators.approval import status_map
from jiangping.indicators.models import Indicator, Kind
from jiangping.indicators.services import validate_period
from jiangping.indicators.targets import target_map
from jiangping.indicators.warnings import message, warnings_from
from jiangping.orgs.models import Level, OrgUnit, home_city
from jiangping.orgs.scope import Scope

CITY_LEVELS = (Level.CITY, Level.PROVINCE)  # published in the provincial bulletin

TIERS = ("counties", "cities")
GROWTH_BASIS = (Kind.FLOW, Kind.STOCK)
RATE_PLACES = 4


@dataclass
class Cell:
    """One unit × indicator of the table; ``None`` where a figure does not apply."""

    value: Decimal | None = None
    month_value: Decimal | None = None
    growth: Decimal | None = None
    computed_growth: Decimal | None = None
    growth_flag: bool = False
    pp_change: Decimal | None = None
    pp_yoy: Decimal | None = None
    completion: Decimal | None = None
    schedule_gap: Decimal | None = None
    behind_schedule: bool | None = None
    since_jan: Decimal | None = None
    mom: Decimal | None = None
    vs_average: Decimal | None = None
    rank: int | None = None
    tied: bool = False
    rank_change: int | None = None
    rank_change_year: int | None = None
    hidden: bool = False
    approved: bool = True  # the month's figure is approved (False: 未审核)
    warnings: list[str] = field(default_factory=list)  # plausibility warnings, in Chinese


# What a county outside the caller's scope still sees of a peer: where it stands, and
# whether that rests on an unapproved figure.
RANK_FIELDS = {"rank", "tied", "rank_change", "rank_change_year", "hidden", "approved"}
SOURCES = ("own", "total", "average")


@dataclass
class SummaryCell:
    """The summary (平均/合计) of one indicator over the tier."""

    value: Decimal | None = None
    total: Decimal | None = None
    average: Decimal | None = None
    growth: Decimal | None = None
    completion: Decimal | None = None
    schedule_gap: Decimal | None = None
    basis: Decimal | None = None
    source: str | None = None  # own (the parent's own figure) | total | average


@dataclass
class Column:
    indicator: Indicator
    basis: str  # "growth" or "value"
    reported_growth: Indicator | None = None  # for a flow: its published growth indicator
    flow: Indicator | None = None  # for a growth indicator: the flow it is the growth of
    places: int = 1  # the decimals the basis is published, and ranked, with

    @property
    def growth_source(self) -> str | None:
        """What a flow's or balance's growth column holds: ``reported`` (the paired growth
        indicator, ``comparable`` when at comparable prices, 可比价) or ``computed``
        (nominal, from the values); ``None`` for other kinds."""
        if self.indicator.kind not in GROWTH_BASIS:
            return None
        if self.reported_growth is None:
            return "computed"
        return "comparable" if self.reported_growth.comparable_price else "reported"


@dataclass
class Row:
    unit: OrgUnit
    cells: dict[str, Cell] = field(default_factory=dict)
    visible: bool = True


@dataclass
class ComparisonTable:
    period: str
    tier: str
    columns: list[Column]
    rows: list[Row]
    parent: OrgUnit | None
    summary: dict[str, SummaryCell] | None
    approved_only: bool = False

    def row(self, unit: OrgUnit | int) -> Row:
        unit_id = unit if isinstance(unit, int) else unit.pk
        return next(r for r in self.rows if r.unit.pk == unit_id)

    def cell(self, unit: OrgUnit | int, code: str) -> Cell:
        return self.row(unit).cells[code]

    def as_dict(self) -> dict:
        """Plain data for JSON: Decimals as strings, derived rates to 4 decimals."""
        return {
            "period": self.period,
            "tier": self.tier,
            "approved_only": self.approved_only,
            "indicators": [
                {"code": c.indicator.code, "name": c.indicator.name, "unit": c.indicator.unit,
                 "kind": c.indicator.kind, "direction": c.indicator.direction,
                 "decimals": c.indicator.decimals, "basis": c.basis,
                 "growth_source": c.growth_source}
                for c in self.columns
            ],
            "rows": [
                {"unit": r.unit.code, "name": r.unit.label, "visible": r.visible,
                 "cells": {code: _plain(asdict(cell)) for code, cell in r.cells.items()}}
                for r in self.rows
            ],
            "summary": None if self.summary is None else {
                "unit": self.parent.code if self.parent else None,
                "cells": {code: _plain(asdict(cell)) for code, cell in self.summary.items()},
            },
        }


def _text(value) -> object:
    if isinstance(value, list):
        return value
    if not isinstance(value, Decimal):
        return value
    if value.as_tuple().exponent < -RATE_PLACES:
        value = round_half_up(value, RATE_PLACES)
    return f"{value.normalize():f}"


def _plain(data: dict) -> dict:
    return {key: _text(value) for key, value in data.items()}


# --- building the table ----------------------------------------------------------
def _tier_units(tier: str) -> tuple[list[OrgUnit], OrgUnit | None]:
    if tier == "counties":
        parent = home_city()
        units = list(
            OrgUnit.objects.filter(level=Level.COUNTY, parent=parent).order_by("sort_order", "code")
        ) if parent else []
        return units, parent
    units = list(
        OrgUnit.objects.filter(level=Level.CITY).select_related("parent")
        .order_by("sort_order", "code")
    )
    return units, units[0].parent if units else None


def _columns(selection) -> list[Column]:
    everything = list(Indicator.objects.all())
    by_id = {i.pk: i for i in everything}
    growth_of = {i.growth_of_id: i for i in everything if i.growth_of_id}
    if selection is not None:
        wanted = [s if isinstance(s, str) else s.code for s in selection]
        by_code = {i.code: i for i in everything}
        unknown = [c for c in wanted if c not in by_code]
        if unknown:
            raise ValidationError(_("未知指标：%(codes)s") % {"codes": "、".join(unknown)})
        everything = [by_code[c] for c in wanted]
    columns = []
    for ind in everything:
        on_growth = ind.kind in GROWTH_BASIS
        paired = growth_of.get(ind.pk)
        columns.append(Column(
            indicator=ind,
            basis="growth" if on_growth else "value",
            reported_growth=paired if ind.kind == Kind.FLOW else None,
            flow=by_id.get(ind.growth_of_id) if ind.kind == Kind.GROWTH else None,
            places=(paired.decimals if paired else 1) if on_growth else ind.decimals,
        ))
    return columns


class _Periods:
    def __init__(self, period: str):
        self.this = period
        self.month = f.parse_period(period)[1]
        self.year = f.parse_period(period)[0]
        self.prev = f.previous_period(period)
        self.last_year = f.same_period_last_year(period)
        self.december = f.december_of_last_year(period)

    def all(self) -> set[str]:
        extra = {f.same_period_last_year(p) for p in (self.prev, self.last_year)}
        return {self.this, self.prev, self.last_year, self.december} | extra


class _Figures:
    """Figures of one column, read from the loaded values."""

    def __init__(self, column: Column, values: dict):
        self.column, self.values = column, values
        self.ind = column.indicator

    def v(self, unit_id: int, period: str, indicator: Indicator | None = None):
        ind = indicator or self.ind
        return self.values.get((ind.pk, unit_id, period))

    def computed_growth(self, unit_id: int, period: str, indicator=None):
        return f.yoy_growth(
            self.v(unit_id, period, indicator),
            self.v(unit_id, f.same_period_last_year(period), indicator),
        )

    def reported_growth(self, unit_id: int, period: str):
        """The growth the unit published for the flow (its paired growth indicator)."""
        if self.column.reported_growth is None:
            return None
        return self.v(unit_id, period, self.column.reported_growth)

    def is_reported(self, unit_id: int, period: str) -> bool:
        """Whether the unit's growth of ``period`` is a reported figure (not computed)."""
        if self.ind.kind == Kind.GROWTH:
            return True
        return self.reported_growth(unit_id, period) is not None

    def growth(self, unit_id: int, period: str):
        """The growth shown: the reported one when there is one, else the computed one."""
        if self.ind.kind == Kind.GROWTH:
            return self.v(unit_id, period)
        reported = self.reported_growth(unit_id, period)
        return reported if reported is not None else self.computed_growth(unit_id, period)

    def comparable_growth(self, unit_id: int, period: str, reported: bool):
        """The growth of an earlier ``period`` of the same source as a figure that is
        ``reported`` or computed; ``None`` when that source has no figure then."""
        if self.ind.kind == Kind.GROWTH:
            return self.v(unit_id, period)
        if reported:
            return self.reported_growth(unit_id, period)
        return self.computed_growth(unit_id, period)

    def basis(self, unit_id: int, period: str):
        if self.column.basis == "growth":
            return self.growth(unit_id, period)
        return self.v(unit_id, period)

    def published_basis(self, unit_id: int, period: str):
        """The basis rounded as published, what units are ranked on."""
        basis = self.basis(unit_id, period)
        return None if basis is None else round_half_up(basis, self.column.places)

    def basis_is_reported(self, unit_id: int, period: str) -> bool:
        """Whether the basis is a figure as reported (a value, a reported growth) rather
        than a computed growth: a rank change compares like with like."""
        return self.column.basis == "value" or self.is_reported(unit_id, period)


def comparison_table(
    scope: Scope, period: str, *, indicators=None, tier: str = "counties",
    approved_only: bool = False,
) -> ComparisonTable:
    """The comparison table (指标对比表) of ``period`` for ``tier`` (see the module doc).

    ``indicators``: Indicator instances or codes, in column order; all by default.
    ``approved_only``: built on approved figures alone (仅显示已审核).
    """
    validate_period(period)
    if tier not in TIERS:
        raise ValidationError(
            _("比较范围“%(tier)s”不正确，应为 counties 或 cities。") % {"tier": tier}
        )
    columns = _columns(indicators)
    units, parent = _tier_units(tier)
    periods = _Periods(period)
    ids = [u.pk for u in units]
    all_ids = [*ids, parent.pk] if parent else ids
    needed = {c.indicator.pk for c in columns}
    needed |= {c.reported_growth.pk for c in columns if c.reported_growth}
    needed |= {c.flow.pk for c in columns if c.flow}
    loaded = status_map(needed, all_ids, periods.all()) if all_ids and needed else {}
    values = {key: value for key, (value, approved) in loaded.items()
              if approved or not approved_only}
    unapproved = {key for key, (_value, approved) in loaded.items() if not approved}
    warnings = warnings_from(values, [c.indicator for c in columns], ids, period)
    with_target = [c.indicator.pk for c in columns
                   if c.indicator.kind == Kind.FLOW and c.indicator.has_target]
    targets = target_map(with_target, all_ids, periods.year) if with_target and all_ids else {}
    tolerance = Decimal(str(settings.GROWTH_TOLERANCE_PP))

    rows = [Row(unit=u) for u in units]
    summary: dict[str, SummaryCell] = {}
    for column in columns:
        figures = _Figures(column, values)
        code = column.indicator.code
        ind = column.indicator
        for row in rows:
            cell = _cell(figures, row.unit.pk, periods, targets, tolerance)
            cell.approved = not any((i.pk, row.unit.pk, period) in unapproved
                                    for i in (ind, column.reported_growth) if i is not None)
            cell.warnings = [message(w, ind) for w in warnings.get((ind.pk, row.unit.pk), ())]
            row.cells[code] = cell
        summary[code] = _summary(figures, ids, parent, periods, targets)
        _rank(figures, rows, ids, periods, summary[code].basis)

    for row in rows:
        row.visible = scope.contains(row.unit) or row.unit.level in CITY_LEVELS
        if not row.visible:
            for cell in row.cells.values():
                _hide(cell)
    return ComparisonTable(period, tier, columns, rows, parent, summary, approved_only)


def _cell(fig: _Figures, unit_id: int, p: _Periods, targets: dict, tolerance: Decimal) -> Cell:
    ind = fig.ind
    value = fig.v(unit_id, p.this)
    cell = Cell(value=value)
    if ind.kind == Kind.LEVEL:
        cell.mom = f.mom(value, fig.v(unit_id, p.prev))
        cell.growth = cell.computed_growth = fig.computed_growth(unit_id, p.this)
        return cell
    growth = fig.growth(unit_id, p.this)
    reported = fig.is_reported(unit_id, p.this)
    cell.pp_change = f.pp_change(growth, fig.comparable_growth(unit_id, p.prev, reported))
    cell.pp_yoy = f.pp_change(growth, fig.comparable_growth(unit_id, p.last_year, reported))
    if ind.kind == Kind.GROWTH:
        if fig.column.flow is not None:
            cell.computed_growth = fig.computed_growth(unit_id, p.this, fig.column.flow)
        if not ind.comparable_price:
            cell.growth_flag = f.growth_gap_flag(value, cell.computed_growth, tolerance)
        return cell
    cell.growth = growth
    cell.computed_growth = fig.computed_growth(unit_id, p.this)
    if ind.kind == Kind.STOCK:
        cell.since_jan = f.since_start_of_year(value, fig.v(unit_id, p.december))
        return cell
    cell.month_value = f.month_value(value, fig.v(unit_id, p.prev), p.month)
    paired = fig.column.reported_growth
    if paired is None or not paired.comparable_price:
        cell.growth_flag = f.growth_gap_flag(growth, cell.computed_growth, tolerance)
    if ind.has_target:
        cell.completion = f.completion_rate(value, targets.get((ind.pk, unit_id)))
        cell.schedule_gap = f.schedule_gap(cell.completion, p.month)
        if cell.schedule_gap is not None:
            cell.behind_schedule = cell.schedule_gap < 0
    return cell


def _summary(fig: _Figures, ids: list[int], parent: OrgUnit | None, p: _Periods,
             targets: dict) -> SummaryCell:
    ind = fig.ind
    parent_id = parent.pk if parent else None
    current = [fig.v(u, p.this) for u in ids]
    additive = ind.kind in (Kind.FLOW, Kind.STOCK)
    cell = SummaryCell(total=f.total(current) if additive else None, average=f.average(current))
    own = fig.v(parent_id, p.this) if parent_id else None
    cell.value = own if own is not None else (cell.total if additive else cell.average)
    if cell.value is not None:
        cell.source = "own" if own is not None else ("total" if additive else "average")

    if ind.kind == Kind.GROWTH:
        cell.basis = cell.value
        return cell
    own_growth = fig.growth(parent_id, p.this) if parent_id else None
    if own_growth is None and additive:
        matched = [(fig.v(u, p.this), fig.v(u, p.last_year)) for u in ids]
        matched = [(a, b) for a, b in matched if a is not None and b is not None]
        own_growth = f.yoy_growth(f.total(a for a, _ in matched), f.total(b for _, b in matched))
    cell.growth = own_growth
    if ind.kind == Kind.FLOW and ind.has_target:
        cell.completion = _summary_completion(fig, ids, parent_id, p, targets)
        cell.schedule_gap = f.schedule_gap(cell.completion, p.month)
    cell.basis = cell.growth if fig.column.basis == "growth" else cell.value
    return cell


def _summary_completion(fig: _Figures, ids: list[int], parent_id: int | None, p: _Periods,
                        targets: dict) -> Decimal | None:
    """The summary row's 完成率: the parent's own figure over its own target, else the
    tier's total over the total of targets, but only when every counted unit has a
    completion of its own (a value and a positive target)."""
    ind = fig.ind
    own, own_target = fig.v(parent_id, p.this), targets.get((ind.pk, parent_id))
    if own is not None and own_target is not None:
        return f.completion_rate(own, own_target)
    counted = [u for u in ids if fig.v(u, p.this) is not None or fig.basis(u, p.this) is not None]
    pairs = [(fig.v(u, p.this), targets.get((ind.pk, u))) for u in counted]
    if not pairs or any(f.completion_rate(a, b) is None for a, b in pairs):
        return None
    return f.completion_rate(f.total(a for a, _ in pairs), f.total(b for _, b in pairs))


def _rank(fig: _Figures, rows: list[Row], ids: list[int], p: _Periods, average) -> None:
    direction = fig.ind.direction
    code = fig.ind.code
    ranks = f.rank({u: fig.published_basis(u, p.this) for u in ids}, direction)
    ties = f.tied(ranks)
    for row in rows:
        u = row.unit.pk
        cell = row.cells[code]
        cell.rank, cell.tied = ranks[u], u in ties
        cell.vs_average = f.vs_average(fig.basis(u, p.this), average)
    for earlier, attribute in ((p.prev, "rank_change"), (p.last_year, "rank_change_year")):
        before = f.rank({u: fig.published_basis(u, earlier) for u in ids}, direction)
        for row in rows:
            u = row.unit.pk
            alike = fig.basis_is_reported(u, earlier) == fig.basis_is_reported(u, p.this)
            change = f.rank_change(before[u], ranks[u]) if alike else None
            setattr(row.cells[code], attribute, change)


def _hide(cell: Cell) -> None:
    for item in fields(cell):
        if item.name not in RANK_FIELDS:
            empty = item.default_factory() if item.default is MISSING else item.default
            setattr(cell, item.name, empty)
    cell.hidden = True
