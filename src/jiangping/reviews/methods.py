"""Scoring methods of an assessment scheme (考核计分方法): pure functions over Decimal.

Every method a published scheme may name lives here, each with the parameters it takes, so
that loading a scheme can refuse an unknown method or a missing parameter before anything is
scored. A method scores one item for the units of one ranking group: it receives each unit's
:class:`Entry` (the metric's value, the target when the item compares with one, the counted
things for per-count items) and returns each unit's :class:`Scored` — points before rounding
and sign, and the explanation with the numbers filled in (Chinese: it is read in the review).

Conventions, from the schemes cities and counties publish:
- points are ``Decimal``; the item's full marks ``full`` is what meeting the target earns;
- percentages are on the 0–100 scale; a completion rate (完成率) is value ÷ target × 100;
- "以上" and "以下" include the number itself (以上含本数): a threshold of 80 keeps 80;
- a unit with no value is not scored here (``missing``): the scheme's missing-data rule, applied
  by the review, decides whether it gets zero, is left out, or the item is re-weighted;
- ``direction`` is ``"higher"`` (more is better) or ``"lower"``; every method is monotone:
  a unit that improves its value in the item's direction never loses points on the item.

No Django import: the methods test in microseconds and are property-tested with hypothesis.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from functools import wraps
from typing import Any, TypeVar

from jiangping.core.numbers import round_half_up
from jiangping.indicators.formulas import HIGHER, LOWER, rank

K = TypeVar("K", bound=Hashable)

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Entry:
    """One unit's input to an item: the metric's ``value`` (``None`` when missing), the
    ``target`` it is compared with (``None`` when the item has none or it is missing), and
    for per-count items the counted things as ``(key, size)`` pairs (a project and its
    amount in 亿元), when the count is not given as ``value`` alone."""

    value: Decimal | None
    target: Decimal | None = None
    things: tuple[tuple[str, Decimal | None], ...] | None = None


@dataclass(frozen=True)
class Scored:
    """An item's result for one unit: ``points`` (``None`` when the unit was not scored),
    the explanation, the rank the points came from (rank methods), and whether the input
    was missing."""

    points: Decimal | None
    explain: str
    rank: int | None = None
    missing: bool = False


@dataclass(frozen=True)
class Param:
    """A method parameter: its kind (``number``, ``bool``, ``choice``, ``bands``), whether a
    scheme must give it, its default, for ``choice`` the allowed words, and for a number
    whether it may be negative (``signed``: a threshold on a difference from the target)."""

    kind: str
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    label: str = ""
    signed: bool = False


@dataclass(frozen=True)
class Method:
    """A scoring method: its scheme name, its Chinese label, its parameters, whether it
    needs a target, the function ``(entries, params, full, direction) -> {unit: Scored}``,
    and whether a unit's points depend on the other units of its group (``relative``: rank,
    best or average, worst and best), which the gap analysis re-scores as a whole."""

    name: str
    label: str
    params: Mapping[str, Param]
    compute: Callable[..., dict]
    needs_target: bool = False
    relative: bool = False
    doc: str = ""


METHODS: dict[str, Method] = {}


def method(name: str, label: str, params: Mapping[str, Param] | None = None, *,
           needs_target: bool = False, relative: bool = False):
    """Register a scoring method under ``name`` (the word a scheme file uses). The function
    is called with every parameter the scheme did not give set to its :class:`Param`
    default, so a parameter's documented default is the one that scores."""
    defaults = {key: param.default for key, param in (params or {}).items()
                if not param.required}

    def register(fn):
        @wraps(fn)
        def compute(entries, given, full, direction=HIGHER):
            return fn(entries, {**defaults, **given}, full, direction)

        METHODS[name] = Method(name, label, dict(params or {}), compute, needs_target, relative,
                               (fn.__doc__ or "").strip())
        return compute

    return register


# --- helpers -------------------------------------------------------------------------
_QUIET: ContextVar[bool] = ContextVar("quiet", default=False)


@contextmanager
def quiet():
    """Score without writing explanations (their numbers are left empty): for re-scoring
    many times over, as the gap analysis does, where only the points matter."""
    token = _QUIET.set(True)
    try:
        yield
    finally:
        _QUIET.reset(token)


