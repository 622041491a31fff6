"""Gap analysis (找差距): where each unit lost points, and what would lift it one place.

For every unit of a group: the points lost on each item against full marks and against the
best unit of the group, and for each item the smallest improvement of that item's metric
alone that would move the unit up at least one place (a tie counts: 并列 is a place up),
found by re-scoring the item — the whole group for relative methods, whose other units'
points move too — never guessed from a formula. The improvement is a whole multiple of
the metric's resolution (one unit of its last decimal) and is checked by a final re-score.

Pure Python: works on the engine's :class:`~jiangping.reviews.engine.Result` in place.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from decimal import ROUND_CEILING, Decimal

from jiangping.reviews.engine import Inputs, Result, UnitResult, item_points
from jiangping.reviews.methods import METHODS, Entry, fmt, quiet
from jiangping.reviews.scheme import Item, Scheme

RELATIVE = {name for name, spec in METHODS.items() if spec.relative}
ONE = Decimal(1)
DOUBLINGS = 40


def unit_word(unit: str) -> str:
    """How an amount of the metric's unit is said after 提高/降低: ``%`` → 个百分点."""
    return "个百分点" if unit in ("%", "百分点") else unit


def analyse(scheme: Scheme, result: Result, keys: Sequence[Hashable], inputs: Inputs,
            directions: Mapping[str, str], measures: Mapping[str, tuple[str, int]]) -> None:
    """Fill ``gap`` of the group's units: ``{"lost": [{"item", "name", "points", "full",
    "vs_full", "vs_best"}], "move_up": [{"item", "name", "value", "needed", "change",
    "phrase"}]}``, ``move_up`` easiest first (the smallest share of the gap to the best
    unit's value), empty for the first place or when no single item can do it."""
    by_key = {r.unit: r for r in result.units}
    members = {k: by_key[k] for k in keys}
    # The group's best points on each item, once for all its units.
    columns = zip(*(m.items for m in members.values()), strict=True)
    best = [max(score.points for score in column) for column in columns]
    for r in members.values():
        r.gap = {"lost": _lost(scheme, r, best), "move_up": []}
    ranked = [r for r in members.values() if r.rank is not None]
    for r in ranked:
        if r.rank == 1:
            continue
        moves = []
        for item in scheme.items:
            if item.kind == "veto":
                continue
            move = _move_up(scheme, item, r, members, inputs, directions, measures)
            if move:
                moves.append(move)
        r.gap["move_up"] = sorted(moves, key=lambda m: (m["effort"], m["item"]))
        for move in r.gap["move_up"]:
            move.pop("effort")


def _lost(scheme: Scheme, r: UnitResult, best: Sequence[Decimal]) -> list[dict]:
    out = []
    for index, score in enumerate(r.items):
        item = scheme.item(score.item)
        if item.kind != "score":
            continue
        full = item.weight * r.scale
        out.append({
            "item": item.code, "name": item.name, "points": score.points, "full": full,
            "vs_full": full - score.points, "vs_best": best[index] - score.points,
        })
    return out


