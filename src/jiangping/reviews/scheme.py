"""Assessment schemes (考核方案) read from TOML and checked before anything is scored.

A scheme is data the city office publishes each year: its items, weights, methods, groups,
grade bands and lists (see docs/schemes.md for the file, line by line). :func:`load` parses
one and refuses it with every problem found, each a Chinese message naming the line of the
file: a TOML syntax error, an unknown metric or method, a missing, unknown or contradictory
parameter, weights that do not add up to the stated total, a unit in two groups, a gate or
list naming no item.

Pure Python (``tomllib``): the caller passes the metrics that exist (code → direction), so
the module needs no database and tests in microseconds.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from jiangping.reviews.grading import PERIODS, Band, Grading
from jiangping.reviews.methods import METHODS

KINDS = ("score", "bonus", "deduction", "veto")
MANUAL = "manual"  # the metric of items scored by hand (the ``scores`` import form)
UNIT_KINDS = ("county", "county_city", "district", "zone", "department")
MISSING_RULES = ("zero", "exclude", "reweight")
OPERATORS = (">", ">=", "<", "<=", "==", "!=")
KIND_NAMES = {"score": "计分项", "bonus": "加分项", "deduction": "扣分项", "veto": "否决项"}


class SchemeError(ValueError):
    """A scheme refused: ``problems`` lists ``(line, message)``, line 0 when the file as a
    whole is meant. ``str()`` gives them all, one per line."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = sorted(problems, key=lambda p: p[0])
        super().__init__("\n".join(
            f"第{line}行：{message}" if line else message for line, message in self.problems))


@dataclass(frozen=True)
class Condition:
    """A test on a metric's value (``value > 0``) or on an item's target (``met``/``missed``:
    the item's value reached, or missed, its target)."""

    op: str
    value: Decimal | None = None
    item: str = ""
    metric: str = ""

    def holds(self, value: Decimal | None, target: Decimal | None = None,
              direction: str = "higher") -> bool:
        """Whether the condition holds for ``value`` (``target`` for met/missed); never for a
        missing value."""
        if value is None:
            return False
        if self.op in ("met", "missed"):
            if target is None:
                return False
            met = value <= target if direction == "lower" else value >= target
            return met if self.op == "met" else not met
        other = self.value
        return {
            ">": value > other, ">=": value >= other, "<": value < other,
            "<=": value <= other, "==": value == other, "!=": value != other,
        }[self.op]


@dataclass(frozen=True)
class Item:
    """One item of the scheme (考核指标): how a metric becomes points for each unit."""

    code: str
    name: str
    section: str
    kind: str
    metric: str
    method: str
    weight: Decimal
    params: Mapping[str, Any]
    target: str | Decimal | None = None
    missing: str = "zero"
    gate: Condition | None = None
    condition: Condition | None = None
    line: int = 0


@dataclass(frozen=True)
class Group:
    """A ranking group (分组考核): its units (names or codes, resolved by the review) and/or
    the kinds of unit it holds (``county``, ``county_city``, ``district``, ``zone``,
    ``department``: the org registry's groups), its own full marks, and whether it is
    ranked in the overall ranking."""

    name: str
    units: tuple[str, ...]
    total: Decimal | None = None
    overall: bool = True
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scheme:
    """A loaded assessment scheme (考核方案)."""

    name: str
    year: int
    version: str
    total: Decimal
    places: int
    missing: str
    items: tuple[Item, ...]
    groups: tuple[Group, ...]
    grading: Grading
    lists: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    periods: Mapping[str, Decimal] = field(default_factory=dict)
    text: str = ""

    def item(self, code: str) -> Item:
        return next(i for i in self.items if i.code == code)


