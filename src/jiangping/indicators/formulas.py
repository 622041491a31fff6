"""Indicator arithmetic (指标计算): pure functions over :class:`~decimal.Decimal`.

Every derived figure of the monthly review is computed here and nowhere else:
当月 from 累计, growth, percentage points, completion and time schedule, and ranks
(their phrasing lives in :mod:`jiangping.core.phrasing`). The module imports nothing
from Django, so it tests in microseconds and the same arithmetic serves the web pages, the
API, the assessment and the bulletin.

Conventions: results are ``Decimal`` (never ``float``); ``None`` means "cannot be
computed" (a missing value, a zero base) and propagates; percentages are on the
0–100 scale; percentage-point differences are plain differences of percentages.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

from jiangping.core.numbers import HIGHER, LOWER

K = TypeVar("K", bound=Hashable)
Number = Decimal | int

HUNDRED = Decimal(100)
MONTHS = Decimal(12)

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _dec(value: Number | None) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(value)


# --- periods -----------------------------------------------------------------
def parse_period(period: str) -> tuple[int, int]:
    """Split a period (期间) ``YYYY-MM`` into ``(year, month)``; ``ValueError`` if malformed."""
    match = _PERIOD.match(period or "")
    if not match:
        raise ValueError(f"period must be YYYY-MM, got {period!r}")
    return int(match.group(1)), int(match.group(2))


def format_period(year: int, month: int) -> str:
    """The period (期间) string ``YYYY-MM`` of a year and month."""
    return f"{year:04d}-{month:02d}"


def shift_period(period: str, months: int) -> str:
    """The period (期间) ``months`` months after ``period`` (negative: before)."""
    year, month = parse_period(period)
    index = year * 12 + (month - 1) + months
    return format_period(index // 12, index % 12 + 1)


def previous_period(period: str) -> str:
    """The previous month (上月); January's is December of the previous year."""
    return shift_period(period, -1)


def same_period_last_year(period: str) -> str:
    """The same month of the previous year (上年同期)."""
    return shift_period(period, -12)


def december_of_last_year(period: str) -> str:
    """December of the previous year (上年末), the base of 较年初."""
    year, _ = parse_period(period)
    return format_period(year - 1, 12)


# --- flows, growth, points ---------------------------------------------------
def month_value(cum_m: Number | None, cum_prev: Number | None, month: int) -> Decimal | None:
    """当月 (this month) of a cumulative flow: 累计(m) − 累计(m−1); in January 累计(1)."""
    if cum_m is None:
        return None
    if month == 1:
        return _dec(cum_m)
    if cum_prev is None:
        return None
    return _dec(cum_m) - _dec(cum_prev)


def month_values(cumulative: Sequence[Number | None]) -> list[Decimal | None]:
    """当月 values of a year from its 累计 series (January first)."""
    result: list[Decimal | None] = []
    previous: Number | None = None
    for index, cum in enumerate(cumulative, start=1):
        result.append(month_value(cum, previous, index))
        previous = cum
    return result


def ratio_percent(numerator: Number | None, denominator: Number | None) -> Decimal | None:
    """numerator / denominator × 100 (比率); ``None`` when either is missing or the base is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return _dec(numerator) / _dec(denominator) * HUNDRED


def yoy_growth(current: Number | None, last_year: Number | None) -> Decimal | None:
    """Computed year-on-year growth (同比增长) in %: (current / last year − 1) × 100.

    ``None`` when the base is missing, zero or negative: growth over a negative base
    has no meaning.
    """
    if last_year is None or current is None or last_year <= 0:
        return None
    return (_dec(current) / _dec(last_year) - 1) * HUNDRED


def mom(current: Number | None, previous: Number | None) -> Decimal | None:
    """Month-on-month change (环比) in %: (v(m) / v(m−1) − 1) × 100."""
    return yoy_growth(current, previous)


def pp_change(current: Number | None, previous: Number | None) -> Decimal | None:
    """Percentage-point change (百分点变化) of a rate: current − previous."""
    if current is None or previous is None:
        return None
    return _dec(current) - _dec(previous)


def since_start_of_year(balance: Number | None, december_balance: Number | None) -> Decimal | None:
    """较年初增减 of a balance: balance(m) − balance(December of last year)."""
    return pp_change(balance, december_balance)


def completion_rate(cumulative: Number | None, target: Number | None) -> Decimal | None:
    """完成率 (completion of the annual target) in %: 累计 / 目标 × 100.

    ``None`` when the target is missing, zero or negative: a share of such a target
    has no meaning.
    """
    if target is None or target <= 0:
        return None
    return ratio_percent(cumulative, target)


def time_schedule(month: int) -> Decimal:
    """序时进度 (time schedule) in %: m / 12 × 100."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    return Decimal(month) / MONTHS * HUNDRED


def schedule_gap(completion: Number | None, month: int) -> Decimal | None:
    """超/欠序时进度 in percentage points: 完成率 − m/12 (negative: behind schedule)."""
    if completion is None:
        return None
    return _dec(completion) - time_schedule(month)


def average(values: Iterable[Number | None]) -> Decimal | None:
    """The arithmetic mean (平均值) of the values present; ``None`` if there are none."""
    present = [_dec(v) for v in values if v is not None]
    if not present:
        return None
    return sum(present, Decimal(0)) / len(present)


def total(values: Iterable[Number | None]) -> Decimal | None:
    """The sum (合计) of the values present; ``None`` if there are none."""
    present = [_dec(v) for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def vs_average(value: Number | None, mean: Number | None) -> Decimal | None:
    """高于/低于平均 in percentage points (or the indicator's unit): value − average."""
    return pp_change(value, mean)


def growth_gap_flag(
    reported: Number | None, computed: Number | None, tolerance_pp: Number
) -> bool:
    """增速差异: True when reported and computed growth differ by more than the tolerance."""
    if reported is None or computed is None:
        return False
    return abs(_dec(reported) - _dec(computed)) > _dec(tolerance_pp)


# --- ranks -------------------------------------------------------------------
def rank_order(values: Mapping[K, Number | None], direction: str = HIGHER) -> list[K]:
    """Keys in rank order (位次顺序): best first by ``direction``; missing values last.

    Equal values keep their input order, so callers list units in their sort order.
    """
    present = [k for k, v in values.items() if v is not None]
    missing = [k for k, v in values.items() if v is None]
    present.sort(key=lambda k: values[k], reverse=direction != LOWER)
    return present + missing


def rank(values: Mapping[K, Number | None], direction: str = HIGHER) -> dict[K, int | None]:
    """位次 with ties sharing a rank (competition ranking 1, 2, 2, 4).

    ``direction`` is ``"higher"`` (higher is better) or ``"lower"``. Keys without a
    value are unranked (``None``).
    """
    result: dict[K, int | None] = {}
    previous: Number | None = None
    current_rank = 0
    for position, key in enumerate(rank_order(values, direction), start=1):
        value = values[key]
        if value is None:
            result[key] = None
            continue
        if previous is None or value != previous:
            current_rank = position
        result[key] = current_rank
        previous = value
    return result


def tied(ranks: Mapping[K, int | None]) -> set[K]:
    """Keys that share their rank with another key (并列)."""
    counts: dict[int, int] = {}
    for r in ranks.values():
        if r is not None:
            counts[r] = counts.get(r, 0) + 1
    return {k for k, r in ranks.items() if r is not None and counts[r] > 1}


def rank_change(previous_rank: int | None, current_rank: int | None) -> int | None:
    """位次变化: positive when the unit moved up (前移), negative when it fell (后退)."""
    if previous_rank is None or current_rank is None:
        return None
    return previous_rank - current_rank
