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

from jiangping.core.numbers import format_number, round_half_up
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
    month = _month(period)
    return "1月" if month == 1 else f"1—{month}月"


def _month(period: str) -> int:
    return int(period.split("-")[1])


def ordered_list(subject: str, entries: list[tuple[str, str]], order: str = "由高到低") -> str:
    """"各县（市、区）投资完成率由高到低依次为：甲区103.2%、乙县98.7%。" — ``entries`` are
    (short name, figure as printed with its unit), already in order; ``""`` when empty."""
    if not entries:
        return ""
    return f"{subject}{order}依次为：" + "、".join(name + figure for name, figure in entries) + "。"


def enumerate_clauses(clauses: list[str], marker: str = "是") -> list[tuple[str, str]]:
    """The ordinals of an enumeration (一是…二是… / 一是要…二是要…): ``[(lead, clause)]``
    with ``lead`` 一是, 二是, … 十是, 十一是, … (``marker="是要"`` gives 一是要…).
    Raises :class:`ValueError` past 99 clauses."""
    return [(chinese_numeral(i) + marker, clause) for i, clause in enumerate(clauses, 1)]


# --- sentences of the bulletin (DESIGN §9) ------------------------------------------
MINUS = "\u2212"  # the minus sign of printed figures (−3.1), not the hyphen
_NUMERALS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 99 → 九十九: the ordinals of 一是….
    Raises :class:`ValueError` outside 1–99."""
    if not 1 <= number <= 99:
        raise ValueError(f"numeral out of range: {number}")
    tens, ones = divmod(number, 10)
    if tens == 0:
        return _NUMERALS[ones]
    return ("" if tens == 1 else _NUMERALS[tens]) + "十" + (_NUMERALS[ones] if ones else "")


def signed_figure(value: Number, places: int = 1) -> str:
    """A figure that may be negative, as printed in brackets and lists: ``−3.1`` (U+2212),
    ``6.1`` (no plus sign), ``0.0`` (a figure that rounds to zero has no sign)."""
    sign, text = _magnitude(value, places)
    return (MINUS if sign < 0 else "") + text


def names_list(names: list[str]) -> str:
    """Names joined as a sentence lists them: 甲区 / 甲区和乙县 / 甲区、乙县和丙县 (``""``
    when empty)."""
    if len(names) < 2:
        return "".join(names)
    return "、".join(names[:-1]) + "和" + names[-1]


_SPANS = {"month": "月", "month_end": "月末"}


def period_label(period: str, span: str = "cumulative") -> str:
    """What a figure of ``period`` covers: ``1—11月`` (``cumulative``: flows and their
    growth), ``11月`` (``month``: levels), ``11月末`` (``month_end``: balances).
    Raises :class:`ValueError` for another span."""
    if span == "cumulative":
        return months_label(period)
    if span not in _SPANS:
        raise ValueError(f"unknown span: {span!r}")
    return f"{_month(period)}{_SPANS[span]}"


def _versus(difference: Decimal, places: int, what: str, unit: str) -> str:
    """高于{what}2.1个百分点 / 低于{what}10μg/m³ / 与{what}持平."""
    if unit == "个百分点":
        return vs_average_phrase(difference, places, what=what)
    sign, text = _magnitude(difference, places)
    if sign == 0:
        return f"与{what}持平"
    return f"{'高于' if sign > 0 else '低于'}{what}{text}{unit}"


def indicator_sentence(
    name: str, *, when: str, subject: str = "全市",
    value: Number | None = None, unit: str = "", places: int = 1, verb: str = "完成",
    growth: Number | None = None, growth_places: int = 1,
    average: Number | None = None, peers: str = "全省",
    rank: int | None = None, tied: bool = False,
    rank_change: int | None = None, before: str = "上月",
) -> str:
    """A key indicator as the bulletin states it (主要指标表述)::

        1—11月，全市固定资产投资同比增长8.2%，高于全省平均增速（6.1%）2.1个百分点，
        居全省第6位，较1—10月前移2位。

    ``when``/``before``: the labels of this and the previous period (:func:`period_label`);
    ``value`` (with ``unit``, ``places`` decimals, after ``verb``: 完成245.30亿元 / 为80μg/m³)
    and ``growth`` (percent, ``growth_places`` decimals) are each left out when ``None``.
    ``average``: the peers' average of the figure compared — the growth when there is
    one, else the value — stated in brackets with the difference of the two figures *as
    printed* (8.2 − 6.1), so a reader's subtraction agrees. ``rank`` among ``peers``
    (``tied``: 并列), and its move since ``before`` (positive = moved up; 与1—10月持平
    when unchanged). A clause without its figure is left out; ``""`` when there is no
    figure at all.
    """
    clauses = []
    if value is not None:
        clauses.append(f"{verb}{format_number(value, places)}{unit}")
    if growth is not None:
        clauses.append(growth_phrase(growth, growth_places))
    if average is not None and growth is not None:
        difference = round_half_up(growth, growth_places) - round_half_up(average, growth_places)
        what = f"{peers}平均增速（{signed_figure(average, growth_places)}%）"
        clauses.append(_versus(difference, growth_places, what, "个百分点"))
    elif average is not None and value is not None:
        difference = round_half_up(value, places) - round_half_up(average, places)
        what = f"{peers}平均水平（{signed_figure(average, places)}{unit}）"
        clauses.append(_versus(difference, places, what, "个百分点" if unit == "%" else unit))
    if rank is not None:
        clauses.append(f"居{peers}{rank_phrase(rank, tied)}")
        if rank_change is not None:
            clauses.append(f"与{before}持平" if rank_change == 0
                           else f"较{before}{rank_move_phrase(rank_change)}")
    if not clauses:
        return ""
    return f"{when}，{subject}{name}" + "，".join(clauses) + "。"


def completion_sentence(
    value: Number | None, *, subject: str = "全市重点项目", what: str = "投资",
    unit: str = "亿元", places: int = 1, completion: Number | None = None,
    completion_places: int = 1, plan: str = "年度投资计划", gap: Number | None = None,
) -> str:
    """Progress against the year's plan (完成进度)::

        全市重点项目累计完成投资629.0亿元，占年度投资计划的91.3%，超序时进度0.6个百分点。

    ``value``: the cumulative amount in ``unit``; ``completion``: percent of the plan;
    ``gap``: percentage points against the time schedule (:func:`schedule_phrase`, with
    ``completion_places``). Clauses without their figure are left out; ``""`` when
    ``value`` is ``None``.
    """
    if value is None:
        return ""
    clauses = [f"{subject}累计完成{what}{format_number(value, places)}{unit}"]
    if completion is not None:
        clauses.append(f"占{plan}的{format_number(completion, completion_places)}%")
        if gap is not None:
            clauses.append(schedule_phrase(gap, completion_places))
    return "，".join(clauses) + "。"


def target_phrase(completion: Number | None, gap: Number | None = None, places: int = 1,
                  plan: str = "年度目标", verb: str = "完成") -> str:
    """完成年度目标的85.7%，超序时进度2.4个百分点 (``completion`` in percent, ``gap`` in
    percentage points, each left out when ``None``; ``""`` without a completion).
    ``verb="占"`` for a figure whose name already says 完成 (重点项目完成投资占年度目标的…)."""
    if completion is None:
        return ""
    text = f"{verb}{plan}的{format_number(completion, places)}%"
    if gap is not None:
        text += "，" + schedule_phrase(gap, places)
    return text


def start_sentence(
    planned: int, started: int, *, places: int = 1, subject: str = "本年度",
    what: str = "项目", measure: str = "个",
) -> str:
    """Project starts against the plan (开工情况)::

        本年度计划开工项目56个，目前已开工47个，完成年度计划开工的83.9%。

    The rate (started ÷ planned × 100, half up to ``places``) is left out when nothing
    was planned."""
    text = f"{subject}计划开工{what}{planned}{measure}，目前已开工{started}{measure}"
    if planned > 0:
        rate = Decimal(started) * 100 / Decimal(planned)
        text += f"，完成年度计划开工的{format_number(rate, places)}%"
    return text + "。"


def schedule_list(
    entries: list[tuple[str, Number | None]], places: int = 1, lead: str = "低于序时进度的有：",
) -> str:
    """The units behind the time schedule, in the order given::

        低于序时进度的有：丙县（−3.1个百分点）、丁县（−5.4个百分点）。

    ``entries``: (short name, schedule gap in percentage points); only gaps that read
    below zero once rounded to ``places`` are listed; ``""`` when none is."""
    behind = [(name, gap) for name, gap in entries
              if gap is not None and _magnitude(gap, places)[0] < 0]
    if not behind:
        return ""
    return lead + "、".join(f"{name}（{signed_figure(gap, places)}个百分点）"
                            for name, gap in behind) + "。"


def bounded_list(names: list[str], limit: int = 5, counter: str = "个单位") -> str:
    """A list of names kept short (列举): ``甲区、乙县`` in full up to ``limit`` names;
    beyond it the first ``limit`` with 等 and how many there are in all
    (``甲区、乙县、丙市等8个单位``). ``""`` for no names; ``limit`` must be at least 1."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1: {limit}")
    if len(names) <= limit:
        return "、".join(names)
    return "、".join(names[:limit]) + f"等{len(names)}{counter}"
