"""Matching names in a sheet to objects (名称匹配): the name index, and org units'.

Each index is built once per import with one query, then every cell is a dict
look-up. A name matches on the full name, the short name, a synonym or the code,
after NFKC, Traditional → Simplified and whitespace removal; a county also matches
without its 区/县/市 suffix (西城区 ↔ 西城) when that is unambiguous. Indexes of a
domain app's objects (indicators…) live with that app's resolver.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from jiangping.intake.normalize import name_key

AMBIGUOUS = object()
_SPLIT = re.compile(r"[,，、;；]")
_UNIT_SUFFIXES = ("街道办事处", "街道", "新区", "自治县", "区", "县", "市", "旗", "镇", "乡")


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


def unit_index(units: Iterable, within: Callable[[object], bool] | None = None,
               ) -> tuple[NameIndex, dict[int, UnitInfo]]:
    """An index over org units; ``全市``/``本市`` name the home city, ``全省`` its province.

    A name shared by units of the same depth is ambiguous, unless ``within`` (the
    importing scope) holds exactly one of them: that one is meant.
    """
    index, infos = NameIndex(), {}
    home = None
    for unit in units:
        infos[unit.pk] = UnitInfo(unit.pk, unit.name, unit.path, unit.level, unit.is_home)
        rank = unit.depth * 2 + (0 if within is None or within(unit) else 1)
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
