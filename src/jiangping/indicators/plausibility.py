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
FAR_OUT = 10.0  # modified z-score beyond which a bar is cut (3.5 flags an outlier; 10 is far)
MAD_SCALE = 1.4826  # the MAD of a normal sample times this estimates its deviation
FLAT_SPREAD = 0.1  # when most bars are equal (MAD 0), a tenth of the median stands in
HEADROOM = 0.15


def _median(ordered: list[float]) -> float:
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def axis_bounds(values: list[float]) -> dict[str, float | None] | None:
    """Where a ranking chart's value axis stops so that an extreme value does not flatten
    every other bar: ``{"min": …, "max": …}`` (``None`` on a side that needs no stop), or
    ``None`` when no value is far out. Far out is a modified z-score (median and median
    absolute deviation, as DESIGN §6 measures outliers) above :data:`FAR_OUT`; the axis
    then ends a little beyond the most extreme value that is not, and the bars beyond
    are drawn up to it, marked broken, their value in the label. At least four bars."""
    if len(values) < 4:
        return None
    ordered = sorted(values)
    median = _median(ordered)
    spread = _median(sorted(abs(v - median) for v in ordered)) * MAD_SCALE
    spread = spread or abs(median) * FLAT_SPREAD
    if not spread:
        return None
    reach = FAR_OUT * spread
    inside = [v for v in ordered if abs(v - median) <= reach]
    # bars grow from zero: the axis keeps zero in view
    low, high = min(inside[0], 0.0), max(inside[-1], 0.0)
    room = (high - low) * HEADROOM or 1.0
    top = high + room if ordered[-1] > high + room else None
    bottom = low - room if ordered[0] < low - room else None
    if top is None and bottom is None:
        return None
    if bottom is None and low >= 0:
        bottom = 0.0
    return {"min": bottom, "max": top}