class _Lines:
    """Where things are in the file, for messages: the header line of the n-th ``[[items]]``
    or ``[[groups]]`` and the line of a key inside it."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.headers: dict[str, list[int]] = {}
        for number, line in enumerate(self.lines, start=1):
            match = re.match(r"\s*\[\[\s*([\w.]+)\s*\]\]", line)
            if match:
                self.headers.setdefault(match.group(1), []).append(number)

    def table(self, name: str, index: int) -> int:
        found = self.headers.get(name, [])
        return found[index] if index < len(found) else 0

    def key(self, name: str, start: int = 0) -> int:
        """The first line at or after ``start`` that sets ``name`` (``name =``), stopping at
        the next array-of-tables header; ``start`` itself when not found."""
        pattern = re.compile(rf"^\s*\"?{re.escape(name)}\"?\s*=|[{{,]\s*{re.escape(name)}\s*=")
        for number in range(max(start, 1), len(self.lines) + 1):
            line = self.lines[number - 1]
            if number > start and start and re.match(r"\s*\[\[", line):
                break
            if pattern.search(line):
                return number
        return start


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def load(text: str, metrics: Mapping[str, str]) -> Scheme:
    """The scheme in ``text`` (TOML), checked against ``metrics`` (code → direction,
    ``"higher"``/``"lower"``). Raises :class:`SchemeError` with every problem found."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+)", str(exc))
        raise SchemeError([(int(where.group(1)) if where else 0,
                            f"方案文件不是有效的 TOML：{exc}")]) from None
    lines = _Lines(text)
    problems: list[tuple[int, str]] = []

    def refuse(line: int, message: str) -> None:
        problems.append((line, message))

    for key, what in (("name", "名称"), ("year", "年度"), ("total", "总分")):
        if key not in data:
            refuse(0, f"缺少方案的“{key}”（{what}）。")
    total = _decimal(data.get("total", 0))
    if total is None or total <= 0:
        refuse(lines.key("total"), f"总分“{data.get('total')}”应为正数。")
        total = Decimal(0)
    places = data.get("places", 2)
    if not isinstance(places, int) or isinstance(places, bool) or not 0 <= places <= 4:
        refuse(lines.key("places"), f"小数位数“{places}”应为 0 至 4 的整数。")
        places = 2
    missing = data.get("missing", "zero")
    if missing not in MISSING_RULES:
        refuse(lines.key("missing"), f"缺数处理“{missing}”无效，应为 zero（记零分）、"
                                     "exclude（不参与）或 reweight（权重重新分配）。")

    items = _items(data.get("items"), metrics, lines, refuse, missing)
    groups = _groups(data.get("groups"), lines, refuse)
    grading = _grading(data.get("grades"), lines, refuse)
    codes = {item.code for item in items}
    for item in items:
        for condition in (item.gate, item.condition):
            if condition and condition.item and condition.item not in codes:
                refuse(item.line, f"考核项“{item.code}”引用的考核项“{condition.item}”不存在。")
    scored = [item for item in items if item.kind == "score"]
    weights = sum((item.weight for item in scored), Decimal(0))
    if scored and total and weights != total:
        refuse(lines.key("total"), f"计分项权重合计 {weights:f} 分，与方案总分 {total:f} 分不符。")
    lists = data.get("lists", {})
    if not isinstance(lists, dict):
        refuse(lines.key("lists"), "名单规则（lists）应为表。")
        lists = {}
    for name, rule in lists.items():
        line = lines.key(name)
        if not isinstance(rule, dict):
            refuse(line, f"名单“{name}”的规则应为表，如 {{ top = 5 }}。")
            continue
        for key in ("top", "bottom", "months"):
            if key in rule and (not isinstance(rule[key], int) or rule[key] < 1):
                refuse(line, f"名单“{name}”的 {key} 应为正整数，而不是“{rule[key]}”。")
        require = rule.get("require")
        if require and _condition_word(require)[1] not in codes:
            refuse(line, f"名单“{name}”的条件“{require}”引用的考核项不存在。")
    periods = {}
    raw_periods = data.get("periods") or {}
    if not isinstance(raw_periods, dict):
        refuse(lines.key("periods"), "期别权重（periods）应为表，如 [periods] month = 30。")
        raw_periods = {}
    for name, weight in raw_periods.items():
        number = _decimal(weight)
        if name not in PERIODS:
            refuse(lines.key(name), f"期别“{name}”无效，应为 month（月度）、quarter（季度）"
                                    "或 year_end（年终）。")
        elif number is None or number <= 0:
            refuse(lines.key(name), f"期别权重“{name} = {weight}”应为正数。")
        else:
            periods[name] = number
    if problems:
        raise SchemeError(problems)
    return Scheme(
        name=str(data["name"]), year=int(data["year"]), version=str(data.get("version", "1")),
        total=total, places=places, missing=missing, items=tuple(items),
        groups=tuple(groups), grading=grading, lists=lists, periods=periods, text=text,
    )


