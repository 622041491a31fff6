"""Matching names in a sheet to org units and indicators (名称匹配).

Each index is built once per import with one query, then every cell is a dict
look-up. A name matches on the full name, the short name, a synonym or the code,
after NFKC, Traditional → Simplified and whitespace removal; a county also matches
without its 区/县/市 suffix (西城区 ↔ 西城) when that is unambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from jiangping.intake.normalize import name_key, split_header

AMBIGUOUS = object()
_SPLIT = re.compile(r"[,，、;；]")
_UNIT_SUFFIXES = ("街道办事处", "街道", "新区", "自治县", "区", "县", "市", "旗", "镇", "乡")
_GROWTH_SUFFIXES = ("同比增速", "同比增长率", "同比增长", "增长率", "增长", "增幅", "同比")
_SCOPE_PREFIXES = ("全市", "全县", "全区", "全省")


def split_synonyms(text: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(text or "") if part.strip()]


class NameIndex:
    """Names → ids. Exact names win over loose variants; a name claimed by two
    objects of the same rank is ambiguous and matches neither."""

    def __init__(self) -> None:
        self._exact: dict[str, tuple[int, object]] = {}
        self._loose: dict[str, tuple[int, object]] = {}

    def add(self, name: str, obj_id, rank: int = 0, loose: bool = False) -> None:
        if not name:
            return
        key = name_key(name)
        table = self._loose if loose else self._exact
        current = table.get(key)
        if current is None or rank < current[0]:
            table[key] = (rank, obj_id)
        elif rank == current[0] and current[1] != obj_id:
            table[key] = (rank, AMBIGUOUS)

    def find(self, name: str):
        """The id for ``name``, :data:`AMBIGUOUS`, or ``None``."""
        key = name_key(name)
        hit = self._exact.get(key) or self._loose.get(key)
        return hit[1] if hit else None


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    path: str
    level: str
    is_home: bool


def unit_index(units: Iterable) -> tuple[NameIndex, dict[int, UnitInfo]]:
    """An index over org units; ``全市``/``本市`` name the home city, ``全省`` its province."""
    index, infos = NameIndex(), {}
    home = None
    for unit in units:
        infos[unit.pk] = UnitInfo(unit.pk, unit.name, unit.path, unit.level, unit.is_home)
        rank = unit.depth
        for name in (unit.name, unit.short_name, unit.code, *split_synonyms(unit.synonyms)):
            index.add(name, unit.pk, rank)
        for name in (unit.name, unit.short_name):
            stripped = _strip_suffix(name)
            if stripped:
                index.add(stripped, unit.pk, rank, loose=True)
        if unit.is_home:
            home = unit
    if home is not None:
        index.add("全市", home.pk, -1)
        index.add("本市", home.pk, -1)
        if home.parent_id in infos:
            index.add("全省", home.parent_id, -1)
    return index, infos


def _strip_suffix(name: str) -> str | None:
    for suffix in _UNIT_SUFFIXES:
        if name and name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


@dataclass(frozen=True)
class IndicatorInfo:
    id: int
    name: str
    unit: str


class IndicatorIndex(NameIndex):
    """Indicators by name, code or synonym. ``X增长``/``X同比增长(%)`` find ``X增速``, or
    the reported growth indicator of whatever ``X`` names
    (全社会固定资产投资增长 → 固定资产投资增速)."""

    def __init__(self) -> None:
        super().__init__()
        self.growth_of: dict[int, int] = {}

    def find(self, name: str):
        base, _unit = split_header(name)
        for candidate in _indicator_variants(base):
            hit = super().find(candidate)
            if hit is not None:
                return hit
        for suffix in (*_GROWTH_SUFFIXES, "增速"):
            if base.endswith(suffix) and len(base) > len(suffix):
                of = super().find(base[: -len(suffix)])
                if of is not None and of is not AMBIGUOUS and of in self.growth_of:
                    return self.growth_of[of]
        return None


def _indicator_variants(name: str) -> Iterable[str]:
    yield name
    for prefix in _SCOPE_PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            yield name[len(prefix):]
    for suffix in _GROWTH_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            yield name[: -len(suffix)] + "增速"
            break


def indicator_index(indicators: Iterable) -> tuple[IndicatorIndex, dict[int, IndicatorInfo]]:
    index, infos = IndicatorIndex(), {}
    for indicator in indicators:
        infos[indicator.pk] = IndicatorInfo(indicator.pk, indicator.name, indicator.unit)
        if indicator.growth_of_id is not None:
            index.growth_of.setdefault(indicator.growth_of_id, indicator.pk)
        for name in (indicator.name, indicator.code, *split_synonyms(indicator.synonyms)):
            index.add(name, indicator.pk)
    return index, infos