def fmt(value: Decimal | int | None, places: int = 2) -> str:
    """A number in an explanation: half-up to ``places`` decimals, trailing zeros dropped
    (``12.50`` → ``12.5``, ``50.00`` → ``50``); ``—`` for ``None``; empty inside
    :func:`quiet`."""
    if _QUIET.get():
        return ""
    if value is None:
        return "—"
    text = f"{round_half_up(Decimal(value), places):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def completion(value: Decimal, target: Decimal, direction: str) -> Decimal:
    """完成率 on the 0–100 scale: value ÷ target × 100, or target ÷ value × 100 when lower is
    better (a value of 0 or below is infinitely better: callers cap it). The caller checks
    that ``target`` is positive."""
    if direction == LOWER:
        return Decimal("Infinity") if value <= 0 else target / value * HUNDRED
    return value / target * HUNDRED


def reduction(value: Decimal, target: Decimal) -> Decimal:
    """完成率 of a lower-is-better figure counted linearly, (2 − value ÷ target) × 100: at
    the target 100, each percent of the target below it one point more, so that steps
    around the target weigh the same on both sides. The caller checks ``target`` > 0."""
    return (2 - value / target) * HUNDRED


def whole_steps(amount: Decimal, step: Decimal) -> Decimal:
    """The number of whole steps of ``step`` in ``amount`` (≥ 0), counted exactly in Decimal:
    (100 − 99.7) ÷ 0.1 is 3 steps, not the 2 that binary floating point gives."""
    if amount <= 0:
        return ZERO
    return (amount / step).to_integral_value(rounding=ROUND_FLOOR)


def _missing(entries: Mapping[K, Entry], needs_target: bool = False) -> dict[K, Scored]:
    out = {}
    for key, entry in entries.items():
        if entry.value is None:
            out[key] = Scored(None, "缺少数据", missing=True)
        elif needs_target and entry.target is None:
            out[key] = Scored(None, "缺少目标值", missing=True)
    return out


def _band_points(position: Decimal, bands: Sequence[Sequence], default: Decimal) -> Decimal:
    """Points of the band ``[from, to, points]`` holding ``position`` (from inclusive, to
    exclusive, ``to`` ``None`` for no upper end); ``default`` when none holds it."""
    for low, high, points in bands:
        if position >= Decimal(low) and (high is None or position < Decimal(high)):
            return Decimal(points)
    return default


# --- methods ---------------------------------------------------------------------------
@method("ratio", "按完成比例计分", {
    "cap": Param("number", default=Decimal(1), label="比例上限（1 即 100%）"),
}, needs_target=True)
def score_ratio(entries: Mapping[K, Entry], params: Mapping[str, Any], full: Decimal,
                direction: str = HIGHER) -> dict[K, Scored]:
    """Ratio with a cap (按比例计分): full × min(value ÷ target, cap), at least 0. Lower is
    better: target ÷ value. A target of zero or below cannot give a ratio: full marks when
    the target is met, 0 when not. Example: "分值=实际/目标×50，最高得50分"."""
    cap = Decimal(params["cap"])
    out = _missing(entries, needs_target=True)
    for key, entry in entries.items():
        if key in out:
            continue
        value, target = entry.value, entry.target
        if target <= 0:
            met = value <= target if direction == LOWER else value >= target
            out[key] = Scored(full if met else ZERO,
                              f"目标值{fmt(target)}不为正，按是否完成计分："
                              f"{'完成' if met else '未完成'}，得{fmt(full if met else ZERO)}分")
            continue
        rate = completion(value, target, direction) / HUNDRED
        used = min(max(rate, ZERO), cap)
        points = full * used
        if rate.is_infinite():
            out[key] = Scored(points, f"实际{fmt(value)}，低于目标且不大于0，按上限"
                                      f"{fmt(cap * HUNDRED)}%计，得{fmt(points)}分")
            continue
        formula = (f"{fmt(target)}÷{fmt(value)}" if direction == LOWER
                   else f"{fmt(value)}÷{fmt(target)}")
        capped = "（封顶）" if rate > cap else ""
        out[key] = Scored(points, f"{formula}={fmt(rate * HUNDRED)}%{capped}，"
                                  f"{fmt(full)}×{fmt(used * HUNDRED)}%={fmt(points)}分")
    return out


