"""The month's review (月度讲评) computed from a scheme and the inputs: pure Python.

:func:`review` turns a loaded :class:`~jiangping.reviews.scheme.Scheme`, the units with their
ranking groups and each item's inputs into every unit's total, item scores with
explanations, rank within its group (ties share, 并列), rank change, grade (veto applied)
and the lists the scheme defines (red and black lists, flags, speakers, escalation). The
caller (``reviews.services``) fetches the metrics; this module only computes, so a month
can be re-scored from its frozen inputs and gives the same result.

Rules, as schemes word them (docs/schemes.md):
- relative methods (rank, scaled, efficacy) compare the units of one group (分组考核);
- each item's points are rounded half up to the scheme's ``places`` and the total is the sum
  of the rounded items (as offices add them up), scaled to the group's own full marks;
- a unit missing an item's data gets, by the item's ``missing`` rule: ``zero`` — 0 points;
  ``reweight`` — its other score items are scaled up to the full total; ``exclude`` — it is
  scored but not ranked this month (不参与排名);
- the lists (red and black lists, flags, speakers, escalation) are drawn per group, from
  the groups ranked in the overall ranking (a functional zone scored apart is on none);
- bonus (加分) and deduction (扣分) items are capped at their weight and may be gated by a
  condition on another item (``when = "met:fai"``); a veto (一票否决) caps the grade and
  removes the unit from the red list and the red flag.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from jiangping.core.numbers import round_half_up
from jiangping.indicators.formulas import rank as rank_values
from jiangping.reviews.methods import METHODS, Entry, Scored, fmt
from jiangping.reviews.scheme import Item, Scheme

ZERO = Decimal(0)
ALL = "全部"


@dataclass(frozen=True)
class Unit:
    """A unit under review: its key (the org unit's id), name and group (分组)."""

    key: Hashable
    name: str
    group: str = ALL


@dataclass
class ItemScore:
    """One item of one unit: the value scored, its target, the points (signed: deductions
    are negative) and the explanation."""

    item: str
    value: Decimal | None
    target: Decimal | None
    points: Decimal
    explain: str
    rank: int | None = None
    missing: bool = False


@dataclass
class UnitResult:
    """One unit's result for the month (JSON keys of DESIGN §13 ``review``)."""

    unit: Hashable
    name: str
    group: str
    score: Decimal
    rank: int | None
    tied: bool
    rank_change: int | None
    grade: str
    vetoed: bool
    items: list[ItemScore]
    excluded: bool = False
    veto_reasons: list[str] = field(default_factory=list)
    gap: dict = field(default_factory=dict)
    scale: Decimal = Decimal(1)  # the group's full marks over the scheme's
    reweight: Decimal = Decimal(1)  # score items scaled up for re-weighted missing items


@dataclass
class Result:
    """The month's review: units in group then rank order, and the lists by rule."""

    units: list[UnitResult]
    lists: dict[str, list[Hashable]]

    def unit(self, key: Hashable) -> UnitResult:
        return next(u for u in self.units if u.unit == key)


Inputs = Mapping[str, Mapping[Hashable, Entry]]


def with_targets(scheme: Scheme, units: Sequence[Unit], inputs: Inputs) -> Inputs:
    """``inputs`` with every item's fixed target (``target = 100`` in the scheme) given to
    each unit that has none, and an empty entry for a unit without one."""
    out = {}
    for item in scheme.items:
        given = inputs.get(item.code)
        if given is None:
            raise KeyError(item.code)
        fixed = item.target if isinstance(item.target, Decimal) else None
        out[item.code] = {
            u.key: (Entry(e.value, fixed, e.things) if fixed is not None and e.target is None
                    else e)
            for u in units for e in [given.get(u.key, Entry(None))]
        }
    return out


def group_of(scheme: Scheme, name: str, code: str = "") -> str:
    """The group a unit (by name or code) belongs to in ``scheme``; ``全部`` without groups,
    ``""`` when the scheme has groups and names the unit in none (it is not reviewed)."""
    if not scheme.groups:
        return ALL
    for group in scheme.groups:
        if name in group.units or (code and code in group.units):
            return group.name
    return ""


def score_item(item: Item, entries: Mapping[Hashable, Entry], directions: Mapping[str, str]
               ) -> dict[Hashable, Scored]:
    """The scores of one score/bonus/deduction item for the units of one group."""
    spec = METHODS[item.method]
    return spec.compute(entries, item.params, item.weight, directions.get(item.metric, "higher"))


def _met(item: Item, entry: Entry | None, direction: str) -> bool | None:
    if entry is None or entry.value is None or entry.target is None:
        return None
    return entry.value <= entry.target if direction == "lower" else entry.value >= entry.target


def review(scheme: Scheme, units: Sequence[Unit], inputs: Inputs,
           directions: Mapping[str, str], previous: Mapping[Hashable, int] | None = None,
           exempt: Iterable[Hashable] = (),
           history: Sequence[Mapping[Hashable, tuple[int, int]]] = (),
           measures: Mapping[str, tuple[str, int]] | None = None,
           gaps: bool = True) -> Result:
    """Score and rank ``units`` for one month.

    ``inputs`` maps each item code to each unit's :class:`Entry`; ``directions`` maps metric
    codes to ``"higher"``/``"lower"``; ``previous`` gives last month's rank within the group;
    ``exempt`` are the units the office exempted from the black list (force majeure, 不可抗力);
    ``history`` gives, for the months before, each unit's ``(rank, units in its group)``,
    most recent first, for the escalation rule; ``measures`` maps metric codes to their
    unit and decimals, for the gap analysis's phrases (找差距). Raises ``KeyError`` for an
    item without inputs."""
    previous = previous or {}
    inputs = with_targets(scheme, units, inputs)
    by_group: dict[str, list[Unit]] = {}
    for unit in units:
        by_group.setdefault(unit.group, []).append(unit)
    results: dict[Hashable, UnitResult] = {}
    for group_name, members in by_group.items():
        group = next((g for g in scheme.groups if g.name == group_name), None)
        scale = (group.total / scheme.total) if group and group.total else Decimal(1)
        scored = _score_group(scheme, members, inputs, directions, scale)
        for unit in members:
            results[unit.key] = scored[unit.key]
        _rank_group(scheme, [results[u.key] for u in members], previous)
    ordered = sorted(results.values(), key=lambda r: (
        [u.group for u in units].index(r.group),
        r.rank if r.rank is not None else 10 ** 9, str(r.name)))
    result = Result(ordered, {})
    result.lists = _lists(scheme, result, inputs, directions, set(exempt), history)
    if gaps:
        from jiangping.reviews.gaps import analyse
        for members in by_group.values():
            analyse(scheme, result, [u.key for u in members], inputs, directions,
                    measures or {})
    return result


def _score_group(scheme: Scheme, members: Sequence[Unit], inputs: Inputs,
                 directions: Mapping[str, str], scale: Decimal) -> dict[Hashable, UnitResult]:
    keys = [u.key for u in members]
    per_unit: dict[Hashable, list[ItemScore]] = {k: [] for k in keys}
    missing_weight: dict[Hashable, Decimal] = dict.fromkeys(keys, ZERO)
    excluded: set[Hashable] = set()
    vetoes: dict[Hashable, list[str]] = {k: [] for k in keys}
    for item in scheme.items:
        entries = {k: inputs[item.code].get(k, Entry(None)) for k in keys}
        if item.kind == "veto":
            for k in keys:
                value = entries[k].value
                if item.condition and item.condition.holds(value):
                    vetoes[k].append(f"{item.name}（{fmt(value)}）")
            continue
        for k, (points, explain, missing, place) in item_points(
                scheme, item, entries, inputs, directions, scale).items():
            if missing == "reweight":
                missing_weight[k] += item.weight
            elif missing == "exclude":
                excluded.add(k)
            per_unit[k].append(ItemScore(item.code, entries[k].value, entries[k].target,
                                         points, explain, place, bool(missing)))
    out = {}
    for unit in members:
        k = unit.key
        items = per_unit[k]
        base = sum((i.points for i in items if scheme.item(i.item).kind == "score"), ZERO)
        extra = sum((i.points for i in items if scheme.item(i.item).kind != "score"), ZERO)
        if ZERO < missing_weight[k] < scheme.total:
            base = round_half_up(base * scheme.total / (scheme.total - missing_weight[k]),
                                 scheme.places)
        total = round_half_up(base + extra, scheme.places)
        out[k] = UnitResult(
            unit=k, name=unit.name, group=unit.group, score=total, rank=None, tied=False,
            rank_change=None, grade=scheme.grading.grade(total, bool(vetoes[k])),
            vetoed=bool(vetoes[k]), items=items, excluded=k in excluded,
            veto_reasons=vetoes[k], scale=scale,
            reweight=(scheme.total / (scheme.total - missing_weight[k])
                      if ZERO < missing_weight[k] < scheme.total else Decimal(1)),
        )
    return out


def item_points(scheme: Scheme, item: Item, entries: Mapping[Hashable, Entry], inputs: Inputs,
                directions: Mapping[str, str], scale: Decimal
                ) -> dict[Hashable, tuple[Decimal, str, str, int | None]]:
    """Each unit's points on a score, bonus or deduction item — gate, missing rule, cap,
    group scale and rounding applied, deductions negative — with the explanation and the
    missing rule applied (``""`` when the unit had its data) and the rank it came from."""
    out = {}
    gated = item.kind != "score" and item.gate is not None
    capped = item.kind != "score"
    sign = -1 if item.kind == "deduction" else 1
    exponent = Decimal(1).scaleb(-scheme.places)
    for k, got in score_item(item, entries, directions).items():
        points, explain, missing = got.points, got.explain, ""
        if gated:
            gate_item = scheme.item(item.gate.item) if item.gate.item else None
            gate_entry = inputs[gate_item.code].get(k, Entry(None)) if gate_item else Entry(None)
            passed = gate_item is not None and item.gate.holds(
                gate_entry.value, gate_entry.target, directions.get(gate_item.metric, "higher"))
            if not passed:
                points = ZERO
                explain = f"{explain}；未满足条件（{_gate_words(item, scheme)}），不计分"
        if points is None:
            missing = "zero" if item.kind != "score" else item.missing
            points = ZERO
            explain += {"zero": "，按方案记0分",
                        "reweight": "，该项权重按比例分配到其他计分项",
                        "exclude": "，本月不参与排名"}[missing]
        if capped and points > item.weight:
            points = item.weight
        # 四舍五入 as round_half_up does, inlined: this runs for every unit of every re-score.
        points = (points * scale).quantize(exponent, rounding=ROUND_HALF_UP)
        out[k] = (sign * points, explain, missing, got.rank)
    return out


def _gate_words(item: Item, scheme: Scheme) -> str:
    gate = item.gate
    other = scheme.item(gate.item) if gate.item else None
    name = other.name if other else gate.item
    return f"{name}{'完成目标' if gate.op == 'met' else '未完成目标'}"


def _rank_group(scheme: Scheme, members: list[UnitResult], previous: Mapping[Hashable, int]
                ) -> None:
    ranked = {r.unit: r.score for r in members if not r.excluded}
    ranks = rank_values(ranked)
    counts: dict[int, int] = {}
    for value in ranks.values():
        counts[value] = counts.get(value, 0) + 1
    for r in members:
        r.rank = ranks.get(r.unit)
        r.tied = r.rank is not None and counts[r.rank] > 1
        before = previous.get(r.unit)
        r.rank_change = None if before is None or r.rank is None else before - r.rank


def _lists(scheme: Scheme, result: Result, inputs: Inputs, directions: Mapping[str, str],
           exempt: set, history: Sequence[Mapping[Hashable, tuple[int, int]]]
           ) -> dict[str, list[Hashable]]:
    apart = {g.name for g in scheme.groups if not g.overall}
    groups: dict[str, list[UnitResult]] = {}
    for r in result.units:
        if r.rank is not None and r.group not in apart:
            groups.setdefault(r.group, []).append(r)

    def condition(r: UnitResult, word: str | None) -> bool:
        if not word:
            return True
        op, _sep, code = word.partition(":")
        item = scheme.item(code)
        entry = inputs[code].get(r.unit, Entry(None))
        met = _met(item, entry, directions.get(item.metric, "higher"))
        return met is True if op == "met" else met is False

    lists: dict[str, list[Hashable]] = {}
    for name, rule in scheme.lists.items():
        chosen: list[Hashable] = []
        for members in groups.values():
            size = len(members)
            if "top" in rule:
                chosen += [r.unit for r in members if r.rank <= rule["top"] and not r.vetoed
                           and condition(r, rule.get("require"))]
            elif size <= rule["bottom"] and not rule.get("require"):
                # A group no larger than the list names no one unless a condition
                # tells its members apart: every member, the first included, would be
                # in its "bottom N".
                continue
            elif "bottom" in rule and "months" in rule:
                chosen += [r.unit for r in members if _repeated(r, size, rule, history)]
            elif "bottom" in rule:
                chosen += [r.unit for r in members if r.rank > size - rule["bottom"]
                           and condition(r, rule.get("require"))
                           and not (name == "black" and r.unit in exempt)]
        lists[name] = chosen
    # 流动红旗 to the first of each group (not vetoed), 黄旗 to the last.
    lists["red_flag"] = [r.unit for m in groups.values() for r in m
                         if r.rank == 1 and not r.vetoed]
    lists["yellow_flag"] = [r.unit for m in groups.values() if len(m) > 1
                            for r in m if r.rank == max(x.rank for x in m)]
    return lists


def _repeated(r: UnitResult, size: int, rule: Mapping, history) -> bool:
    """In the bottom ``rule["bottom"]`` this month and in each of the ``months − 1``
    months before (连续N个月排名后N位)."""
    bottom, months = rule["bottom"], rule["months"]
    if r.rank <= size - bottom:
        return False
    if len(history) < months - 1:
        return False
    for month in history[:months - 1]:
        if r.unit not in month:
            return False
        place, group_size = month[r.unit]
        if place <= group_size - bottom:
            return False
    return True
