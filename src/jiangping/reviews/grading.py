"""A unit's grade and its year's result (等次与综合得分): grade bands with the veto's cap,
and scores of months, quarters and the year end combined by weight. Pure Python, no Django
import; the scheme (:mod:`jiangping.reviews.scheme`) gives the bands and the weights."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

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
