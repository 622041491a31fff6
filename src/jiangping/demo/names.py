"""Fictional place names for the synthetic province (虚构地名).

Names are two syllables drawn from pools of literary characters that real
prefecture and county names rarely use, so that no demo can be mistaken for
real data. Every draw goes through the caller's ``random.Random``.
"""

from __future__ import annotations

import random

FIRST = (
    "岚", "霁", "琅", "璃", "黛", "棠", "砚", "笙", "鸢", "萤", "蘅", "芷", "筠", "榛", "翎",
    "琰", "瑾", "绮", "澈", "珂", "槿", "蓁", "璎", "芸", "霓", "潆", "汐", "珞", "翊", "绫",
    "漪", "菡", "岑", "瑶", "珩", "苓", "璇", "缨", "蘼", "姝",
)
SECOND = (
    "汀", "屿", "岫", "湄", "汊", "坞", "埭", "澜", "岚", "滢", "沚", "渚", "涧", "峤", "塬",
    "垣", "崖", "滨", "湾", "陂", "坪", "峪", "畈", "垭", "冈", "墩", "塘", "圩", "浦", "麓",
    "溆", "泮", "洄", "岙", "垄", "埔", "淇", "潭", "桥", "原",
)

# Department names of a city government (市直部门): full-name suffix and short name.
DEPARTMENTS = (
    ("发展和改革委员会", "市发改委"),
    ("工业和信息化局", "市工信局"),
    ("财政局", "市财政局"),
    ("生态环境局", "市生态环境局"),
    ("交通运输局", "市交通运输局"),
    ("住房和城乡建设局", "市住建局"),
    ("农业农村局", "市农业农村局"),
    ("商务局", "市商务局"),
    ("扶贫开发办公室", "市扶贫办"),
    ("人民政府督查室", "市督查室"),
)


class NameMaker:
    """Draws two-syllable names, never the same one twice within a ``scope``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: dict[str, set[str]] = {}

    def stem(self, scope: str = "") -> str:
        used = self.used.setdefault(scope, set())
        for _attempt in range(200):
            first, second = self.rng.choice(FIRST), self.rng.choice(SECOND)
            stem = first + second
            if first != second and stem not in used:
                used.add(stem)
                return stem
        raise RuntimeError("name pool exhausted")


def pinyin_username(name: str, taken: set[str]) -> str:
    """A login name from the pinyin of ``name`` (棠溪区 → ``tangxiqu``), unique in ``taken``."""
    from pypinyin import lazy_pinyin

    base = "".join(lazy_pinyin(name)).lower()
    base = "".join(ch for ch in base if ch.isascii() and ch.isalnum()) or "unit"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}{n}", n + 1
    taken.add(candidate)
    return candidate