@method("step", "按超欠目标步进加减分", {
    "basis": Param("choice", default="rate", choices=("rate", "difference"),
                   label="比较口径：rate 完成率与100%比较，difference 与目标值之差（百分点）"),
    "step": Param("number", default=ONE, label="每档幅度（个百分点）"),
    "bonus": Param("number", default=ZERO, label="每超一档加分"),
    "bonus_cap": Param("number", default=None, label="加分上限"),
    "bonus_bands": Param("bands", default=None, label="分段加分 [[起, 止, 每档加分]]"),
    "deduction": Param("number", default=ZERO, label="每欠一档扣分"),
    "deduction_cap": Param("number", default=None, label="扣分上限（缺省为扣完为止）"),
    "zero_below": Param("number", default=None, label="低于此完成率（%）或差值不得分",
                        signed=True),
    "counting": Param("choice", default="whole", choices=("whole", "exact"),
                      label="whole 只计满档，exact 按比例"),
}, needs_target=True)
def score_step(entries: Mapping[K, Entry], params: Mapping[str, Any], full: Decimal,
               direction: str = HIGHER) -> dict[K, Scored]:
    """Step around the target (超额加分、未完成扣分): full marks at the target; ``bonus`` points
    per ``step`` above it up to ``bonus_cap``, ``deduction`` per ``step`` below it up to
    ``deduction_cap`` (default: down to 0, 扣完为止). With ``basis = "rate"`` the position is
    the completion rate against 100% (lower is better: (2 − value ÷ target) × 100, see
    :func:`reduction`); with ``"difference"`` it is value − target in the
    item's unit (percentage points for a growth rate). ``bonus_bands`` gives piecewise
    bonuses on the same position (completion 100–130% +0.2 per point, above 130% +0.1).
    Below ``zero_below`` (a completion rate, or a difference) the item scores 0. Steps are
    whole unless ``counting = "exact"``.
    Example: "每超1个百分点加0.1分，最多加2分；每低1个百分点扣0.1分，扣完为止"."""
    basis = params["basis"]
    step = Decimal(params["step"])
    bonus, deduction = Decimal(params["bonus"]), Decimal(params["deduction"])
    bonus_cap, deduction_cap = params["bonus_cap"], params["deduction_cap"]
    bands, zero_below = params["bonus_bands"], params["zero_below"]
    exact = params["counting"] != "whole"

    def count(amount: Decimal) -> Decimal:
        if amount <= 0:
            return ZERO
        return amount / step if exact else whole_steps(amount, step)

    out = _missing(entries, needs_target=True)
    for key, entry in entries.items():
        if key in out:
            continue
        value, target = entry.value, entry.target
        if basis == "rate":
            if target <= 0:
                out[key] = Scored(None, f"目标值{fmt(target)}不为正，无法计算完成率", missing=True)
                continue
            position = (reduction(value, target) if direction == LOWER
                        else completion(value, target, direction))
            reference, shown, sign = HUNDRED, f"完成率{fmt(position)}%", "%"
        else:
            position = target - value if direction == LOWER else value - target
            reference, sign = ZERO, ""
            side = "高于" if position >= 0 else "低于"
            if direction == LOWER:
                side = "优于" if position >= 0 else "差于"
            shown = f"实际{fmt(value)}、目标{fmt(target)}，{side}目标{fmt(abs(position))}"
        if zero_below is not None and position < Decimal(zero_below):
            out[key] = Scored(ZERO, f"{shown}，低于{fmt(Decimal(zero_below))}{sign}，不得分")
            continue
        if position >= reference:
            if bands:
                added = ZERO
                for low, high, per in bands:
                    low = Decimal(low)
                    top = position if high is None else min(position, Decimal(high))
                    added += count(top - max(low, reference)) * Decimal(per) if top > low else ZERO
            else:
                added = count(position - reference) * bonus
            if bonus_cap is not None:
                added = min(added, Decimal(bonus_cap))
            points = full + added
            note = f"，加{fmt(added)}分" if added else ""
        else:
            taken = count(reference - position) * deduction
            limit = full if deduction_cap is None else min(Decimal(deduction_cap), full)
            taken = min(taken, limit)
            points = full - taken
            note = f"，扣{fmt(taken)}分" if taken else ""
        out[key] = Scored(points, f"{shown}，基础分{fmt(full)}{note}，得{fmt(points)}分")
    return out


