"""Plausibility checks of one reported figure (数据合理性提示): pure, no Django import.

Warnings, never refusals: a figure that trips one is saved, approved and ranked as
usual, and shown with its warning at entry, in the approval queue and on the
comparison page. This is the small first part of the quality engine (DESIGN §6); it is
kept apart so that it can move to the ``quality`` app as its first rules.

The checks (codes in :data:`CODES`):

* ``falling`` — a cumulative flow (累计) below last month's within the same year: a
  year-to-date total never decreases (not checked in January, when it restarts);
* ``jump_month`` — the figure more than ``month_ratio`` times last month's, or less
  than ``1 / month_ratio`` of it (flows, balances and levels, both figures positive; a
  flow's January is not compared with December); for a growth rate, a change of more
  than ``growth_pp`` percentage points from last month;
* ``jump_year`` — the same against the same month of last year with ``year_ratio``;
* ``growth_gap`` — a reported growth rate and the growth computed from the cumulative
  figures differ by more than ``tolerance_pp`` percentage points (not for a growth at
  comparable prices, 可比价, which differs from the nominal one by nature).

The bounds come from the settings ``JIANGPING_JUMP_MONTH_RATIO`` (default 3),
``JIANGPING_JUMP_YEAR_RATIO`` (3), ``JIANGPING_JUMP_GROWTH_PP`` (20) and
``JIANGPING_GROWTH_TOLERANCE_PP`` (0.5), documented in ``docs/quality.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jiangping.indicators.formulas import growth_gap_flag, pp_change

FLOW, GROWTH, STOCK, LEVEL = "flow", "growth", "stock", "level"
CODES = ("falling", "jump_month", "jump_year", "growth_gap")


@dataclass(frozen=True)
class Bounds:
    month_ratio: Decimal = Decimal(3)
    year_ratio: Decimal = Decimal(3)
    growth_pp: Decimal = Decimal(20)
    tolerance_pp: Decimal = Decimal("0.5")


@dataclass(frozen=True)
class Warning:
    """One warning: its code and the figures it rests on (``value`` is the checked figure,
    ``other`` the one it is compared with, ``bound`` the bound it broke)."""

    code: str
    value: Decimal
    other: Decimal
    bound: Decimal


@dataclass(frozen=True)
class Figure:
    """What the checks need of one figure: its indicator's kind, the month (1–12), the
    figure, last month's, the same month's of last year, and for a growth rate the
    growth computed from its flow and whether it is at comparable prices."""

    kind: str
    month: int
    value: Decimal
    previous: Decimal | None = None
    last_year: Decimal | None = None
    computed_growth: Decimal | None = None
    comparable_price: bool = False


def _ratio_warning(code: str, value: Decimal, base: Decimal | None, bound: Decimal):
    if base is None or value <= 0 or base <= 0 or bound <= 1:
        return None
    if value > base * bound or value * bound < base:
        return Warning(code, value, base, bound)
    return None


def check(figure: Figure, bounds: Bounds = Bounds()) -> list[Warning]:
    """Every warning ``figure`` trips, in the order of :data:`CODES`."""
    found: list[Warning | None] = []
    value, kind = figure.value, figure.kind
    falling = (kind == FLOW and figure.month > 1 and figure.previous is not None
               and value < figure.previous)
    if falling:
        found.append(Warning("falling", value, figure.previous, Decimal(0)))
    if kind == GROWTH:
        change = pp_change(value, figure.previous)
        if change is not None and abs(change) > bounds.growth_pp:
            found.append(Warning("jump_month", value, figure.previous, bounds.growth_pp))
        change = pp_change(value, figure.last_year)
        if change is not None and abs(change) > bounds.growth_pp:
            found.append(Warning("jump_year", value, figure.last_year, bounds.growth_pp))
        if not figure.comparable_price and growth_gap_flag(
                value, figure.computed_growth, bounds.tolerance_pp):
            found.append(Warning("growth_gap", value, figure.computed_growth,
                                 bounds.tolerance_pp))
    else:
        if not falling and not (kind == FLOW and figure.month == 1):
            found.append(_ratio_warning("jump_month", value, figure.previous,
                                        bounds.month_ratio))
        found.append(_ratio_warning("jump_year", value, figure.last_year, bounds.year_ratio))
    return [w for w in found if w is not None]


# --- charts with one extreme value ---------------------------------------------------
FAR_OUT = 3.0  # Tukey's far-out fence: beyond 3 interquartile ranges of the quartiles
HEADROOM = 0.15


def _quartile(ordered: list[float], q: float) -> float:
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def axis_bounds(values: list[float]) -> dict[str, float | None] | None:
    """Where a ranking chart's value axis stops so that an extreme value does not flatten
    every other bar: ``{"min": …, "max": …}`` (``None`` on a side that needs no stop), or
    ``None`` when every value lies within the far-out fences (3 interquartile ranges
    beyond the quartiles). The axis then ends a little beyond the most extreme value
    inside the fences; the bars beyond are drawn up to it, marked broken."""
    if len(values) < 4:
        return None
    ordered = sorted(values)
    q1, q3 = _quartile(ordered, 0.25), _quartile(ordered, 0.75)
    reach = FAR_OUT * (q3 - q1)
    inside = [v for v in ordered if q1 - reach <= v <= q3 + reach]
    low, high = inside[0], inside[-1]
    room = max(high - low, abs(high), abs(low)) * HEADROOM or 1.0
    top = high + room if ordered[-1] > q3 + reach else None
    bottom = low - room if ordered[0] < q1 - reach else None
    if top is None and bottom is None:
        return None
    if bottom is None and low >= 0:
        bottom = 0.0
    return {"min": bottom, "max": top}
