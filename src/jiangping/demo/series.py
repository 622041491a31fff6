"""Synthetic monthly series (合成月度数据) for one org unit, without Django.

A series is a list of ``Decimal`` (or ``None``), one item per month from January
of the first year on. Flows are year-to-date totals (1–m月累计) built from
non-negative monthly increments, so they never decrease within a year and start
again in January; reported growths are computed from the stored, rounded
cumulative figures and then perturbed, as published figures are.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from jiangping.demo.catalog import SEASON_AIR, Spec

Series = list  # list[Decimal | None], one item per month

# Common shocks to every unit's growth, by year (宏观年度冲击).
MACRO_SHAPE = {2019: -0.01, 2020: -0.07, 2021: 0.05, 2022: -0.025, 2023: 0.01, 2025: -0.005}
# How far a linked reported growth may stray from the computed one, in percentage points.
LINKED_NOISE_PP = 0.3


@dataclass(frozen=True)
class Profile:
    """What makes one unit's numbers its own: size, trend growth, income, air."""

    size: float  # economy relative to an average county (1.0)
    growth: float  # trend growth per year, e.g. 0.07
    wealth: float  # per-capita income relative to the average
    air: float  # particulate pollution relative to the average


def stream(*key: object) -> random.Random:
    """An independent random stream for one key (seed, unit code, indicator code …).

    Synthetic data only, never security: the point is that the same key gives the
    same numbers whatever else is generated, and in whatever order.
    """
    return random.Random(":".join(str(part) for part in key))  # noqa: S311


