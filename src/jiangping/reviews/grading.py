"""A unit's grade and its year's result (等次与综合得分): grade bands with the veto's cap,
and scores of months, quarters and the year end combined by weight. Pure Python, no Django
import; the scheme (:mod:`jiangping.reviews.scheme`) gives the bands and the weights."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from jiangping.core.numbers import round_half_up
from jiangping.indicators.formulas import rank as rank_values

ZERO = Decimal(0)


@dataclass(frozen=True)
class Band:
    """A grade band (等次): ``label`` from ``minimum`` points up (以上含本数)."""

    label: str
    minimum: Decimal


@dataclass(frozen=True)
class Grading:
    """Grade bands, best first, and the grades a veto (一票否决) caps at: a vetoed unit gets
    at most ``veto_cap`` (``None``: the lowest band)."""

    bands: tuple[Band, ...]
    veto_cap: str | None = None
    labels: tuple[str, ...] = field(default=())

    def grade(self, total: Decimal, vetoed: bool = False) -> str:
        """The grade of ``total`` points; with a veto, no better than ``veto_cap``."""
        ordered = sorted(self.bands, key=lambda b: b.minimum, reverse=True)
        earned = next((b.label for b in ordered if total >= b.minimum), ordered[-1].label)
        if not vetoed:
            return earned
        cap = self.veto_cap or ordered[-1].label
        names = [b.label for b in ordered]
        return names[max(names.index(earned), names.index(cap))]


def combine(parts: Sequence[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """A result combined from periods by weight (月度、季度、年终按权重合成): Σ wᵢ·sᵢ ÷ Σ wᵢ
    over the parts that have a score; ``None`` when none has. Weights are any positive
    numbers (30/30/40 or 0.3/0.3/0.4)."""
    scored = [(Decimal(w), s) for w, s in parts if s is not None]
    weight = sum((w for w, _s in scored), ZERO)
    if not scored or weight <= 0:
        return None
    return sum((w * s for w, s in scored), ZERO) / weight


# The parts of a year (期别) a scheme's ``[periods]`` may weigh, and the months each draws on:
# the monthly reviews, the quarters' (the review of each quarter's last month, on figures
# cumulative to the quarter's end) and the year end's (December's, on the whole year).
PERIODS = ("month", "quarter", "year_end")
QUARTER_ENDS = (3, 6, 9, 12)
YEAR_END = 12
DEFAULT_WEIGHTS = {"month": Decimal(1)}


@dataclass(frozen=True)
class MonthScore:
    """One unit in one published month (月度讲评): its total, its group, and whether it was
    vetoed (一票否决) or left out of the month's ranking (不参与排名)."""

    score: Decimal
    group: str
    vetoed: bool = False
    excluded: bool = False


@dataclass
class YearUnit:
    """One unit's year (年度综合得分): the combined score (``None`` without any month used),
    each part's score (``month``: the average of the months used, ``quarter``: of the
    quarter-end months used, ``year_end``: December's), the months used, the months missing
    with why, rank within its group (ties share), grade, and the vetoed months."""

    unit: object
    group: str
    score: Decimal | None
    parts: dict[str, Decimal | None]
    used: list[int]
    missing: list[tuple[int, str]]
    veto_months: list[int]
    rank: int | None = None
    tied: bool = False
    grade: str = ""

    @property
    def vetoed(self) -> bool:
        return bool(self.veto_months)


UNPUBLISHED = "unpublished"  # no published review of the month
ABSENT = "absent"  # the month's review did not include the unit
EXCLUDED = "excluded"  # the unit was left out of the month's ranking (missing data)


def _average(scores: Sequence[Decimal], places: int) -> Decimal | None:
    if not scores:
        return None
    return round_half_up(sum(scores, ZERO) / len(scores), places)


def combine_year(units: Sequence[object], months: Mapping[int, Mapping[object, MonthScore]],
                 weights: Mapping[str, Decimal], grading: Grading, places: int = 2
                 ) -> list[YearUnit]:
    """The year's result of ``units`` (keys) from the published months ``months`` (month
    1–12 → unit → :class:`MonthScore`) by the scheme's ``weights`` (``[periods]``: ``month``,
    ``quarter``, ``year_end``; empty: the average of the months).

    Rules (docs/schemes.md, "The year's result"): a month counts for a unit when it was
    published, held the unit and ranked it; any other month is missing and counts for
    nothing — neither zero nor a guess: each part averages the months it has, and a part
    without any month drops out, its weight shared by the others in proportion
    (:func:`combine`). Each part is rounded half up to ``places``, then the combination. A
    veto in any month used vetoes the year (the grade capped). Ranks are within the group
    of the unit's last month used, ties sharing. Returns the units in the order given."""
    weights = dict(weights) or DEFAULT_WEIGHTS
    out = []
    for key in units:
        used, missing, vetoed, group = [], [], [], ""
        for month in range(1, 13):
            published = months.get(month)
            entry = published.get(key) if published is not None else None
            if published is None:
                missing.append((month, UNPUBLISHED))
            elif entry is None:
                missing.append((month, ABSENT))
            elif entry.excluded:
                missing.append((month, EXCLUDED))
            else:
                used.append(month)
                group = entry.group
                if entry.vetoed:
                    vetoed.append(month)
        scores = {m: months[m][key].score for m in used}
        parts = {
            "month": _average(list(scores.values()), places),
            "quarter": _average([scores[m] for m in QUARTER_ENDS if m in scores], places),
            "year_end": scores.get(YEAR_END),
        }
        parts = {name: parts[name] for name in PERIODS if name in weights}
        combined = combine([(weights[name], parts[name]) for name in parts])
        total = None if combined is None else round_half_up(combined, places)
        out.append(YearUnit(key, group, total, parts, used, missing, vetoed))
    groups: dict[str, list[YearUnit]] = {}
    for result in out:
        if result.score is not None:
            groups.setdefault(result.group, []).append(result)
    for members in groups.values():
        ranks = rank_values({r.unit: r.score for r in members})
        for r in members:
            r.rank = ranks[r.unit]
            r.tied = sum(1 for x in members if ranks[x.unit] == r.rank) > 1
            r.grade = grading.grade(r.score, r.vetoed)
    return out