def _condition_word(word: str) -> tuple[str, str]:
    """``met:code`` / ``missed:code`` → (op, item code); anything else → ("", "")."""
    op, _sep, code = str(word).partition(":")
    return (op, code) if op in ("met", "missed") and code else ("", "")


def _condition(raw: Any, line: int, refuse, what: str) -> Condition | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        op, code = _condition_word(raw)
        if op:
            return Condition(op, item=code)
        refuse(line, f"{what}“{raw}”无效，应为 met:考核项代码、missed:考核项代码，"
                     "或 {{ op = \">\", value = 0 }}。")
        return None
    if (isinstance(raw, dict) and raw.get("op") in OPERATORS
            and _decimal(raw.get("value")) is not None):
        return Condition(raw["op"], _decimal(raw["value"]), metric=str(raw.get("metric", "")))
    refuse(line, f"{what}“{raw}”无效：op 应为 {'、'.join(OPERATORS)} 之一，value 应为数。")
    return None


def _items(raw: Any, metrics: Mapping[str, str], lines: _Lines, refuse, missing: str) -> list[Item]:
    if not isinstance(raw, list) or not raw:
        refuse(0, "方案没有考核项（[[items]]）。")
        return []
    items, seen = [], set()
    for index, entry in enumerate(raw):
        line = lines.table("items", index)
        if not isinstance(entry, dict):
            refuse(line, "考核项应为表。")
            continue
        code = str(entry.get("code", "")).strip()
        label = f"考核项“{code or index + 1}”"
        if not code:
            refuse(line, f"第{index + 1}个考核项缺少代码（code）。")
        elif code in seen:
            refuse(line, f"考核项代码“{code}”重复。")
        seen.add(code)
        kind = entry.get("kind", "score")
        if kind not in KINDS:
            refuse(lines.key("kind", line),
                   f"{label}的类型“{kind}”无效，应为 score（计分项）、bonus（加分项）、"
                   "deduction（扣分项）或 veto（否决项）。")
            continue
        metric = str(entry.get("metric", ""))
        if entry.get("method") == "manual":
            metric = metric or MANUAL
        if not metric:
            refuse(line, f"{label}缺少考核口径（metric）。")
        elif metric != MANUAL and metric not in metrics:
            refuse(lines.key("metric", line), f"{label}的考核口径“{metric}”不存在。")
        condition = None
        method_name = entry.get("method", "")
        params: dict[str, Any] = {}
        weight = _decimal(entry.get("weight", 0))
        if kind == "veto":
            condition = _condition(entry.get("condition"), lines.key("condition", line), refuse,
                                   f"{label}的否决条件")
            if condition is None and "condition" not in entry:
                refuse(line, f"{label}是否决项，缺少否决条件（condition）。")
            weight = Decimal(0)
        else:
            if weight is None or weight <= 0:
                refuse(lines.key("weight", line),
                       f"{label}的分值“{entry.get('weight')}”应为正数。")
                weight = Decimal(0)
            spec = METHODS.get(method_name)
            if spec is None:
                refuse(lines.key("method", line) if method_name else line,
                       f"{label}的计分方法“{method_name}”不存在，可用："
                       f"{'、'.join(sorted(METHODS))}。" if method_name
                       else f"{label}缺少计分方法（method）。")
            else:
                params = _params(entry.get("params", {}), spec, label,
                                 lines.key("params", line), refuse,
                                 metrics.get(metric, "higher"))
                if spec.needs_target and entry.get("target") is None:
                    refuse(line, f"{label}的计分方法“{method_name}”需要目标值（target）。")
        target = entry.get("target")
        if target is not None and target != "target":
            number = _decimal(target)
            if number is None:
                refuse(lines.key("target", line),
                       f"{label}的目标值“{target}”应为数或 \"target\"（年度目标）。")
            target = number
        item_missing = entry.get("missing", missing)
        if item_missing not in MISSING_RULES:
            refuse(lines.key("missing", line), f"{label}的缺数处理“{item_missing}”无效。")
        gate = _condition(entry.get("when"), lines.key("when", line), refuse, f"{label}的条件")
        items.append(Item(
            code=code, name=str(entry.get("name", code)), section=str(entry.get("section", "")),
            kind=kind, metric=metric, method=method_name, weight=weight or Decimal(0),
            params=params, target=target, missing=item_missing, gate=gate,
            condition=condition, line=line,
        ))
    return items