def quantum(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def to_decimal(x: float, decimals: int) -> Decimal:
    """Round a simulated amount to the published precision (never a negative zero)."""
    value = Decimal(f"{x:.{decimals}f}")
    return value if value else value.copy_abs()


def macro_effects(rng: random.Random, first_year: int, last_year: int) -> dict[int, float]:
    return {
        year: MACRO_SHAPE.get(year, 0.0) + rng.gauss(0, 0.004)
        for year in range(first_year, last_year + 1)
    }


def flow(spec: Spec, profile: Profile, rng: random.Random, first_year: int, months: int,
         macro: dict[int, float]) -> tuple[Series, dict[int, float]]:
    """A year-to-date flow and the planned annual amount of each year (for targets)."""
    scale = profile.wealth if spec.per_capita else profile.size
    annual = spec.base * scale * rng.uniform(0.8, 1.25)
    trend = (0.065 if spec.per_capita else profile.growth) + rng.gauss(0, 0.015)
    weights = spec.season
    total = sum(weights)
    step = quantum(spec.decimals)
    out: Series = []
    plans: dict[int, float] = {}
    year = first_year
    while len(out) < months:
        if year > first_year:
            annual *= 1 + trend + macro.get(year, 0.0) * (0.3 if spec.per_capita else 1.0) \
                + rng.gauss(0, 0.012)
        plans[year] = annual
        cum = Decimal(0)
        for month in range(12):
            if len(out) == months:
                break
            noise = max(0.05, 1 + rng.gauss(0, spec.volatility))
            increment = to_decimal(annual * weights[month] / total * noise, spec.decimals)
            if month == 0 and increment <= 0:
                increment = step
            cum += increment
            out.append(cum)
        year += 1
    return out, plans


def share(spec: Spec, whole: Series, rng: random.Random) -> Series:
    """A part of a flow (税收收入 within 一般公共预算收入): never more than the whole."""
    ratio = spec.base * rng.uniform(0.88, 1.12)
    out: Series = []
    cum = Decimal(0)
    for t, value in enumerate(whole):
        previous = whole[t - 1] if t % 12 else Decimal(0)
        if t % 12 == 0:
            cum = Decimal(0)
        part = min(0.97, max(0.3, ratio + rng.gauss(0, 0.05)))
        cum += to_decimal(float(value - previous) * part, spec.decimals)
        out.append(cum)
    return out


def stock(spec: Spec, profile: Profile, rng: random.Random, first_year: int, months: int,
          macro: dict[int, float]) -> Series:
    """A month-end balance (余额) growing with the unit's economy."""
    balance = spec.base * profile.size * rng.uniform(0.75, 1.3)
    trend = profile.growth + 0.02 + rng.gauss(0, 0.01)
    out: Series = []
    for t in range(months):
        year = first_year + t // 12
        balance *= 1 + (trend + macro.get(year, 0.0) * 0.5) / 12 + rng.gauss(0, 0.006)
        out.append(to_decimal(balance, spec.decimals))
    return out


def particulates(spec: Spec, profile: Profile, rng: random.Random, months: int) -> Series:
    """Monthly PM10 concentration: heating-season peaks, a steady fall year on year."""
    level = spec.base * profile.air
    out: Series = []
    for t in range(months):
        value = level * 0.955 ** (t // 12) * SEASON_AIR[t % 12] * (1 + rng.gauss(0, 0.07))
        out.append(to_decimal(max(15.0, value), spec.decimals))
    return out


def ratio(spec: Spec, base: Series, rng: random.Random) -> Series:
    """A level that is a fraction of another (PM2.5 against PM10)."""
    own = spec.base * rng.uniform(0.9, 1.1)
    return [
        to_decimal(max(8.0, float(v) * own * (1 + rng.gauss(0, 0.04))), spec.decimals)
        for v in base
    ]


def air_days(spec: Spec, pm10: Series, rng: random.Random) -> Series:
    """Share of days with good air (%): the cleaner the month, the higher."""
    return [
        to_decimal(min(99.5, max(35.0, 100 - (float(v) - 35) * 0.55 + rng.gauss(0, 2))),
                   spec.decimals)
        for v in pm10
    ]


def coverage(spec: Spec, rng: random.Random, months: int) -> Series:
    """A coverage rate (集中供热普及率, %) rising towards a ceiling."""
    start = spec.base * rng.uniform(0.88, 1.12)
    pace = rng.uniform(0.8, 2.0) / 12
    return [
        to_decimal(min(99.5, start + pace * t + rng.gauss(0, 0.15)), spec.decimals)
        for t in range(months)
    ]


def growth(spec: Spec, cumulative: Series, rng: random.Random) -> Series:
    """Reported year-on-year growth of a year-to-date flow (1–m月累计增速, %).

    A linked growth stays within ``LINKED_NOISE_PP`` of the growth computed from the
    stored figures; an unlinked one (real terms, 可比价) sits ``deflator`` points below.
    """
    out: Series = []
    deflators: dict[int, float] = {}
    for t, value in enumerate(cumulative):
        if t < 12 or not cumulative[t - 12]:
            out.append(None)
            continue
        computed = (value / cumulative[t - 12] - 1) * 100
        if spec.linked:
            noise = max(-LINKED_NOISE_PP, min(LINKED_NOISE_PP, rng.gauss(0, 0.12)))
        else:
            year = t // 12
            if year not in deflators:
                deflators[year] = spec.deflator + rng.gauss(0, 0.8)
            noise = rng.gauss(0, 0.4) - deflators[year]
        reported = (computed + to_decimal(noise, 2)).quantize(quantum(spec.decimals))
        out.append(reported if reported else reported.copy_abs())
    return out


def add_up(series: list[Series]) -> Series:
    """Element-wise total (flows and balances of a city are the sum of its units)."""
    return [sum(values, Decimal(0)) for values in zip(*series, strict=True)]


def average(series: list[Series], decimals: int) -> Series:
    """Element-wise mean (levels, rates and per-capita figures of a city)."""
    step = quantum(decimals)
    return [
        (sum(values, Decimal(0)) / len(values)).quantize(step)
        for values in zip(*series, strict=True)
    ]


def spike_flow(cumulative: Series, t: int, factor: float, decimals: int) -> None:
    """Multiply the month-``t`` increment of a flow; later months of the year follow."""
    previous = cumulative[t - 1] if t % 12 else Decimal(0)
    extra = to_decimal(float(cumulative[t] - previous) * (factor - 1), decimals)
    for u in range(t, min(len(cumulative), (t // 12 + 1) * 12)):
        cumulative[u] += extra


def spike_level(series: Series, t: int, factor: float, decimals: int) -> None:
    series[t] = to_decimal(float(series[t]) * factor, decimals)
