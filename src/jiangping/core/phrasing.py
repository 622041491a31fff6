"""How the review speaks (措辞): one module for the words every face uses.

The pages, the review's explanations and the bulletin all phrase a figure through
here, so "同比下降7.1%" reads the same everywhere and "增长-7.1%" is written nowhere.
Numbers are written by :mod:`jiangping.core.numbers` (half-up rounding, trailing zeros
kept); this module puts them into the registers offices use (DESIGN §9): growth with
its sign as words, percentage-point changes, rank and its move, the time schedule,
ordered lists of units, and enumerations (一是…二是…).

Pure and Django-free: the sentence tests run in microseconds.
"""

from __future__ import annotations

from decimal import Decimal

from jiangping.core.numbers import magnitude as _magnitude

Number = Decimal | int


def growth_phrase(growth: Number | None, places: int = 1, prefix: str = "同比") -> str:
    """同比增长8.2% / 同比下降7.1% / 同比持平 — never "增长−7.1%"."""
    if growth is None:
        return ""
    sign, text = _magnitude(growth, places)
    if sign == 0:
        return f"{prefix}持平"
    return f"{prefix}{'增长' if sign > 0 else '下降'}{text}%"


def pp_phrase(change: Number | None, places: int = 1) -> str:
    """提高2.1个百分点 / 回落1.3个百分点 / 持平 (percentage-point change of a rate)."""
    if change is None:
        return ""
    sign, text = _magnitude(change, places)
    if sign == 0:
        return "持平"
    return f"{'提高' if sign > 0 else '回落'}{text}个百分点"


def vs_average_phrase(difference: Number | None, places: int = 1, what: str = "平均水平") -> str:
    """高于平均水平2.1个百分点 / 低于平均水平0.4个百分点 / 与平均水平持平."""
    if difference is None:
        return ""
    sign, text = _magnitude(difference, places)
    if sign == 0:
        return f"与{what}持平"
    return f"{'高于' if sign > 0 else '低于'}{what}{text}个百分点"


def rank_phrase(position: int | None, is_tied: bool = False) -> str:
    """居…第6位 / 并列第1位 (the rank as a bulletin states it)."""
    if position is None:
        return ""
    return f"{'并列' if is_tied else ''}第{position}位"


def rank_move_phrase(change: int | None, same: str = "与上月持平") -> str:
    """前移2位 / 后退1位 / 与上月持平 (rank change, positive = moved up)."""
    if change is None:
        return ""
    if change == 0:
        return same
    return f"前移{change}位" if change > 0 else f"后退{-change}位"


def schedule_phrase(gap: Number | None, places: int = 1) -> str:
    """超序时进度0.6个百分点 / 低于序时进度3.1个百分点 / 与序时进度持平."""
    if gap is None:
        return ""
    sign, text = _magnitude(gap, places)
    if sign == 0:
        return "与序时进度持平"
    return f"{'超' if sign > 0 else '低于'}序时进度{text}个百分点"


def months_label(period: str) -> str:
    """The cumulative span of a period as bulletins write it: ``1—11月`` (``1月`` in January)."""
    month = int(period[5:7])
    return "1月" if month == 1 else f"1—{month}月"


def ordered_list(subject: str, entries: list[tuple[str, str]], order: str = "由高到低") -> str:
    """"各县（市、区）投资完成率由高到低依次为：甲区103.2%、乙县98.7%。" — ``entries`` are
    (short name, figure as printed with its unit), already in order."""
    return f"{subject}{order}依次为：" + "、".join(name + figure for name, figure in entries) + "。"


def enumerate_clauses(clauses: list[str], marker: str = "是") -> list[tuple[str, str]]:
    """The ordinals of an enumeration (一是…二是… / 一是要…二是要…): ``[(lead, clause)]``
    with ``lead`` 一是, 二是, … (``marker="是要"`` gives 一是要…)."""
    digits = "一二三四五六七八九十"
    return [(f"{digits[i] if i < 10 else str(i + 1)}{marker}", clause)
            for i, clause in enumerate(clauses)]


def bounded_list(names: list[str], limit: int = 5, counter: str = "个单位") -> str:
    """A list of names kept short (列举): ``甲区、乙县`` in full up to ``limit`` names;
    beyond it the first ``limit`` with 等 and how many there are in all
    (``甲区、乙县、丙市等8个单位``). ``""`` for no names; ``limit`` must be at least 1."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1: {limit}")
    if len(names) <= limit:
        return "、".join(names)
    return "、".join(names[:limit]) + f"等{len(names)}{counter}"