def _params(raw: Any, spec, label: str, line: int, refuse, direction: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        refuse(line, f"{label}的参数（params）应为表。")
        return {}
    params: dict[str, Any] = {}
    for name, value in raw.items():
        param = spec.params.get(name)
        if param is None:
            known = "、".join(spec.params) or "无"
            refuse(line, f"{label}的计分方法“{spec.name}”没有参数“{name}”（可用：{known}）。")
            continue
        if param.kind == "number":
            number = _decimal(value)
            if number is None or (number < 0 and not param.signed):
                refuse(line, f"{label}的参数 {name} = {value!r} 应为"
                             f"{'数' if param.signed else '非负数'}。")
                continue
            params[name] = number
        elif param.kind == "bool":
            if not isinstance(value, bool):
                refuse(line, f"{label}的参数 {name} 应为 true 或 false。")
                continue
            params[name] = value
        elif param.kind == "choice":
            if value not in param.choices:
                refuse(line, f"{label}的参数 {name} = {value!r} 无效，应为 "
                             f"{'、'.join(param.choices)} 之一。")
                continue
            params[name] = value
        elif param.kind == "bands":
            bands = _bands(value, inclusive=spec.name == "rank")
            if bands is None:
                refuse(line, f"{label}的参数 {name} 应为 [[起, 止, 分值], …]，起止递增、互不重叠"
                             "（最后一档的止可省略为 \"\"）。")
                continue
            params[name] = bands
    for name, param in spec.params.items():
        if param.required and name not in params and name not in raw:
            refuse(line, f"{label}的计分方法“{spec.name}”缺少参数“{name}”（{param.label}）。")
    exclusive = [("per_place", "per_place_percent", "bands"), ("each", "bands"),
                 ("bonus", "bonus_bands")]
    for group in exclusive:
        given = [name for name in group if name in params and name in spec.params]
        if len(given) > 1:
            refuse(line, f"{label}的参数 {'、'.join(given)} 互相矛盾，只能给出其一。")
    if spec.name == "bands" and "bands" in params:
        points = [band[2] for band in params["bands"]]
        rising = points == sorted(points)
        if direction == "lower" and rising and points != sorted(points, reverse=True):
            refuse(line, f"{label}的口径越低越好，分档得分却随数值升高。")
        if direction != "lower" and not rising:
            refuse(line, f"{label}的口径越高越好，分档得分却随数值降低。")
    return params


def _bands(value: Any, inclusive: bool = False) -> list[list] | None:
    """``[[from, to, points], …]`` checked: numbers, from < to (from ≤ to for places, which
    include both ends), ascending, not overlapping; the last ``to`` may be ``""`` (no end)."""
    if not isinstance(value, list) or not value:
        return None
    out = []
    for index, band in enumerate(value):
        if not isinstance(band, list) or len(band) != 3:
            return None
        low, high, points = _decimal(band[0]), band[1], _decimal(band[2])
        if high == "" and index == len(value) - 1:
            high = None
        elif (high := _decimal(high)) is None:
            return None
        if low is None or points is None or (high is not None and (
                high < low if inclusive else high <= low)):
            return None
        if out and (out[-1][1] is None or (low <= out[-1][1] if inclusive else low < out[-1][1])):
            return None
        out.append([low, high, points])
    return out


def _groups(raw: Any, lines: _Lines, refuse) -> list[Group]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        refuse(lines.key("groups"), "分组（groups）应写作 [[groups]]。")
        return []
    groups, where = [], {}
    for index, entry in enumerate(raw):
        line = lines.table("groups", index)
        name = str(entry.get("name", "")).strip() if isinstance(entry, dict) else ""
        if not name:
            refuse(line, f"第{index + 1}个分组缺少名称（name）。")
            continue
        units = entry.get("units", [])
        if not isinstance(units, list) or not all(isinstance(u, str) and u.strip() for u in units):
            refuse(lines.key("units", line), f"分组“{name}”的单位（units）应为单位名称的列表。")
            units = []
        for unit in units:
            if unit in where:
                refuse(lines.key("units", line),
                       f"单位“{unit}”同时在分组“{where[unit]}”和“{name}”中。")
            where.setdefault(unit, name)
        kinds = entry.get("kinds", [])
        if not isinstance(kinds, list) or any(k not in UNIT_KINDS for k in kinds):
            refuse(lines.key("kinds", line), f"分组“{name}”的单位类别（kinds）应为 "
                                             f"{'、'.join(UNIT_KINDS)} 中的若干项。")
            kinds = []
        for kind in kinds:
            if ("kind", kind) in where:
                refuse(lines.key("kinds", line), f"单位类别“{kind}”同时在分组"
                                                 f"“{where[('kind', kind)]}”和“{name}”中。")
            where.setdefault(("kind", kind), name)
        if not units and not kinds:
            refuse(line, f"分组“{name}”既没有单位（units）也没有单位类别（kinds）。")
        total = entry.get("total")
        if total is not None and ((number := _decimal(total)) is None or number <= 0):
            refuse(lines.key("total", line), f"分组“{name}”的满分“{total}”应为正数。")
            total = None
        overall = entry.get("overall", True)
        if not isinstance(overall, bool):
            refuse(lines.key("overall", line), f"分组“{name}”的 overall 应为 true 或 false。")
            overall = True
        groups.append(Group(name, tuple(u.strip() for u in units),
                            _decimal(total) if total is not None else None, overall,
                            tuple(kinds)))
    return groups


def _grading(raw: Any, lines: _Lines, refuse) -> Grading:
    default = Grading((Band("优秀", Decimal(90)), Band("良好", Decimal(80)),
                       Band("合格", Decimal(60)), Band("不合格", Decimal(0))))
    if raw is None:
        return default
    line = lines.key("bands")
    bands = raw.get("bands") if isinstance(raw, dict) else None
    parsed = []
    if not isinstance(bands, list) or not bands:
        refuse(line, "等次（grades.bands）应为 [[\"优秀\", 90], …]。")
        return default
    for band in bands:
        if (not isinstance(band, list) or len(band) != 2 or not isinstance(band[0], str)
                or _decimal(band[1]) is None):
            refuse(line, f"等次“{band}”应写作 [\"名称\", 最低分]。")
            return default
        parsed.append(Band(band[0], _decimal(band[1])))
    minimums = [b.minimum for b in parsed]
    if minimums != sorted(minimums, reverse=True) or len(set(minimums)) != len(minimums):
        refuse(line, "等次应按最低分从高到低排列，且最低分互不相同。")
    cap = raw.get("veto_cap")
    if cap is not None and cap not in [b.label for b in parsed]:
        refuse(lines.key("veto_cap"), f"否决后的最高等次“{cap}”不在等次之中。")
        cap = None
    return Grading(tuple(parsed), cap)