@method("rank", "按名次计分", {
    "per_place": Param("number", default=None, label="每后退一名扣分"),
    "per_place_percent": Param("number", default=None, label="每后退一名扣满分的百分比"),
    "bands": Param("bands", default=None, label="名次分档 [[起名次, 止名次, 分值]]（含两端）"),
    "others": Param("number", default=ZERO, label="分档以外名次的得分"),
    "floor": Param("number", default=ZERO, label="最低得分"),
}, relative=True)
def score_rank(entries: Mapping[K, Entry], params: Mapping[str, Any], full: Decimal,
               direction: str = HIGHER) -> dict[K, Scored]:
    """Rank → score (按名次计分): ranks among the units given, ties sharing a rank (1, 2, 2,
    4); first place full marks and ``per_place`` points (or ``per_place_percent`` % of full)
    less for each place lower, not below ``floor``; or by ``bands`` of places, both ends
    included ("1—3名7分，4—6名5分，7—10名3分"), ``others`` for places in no band."""
    out = _missing(entries)
    present = {k: e.value for k, e in entries.items() if k not in out}
    ranks = rank(present, direction)
    floor = Decimal(params["floor"])
    bands = params["bands"]
    sharing: dict[int, int] = {}
    for place in ranks.values():
        sharing[place] = sharing.get(place, 0) + 1
    if params["per_place_percent"] is not None:
        less = full * Decimal(params["per_place_percent"]) / HUNDRED
    else:
        less = Decimal(params["per_place"] or ZERO)
    quiet_now = _QUIET.get()
    rule = "按名次分档" if bands else f"第1名{fmt(full)}分，每后退1名减{fmt(less)}分"
    for key, place in ranks.items():
        if bands:
            points = Decimal(params["others"])
            for low, high, band_points in bands:
                if int(low) <= place and (high is None or place <= int(high)):
                    points = Decimal(band_points)
                    break
        else:
            points = max(full - less * (place - 1), floor)
        tie = "并列" if sharing[place] > 1 else ""
        out[key] = Scored(points, "" if quiet_now else
                          f"数值{fmt(entries[key].value)}，{tie}第{place}名，{rule}，"
                          f"得{fmt(points)}分", rank=place)
    return out


@method("scaled", "以最优值或平均值为标杆折算", {
    "to": Param("choice", required=True, choices=("best", "average"),
                label="标杆：best 最优值，average 平均值"),
    "cap": Param("number", default=None, label="得分上限（满分的倍数，平均值法常用 1.5）"),
    "floor": Param("number", default=ZERO, label="最低得分"),
}, relative=True)
def score_scaled(entries: Mapping[K, Entry], params: Mapping[str, Any], full: Decimal,
                 direction: str = HIGHER) -> dict[K, Scored]:
    """Scaled to the best or the average (标杆折算): the best value (or the average) earns
    full marks and the others in proportion, value ÷ reference × full (lower is better:
    reference ÷ value, and a value of 0 earns the cap); with ``cap`` (a multiple of full, e.g.
    1.5) and ``floor``. Where a proportion means nothing — a reference of zero or below, a
    negative value, as growth rates can be — the units are placed linearly between the
    worst (floor) and the reference (full)."""
    out = _missing(entries)
    present = {k: e.value for k, e in entries.items() if k not in out}
    if not present:
        return out
    to = params["to"]
    floor = Decimal(params["floor"])
    cap = params["cap"]
    ceiling = full * Decimal(cap) if cap is not None else (full if to == "best" else None)
    values = list(present.values())
    best = min(values) if direction == LOWER else max(values)
    worst = max(values) if direction == LOWER else min(values)
    reference = best if to == "best" else sum(values, ZERO) / len(values)
    name = "最优值" if to == "best" else "平均值"
    # A zero is a proportion too (none of a growth, or no pollution at all against a
    # capped reference); a negative value or reference is not.
    quiet_now = _QUIET.get()
    proportional = reference > 0 and all(v >= 0 for v in values) and (
        direction != LOWER or ceiling is not None or all(v > 0 for v in values))
    for key, value in present.items():
        if proportional:
            if direction == LOWER:
                share = reference / value if value > 0 else ceiling / full
            else:
                share = value / reference
            formula = "" if quiet_now else (
                f"{name}{fmt(reference)}÷{fmt(value)}" if direction == LOWER
                else f"{fmt(value)}÷{name}{fmt(reference)}")
        else:
            span = reference - worst
            share = ONE if span == 0 else (value - worst) / span
            formula = "" if quiet_now else (
                f"（{fmt(value)}−最差值{fmt(worst)}）÷"
                f"（{name}{fmt(reference)}−最差值{fmt(worst)}）")
        points = full * share
        if ceiling is not None:
            points = min(points, ceiling)
        points = max(points, floor)
        out[key] = Scored(points, "" if quiet_now else f"{formula}×{fmt(full)}={fmt(points)}分")
    return out