def _move_up(scheme: Scheme, item: Item, r: UnitResult, members: Mapping[Hashable, UnitResult],
             inputs: Inputs, directions: Mapping[str, str],
             measures: Mapping[str, tuple[str, int]]) -> dict | None:
    entry = inputs[item.code].get(r.unit, Entry(None))
    if entry.value is None or entry.things is not None:
        return None
    direction = directions.get(item.metric, "higher")
    unit, places = measures.get(item.metric, ("", 2))
    step = Decimal(1).scaleb(-places)
    sign = -1 if direction == "lower" else 1
    codes = [s.item for s in r.items]
    index = codes.index(item.code)
    entries = {k: inputs[item.code].get(k, Entry(None)) for k in members}
    # Re-weighting of missing items scales score items only.
    factor = {k: (m.reweight if item.kind == "score" else ONE) for k, m in members.items()}
    current = {k: m.items[index].points for k, m in members.items()}
    base = {k: m.score - current[k] * factor[k] for k, m in members.items()}
    ranked = [k for k, m in members.items() if m.rank is not None and k != r.unit]
    gated = [(other, codes.index(other.code)) for other in scheme.items
             if other.gate is not None and other.gate.item == item.code and other.code in codes]

    def own_total(changed: Entry, points: Decimal) -> Decimal:
        total = base[r.unit] + points * factor[r.unit]
        if gated:
            # A bonus or deduction gated on this item (加分以完成本项目标为前提) moves too.
            now = {**inputs, item.code: {**inputs[item.code], r.unit: changed}}
            for other, at in gated:
                own = {r.unit: inputs[other.code].get(r.unit, Entry(None))}
                extra = item_points(scheme, other, own, now, directions, r.scale)[r.unit][0]
                total += extra - r.items[at].points
        return total

    if item.method in RELATIVE:
        def moves(n: int) -> bool:
            changed = Entry(entry.value + sign * step * n, entry.target)
            scored = item_points(scheme, item, {**entries, r.unit: changed}, inputs,
                                 directions, r.scale)
            mine = own_total(changed, scored[r.unit][0])
            above = sum(1 for k in ranked if base[k] + scored[k][0] * factor[k] > mine)
            return above + 1 < r.rank

    else:
        # Only this unit's points move: it must reach the total of the unit one place up.
        others = sorted((members[k].score for k in ranked), reverse=True)
        threshold = others[r.rank - 2]

        def moves(n: int) -> bool:
            value = entry.value + sign * step * n
            if item.method == "count" and value < 0:
                return False
            changed = Entry(value, entry.target)
            points = item_points(scheme, item, {r.unit: changed}, inputs, directions,
                                 r.scale)[r.unit][0]
            return own_total(changed, points) >= threshold

    with quiet():
        if item.method == "rank":
            # Points by rank change only where the unit ties or passes another.
            gaps = {abs(e.value - entry.value) for e in entries.values()
                    if e.value is not None and (e.value - entry.value) * sign >= 0}
            steps = sorted({n for gap in gaps
                            for n in (int((gap / step).to_integral_value(ROUND_CEILING)),)
                            for n in (n, n + 1) if n > 0})
            high = _first(moves, steps)
        else:
            high = _smallest(moves, 2 ** DOUBLINGS)
    if high is None:
        return None
    change = step * high
    needed = entry.value + sign * change
    best = _best_value(entries, direction)
    spread = abs(best - entry.value) if best is not None else Decimal(0)
    verb = "降低" if direction == "lower" else "提高"
    return {
        "item": item.code, "name": item.name, "value": entry.value, "needed": needed,
        "change": change,
        "phrase": f"{item.name}再{verb}{fmt(change, places)}{unit_word(unit)}即可前移1位",
        "effort": change / spread if spread else change,
    }


def _first(moves, candidates: list[int]) -> int | None:
    """The first of the ascending ``candidates`` with ``moves`` true (monotone), by halving;
    ``None`` when none is."""
    if not candidates or not moves(candidates[-1]):
        return None
    low, high = -1, len(candidates) - 1
    while high - low > 1:
        middle = (low + high) // 2
        if moves(candidates[middle]):
            high = middle
        else:
            low = middle
    return candidates[high]


def _smallest(moves, limit: int) -> int | None:
    """The smallest ``n`` in 1…``limit`` with ``moves(n)`` (monotone: once true, true for
    every larger ``n``), by doubling then halving; ``None`` when ``moves(limit)`` fails."""
    if not moves(limit):
        return None
    high = 1
    while not moves(high):
        if high >= limit:
            return None
        high = min(high * 2, limit)
    low = high // 2 if high > 1 else 0
    while high - low > 1:
        middle = (low + high) // 2
        if moves(middle):
            high = middle
        else:
            low = middle
    return high


def _best_value(entries: Mapping[Hashable, Entry], direction: str) -> Decimal | None:
    values = [e.value for e in entries.values() if e.value is not None]
    if not values:
        return None
    return min(values) if direction == "lower" else max(values)