@method("efficacy", "功效系数法", {
    "base": Param("number", default=Decimal(60), label="基础分（百分制）"),
    "span": Param("number", default=Decimal(40), label="浮动分（百分制）"),
}, relative=True)
def score_efficacy(entries: Mapping[K, Entry], params: Mapping[str, Any], full: Decimal,
                   direction: str = HIGHER) -> dict[K, Scored]:
    """Efficacy coefficient (功效系数法): 60 + 40 × (x − worst) ÷ (best − worst) on a
    100-point scale, then scaled to the item's full marks (× full ÷ 100). All units equal:
    each gets 100, i.e. full marks."""
    base = Decimal(params["base"])
    span = Decimal(params["span"])
    out = _missing(entries)
    present = {k: e.value for k, e in entries.items() if k not in out}
    if not present:
        return out
    best = min(present.values()) if direction == LOWER else max(present.values())
    worst = max(present.values()) if direction == LOWER else min(present.values())
    quiet_now = _QUIET.get()
    for key, value in present.items():
        share = ONE if best == worst else (value - worst) / (best - worst)
        coefficient = base + span * share
        points = coefficient * full / HUNDRED
        out[key] = Scored(points, "" if quiet_now else (
            f"{fmt(base)}+{fmt(span)}×（{fmt(value)}−{fmt(worst)}）÷"
            f"（{fmt(best)}−{fmt(worst)}）={fmt(coefficient)}，×{fmt(full)}÷100={fmt(points)}分"))
    return out


@method("count", "按个数计分", {
    "each": Param("number", default=None, label="每个计分"),
    "bands": Param("bands", default=None, label="按规模分档 [[起, 止, 每个计分]]（起含本数）"),
    "cap": Param("number", default=None, label="得分上限（缺省为满分）"),
    "once": Param("bool", default=True, label="同一事项只计一次"),
})
def score_count(entries: Mapping[K, Entry], params: Mapping[str, Any], full: Decimal,
                direction: str = HIGHER) -> dict[K, Scored]:
    """Points per count (计件): ``each`` points for every counted thing (a project started, a
    signing of 1亿元 and above, an overdue task), or by ``bands`` of size ("1亿元以上每个1分，
    5亿元以上每个2分"), capped at ``cap`` (default full marks). With ``once`` a thing counted
    twice under one key scores once. The direction does not apply: a deduction item takes
    these points off."""
    each = params["each"]
    bands = params["bands"]
    cap = Decimal(params["cap"]) if params["cap"] is not None else full
    once = params["once"]
    out: dict[K, Scored] = {}
    for key, entry in entries.items():
        if entry.things is not None:
            things = list(entry.things)
            if once:
                things = list(dict(things).items())
            if bands:
                raw = sum((_band_points(size, bands, ZERO) for _k, size in things
                           if size is not None), ZERO)
            else:
                raw = Decimal(each or ZERO) * len(things)
            number = Decimal(len(things))
        elif entry.value is None:
            out[key] = Scored(None, "缺少数据", missing=True)
            continue
        else:
            number = entry.value
            raw = Decimal(each or ZERO) * number
        points = min(raw, cap)
        capped = f"（上限{fmt(cap)}分）" if raw > cap else ""
        out[key] = Scored(points, f"{fmt(number)}个，计{fmt(raw)}分{capped}，得{fmt(points)}分")
    return out


@method("bands", "按数值分档计分", {
    "bands": Param("bands", required=True, label="数值分档 [[起, 止, 分值]]（起含本数）"),
    "others": Param("number", default=ZERO, label="不在任何一档的得分"),
})
def score_bands(entries: Mapping[K, Entry], params: Mapping[str, Any], full: Decimal,
                direction: str = HIGHER) -> dict[K, Scored]:
    """Score by bands of the value (按档计分): "完成率100%以上10分，90%—100% 8分"; each band
    ``[from, to, points]`` holds from (included) up to to (excluded, ``None`` for no end).
    Monotone only when the scheme's bands are: loading checks that points follow the
    direction."""
    out = _missing(entries)
    others = Decimal(params["others"])
    for key, entry in entries.items():
        if key in out:
            continue
        points = _band_points(entry.value, params["bands"], others)
        out[key] = Scored(points, f"数值{fmt(entry.value)}，得{fmt(points)}分")
    return out


@method("manual", "人工评分")
def score_manual(entries: Mapping[K, Entry], params: Mapping[str, Any], full: Decimal,
                 direction: str = HIGHER) -> dict[K, Scored]:
    """Scored by hand (人工评分: a leader's evaluation, an inspection result) through the
    ``scores`` import form: the points as entered, kept between 0 and full marks."""
    out = _missing(entries)
    for key, entry in entries.items():
        if key in out:
            continue
        points = min(max(entry.value, ZERO), full)
        note = "" if points == entry.value else f"（录入{fmt(entry.value)}，按0至{fmt(full)}分计）"
        out[key] = Scored(points, f"人工评分{fmt(points)}分{note}")
    return out
