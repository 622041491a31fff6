"""Finding the header of a sheet (表头识别).

Counties put title rows above the header, merge two-level headers (固定资产投资 over
累计 / 增速), write units of measure into headers and number the columns. The header
is the row, or pair of rows, among the first :data:`SCAN_ROWS` whose cells match the
form's columns best; a merged parent cell is spread over the cells it covers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from jiangping.intake.measures import split_header
from jiangping.intake.normalize import (
    clean_text,
    format_plain,
    is_footnote,
    is_total_label,
    name_key,
)
from jiangping.intake.registry import Column, Form

SCAN_ROWS = 30
# A child header that stands for its parent's own value (固定资产投资 / 累计).
VALUE_WORDS = frozenset(
    {"累计", "累计完成", "本年累计", "完成", "完成额", "完成值", "实际完成", "绝对额", "绝对值",
     "总量", "总额", "金额", "数值", "数额", "数量", "总计"}
)
# A child header that stands for its parent's growth (固定资产投资 / 增速).
GROWTH_WORDS = frozenset({"增速", "增长", "同比增长", "同比", "增幅", "同比增速", "增长率"})
# Columns with no data of their own, passed over without complaint.
IGNORED_WORDS = frozenset(
    {"序号", "编号", "位次", "排名", "名次", "排序", "备注", "说明", "当月", "本月", "上年同期",
     "去年同期", "较上月", "比上月", "完成率", "占比", "比重", "进度", "序时进度", "目标",
     "年度目标", "位次变化", "较上月位次"}
)
# Characters of 合计/小计/总计 and of footnote openings (注：, 备注, 填报人…): a quick test
# before the full one.
_MARK_CHARS = frozenset("计注备说填审负制联数計註備說審負製聯數")
_CUMULATIVE = re.compile(r"^\d{1,2}(?:月?[-—–~至]\d{1,2})?月(?:份)?(?:累计)?$")


@dataclass
class HeaderCell:
    index: int
    label: str  # the header as in the sheet (``parent/child`` for two levels)
    unit: str | None  # unit of measure written in the header


@dataclass
class Layout:
    header_row: int
    fixed: dict[str, HeaderCell] = field(default_factory=dict)  # column key → cell
    pivot: list[tuple[HeaderCell, object]] = field(default_factory=list)  # cell, key value
    unknown: list[HeaderCell] = field(default_factory=list)
    duplicates: list[tuple[HeaderCell, HeaderCell]] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # the rows above, one text each
    score: int = 0

    @property
    def wide(self) -> bool:
        return bool(self.pivot)


def _row_text(cells: list) -> list[str]:
    return [clean_text(cell) or "" for cell in cells]


def _spread(parent: list[str], row: int, merged: list[tuple[int, int, int, int]]) -> list[str]:
    """Spread merged parent cells over the cells they cover (first cell holds the text)."""
    filled = list(parent)
    if merged:
        for r0, c0, r1, c1 in merged:
            if r0 <= row <= r1 and 0 <= c0 < len(filled):
                for cell in range(c0 + 1, min(c1 + 1, len(filled))):
                    if not filled[cell]:
                        filled[cell] = filled[c0]
        return filled
    last = ""
    for cell, text in enumerate(filled):
        if text:
            last = text
        else:
            filled[cell] = last
    return filled


class HeaderMatcher:
    """Matches header labels against a form's columns and, for a wide form, the pivot."""

    def __init__(self, form: Form, pivot_lookup: Callable[[str], object] | None):
        self.form = form
        self.pivot_lookup = pivot_lookup if form.pivot else None
        self.names: dict[str, Column] = {}
        for column in form.columns:
            for name in column.names:
                self.names.setdefault(name_key(split_header(name)[0]), column)

    def candidates(self, parent: str, child: str) -> tuple[list[str], str | None]:
        parent_name, parent_unit = split_header(parent) if parent else ("", None)
        child_name, child_unit = split_header(child) if child else ("", None)
        unit = child_unit or parent_unit
        if parent_name and child_name and parent_name != child_name:
            names = [child_name, parent_name + child_name]
            if child_name in VALUE_WORDS or _CUMULATIVE.match(child_name):
                names.append(parent_name)
            if child_name in GROWTH_WORDS:
                names.append(parent_name + "增速")
        else:
            names = [child_name or parent_name]
        return names, unit

    def match(self, parent: str, child: str):
        """``(kind, found, unit)``: kind ``fixed`` (found: the column), ``pivot`` (found: the
        key value), ``ignored`` or ``unknown``; unit: the unit of measure in the header.

        Under a parent that names an indicator, a child such as 数值, 完成值 or 增速
        stands for that indicator (or its growth), even where the word is also one of
        the form's own column names.
        """
        names, unit = self.candidates(parent, child)
        if self.pivot_lookup is not None and parent and child:
            child_name = split_header(child)[0]
            if child_name in VALUE_WORDS or child_name in GROWTH_WORDS \
                    or _CUMULATIVE.match(child_name):
                for name in names[1:]:
                    found = self.pivot_lookup(name)
                    if found is not None:
                        return "pivot", found, unit
        for name in names:
            column = self.names.get(name_key(name))
            if column is not None:
                return "fixed", column, unit
        if self.pivot_lookup is not None:
            for name in names:
                found = self.pivot_lookup(name)
                if found is not None:
                    return "pivot", found, unit
        child_name = split_header(child)[0] if child else ""
        if child_name in IGNORED_WORDS or (not child_name and split_header(parent)[0]
                                           in IGNORED_WORDS):
            return "ignored", None, unit
        return "unknown", None, unit


def _label(parent: str, child: str) -> str:
    if parent and child and parent != child:
        return f"{parent}/{child}"
    return child or parent


def _written(cells: list) -> list[str]:
    """A header row's cells as written (trimmed, not normalised), for naming a column."""
    return ["" if cell is None else (cell if cell.__class__ is str else format_plain(cell))
            .strip() for cell in cells]


def _evaluate(matcher: HeaderMatcher, row: int, parent: list[str] | None, child: list[str],
              titles: list[str], written: tuple[list[str] | None, list[str]]) -> Layout:
    """The layout of header ``child`` (under ``parent``); ``written``: the two rows as
    written, which name the columns (HeaderCell.label)."""
    layout = Layout(header_row=row, titles=titles)
    written_parent, written_child = written
    pivot_seen: dict[object, HeaderCell] = {}
    width = max(len(child), len(parent or ()))
    for index in range(width):
        child_text = child[index] if index < len(child) else ""
        parent_text = parent[index] if parent and index < len(parent) else ""
        if not child_text and not parent_text:
            continue
        kind, found, unit = matcher.match(parent_text, child_text)
        label = _label(
            (written_parent[index] if index < len(written_parent) else "") or parent_text
            if parent_text else "",
            (written_child[index] if index < len(written_child) else "") or child_text
            if child_text else "")
        cell = HeaderCell(index, label, unit)
        if kind == "fixed":
            if found.key in layout.fixed:
                layout.duplicates.append((layout.fixed[found.key], cell))
            else:
                layout.fixed[found.key] = cell
                layout.score += 1
        elif kind == "pivot":
            if found in pivot_seen:
                layout.duplicates.append((pivot_seen[found], cell))
            else:
                pivot_seen[found] = cell
                layout.pivot.append((cell, found))
                layout.score += 1
        elif kind == "unknown":
            layout.unknown.append(cell)
    return layout


def _titles(rows: list[tuple[int, list[str]]]) -> list[str]:
    """The rows above a header as titles, one text per row (its cells joined)."""
    return [" ".join(text for text in row if text) for _n, row in rows if any(row)]


def detect(form: Form, head: list[tuple[int, list]], merged: list[tuple[int, int, int, int]],
           pivot_lookup: Callable[[str], object] | None) -> list[Layout]:
    """Candidate layouts for the buffered first rows, best first."""
    matcher = HeaderMatcher(form, pivot_lookup)
    texts = [(number, _row_text(cells)) for number, cells in head[:SCAN_ROWS]]
    written = [_written(cells) for _number, cells in head[:SCAN_ROWS]]
    found: list[tuple[tuple, Layout]] = []
    for position, (number, child) in enumerate(texts):
        if sum(1 for text in child if text) < 2:
            continue
        titles = _titles(texts[:position])
        options = [(None, titles, [])]
        if position > 0:
            parent_number, parent = texts[position - 1]
            if parent_number == number - 1 and any(parent):
                above = _titles(texts[: position - 1])
                options.append((_spread(parent, parent_number, merged), above,
                                _spread(written[position - 1], parent_number, merged)))
        for parent, option_titles, written_parent in options:
            layout = _evaluate(matcher, number, parent, child, option_titles,
                               (written_parent, written[position]))
            if form.pivot and form.pivot.key in layout.fixed and layout.pivot:
                layout.score -= len(layout.pivot)
                layout.pivot = []
            if layout.score:
                rank = (layout.score, -len(layout.unknown), parent is None, -number)
                found.append((rank, layout))
    found.sort(key=lambda item: item[0], reverse=True)
    return [layout for _rank, layout in found]


def missing_columns(form: Form, layout: Layout, defaults: dict) -> list[Column]:
    """Required columns neither in the sheet, nor given by the pivot, nor defaulted."""
    provided = set(layout.fixed) | set(defaults)
    if form.pivot and layout.wide:
        provided |= {form.pivot.key, form.pivot.value}
    return [c for c in form.columns if c.required and c.key not in provided]


def unknown_layout_message(form: Form) -> str:
    headers = "”“".join(c.header for c in form.columns if c.required)
    return _("未能识别表格格式：前%(n)s行中没有找到“%(headers)s”等列标题。") % {
        "n": SCAN_ROWS, "headers": headers,
    }


def key_cell_index(form: Form, layout: Layout) -> int | None:
    """The sheet column of a row's key cell (单位) where a total row writes 合计."""
    keys = sorted(form.key, key=lambda key: not getattr(form.column(key).reference,
                                                        "marks_rows", False))
    cell = next((layout.fixed[key] for key in keys if key in layout.fixed), None)
    return cell.index if cell is not None else None


def _is_blank(raw) -> bool:
    return raw is None or (raw.__class__ is str and not raw.strip())


def is_mark_row(cells: list, key_index: int | None) -> bool:
    """A 合计/小计/总计 row or a footnote (注：…) below the table, in Simplified or Traditional
    characters. Only the row's key cell may say 合计 (or, that cell empty, a cell before
    it: a label merged over 序号 and 单位), and only its first filled cell may open a
    footnote, so a 备注 cell reading “注：快报数” or “含小计” hides nothing. Looked at only
    for rows that do not read as data, so clean rows pay nothing for it."""
    first = next((index for index, raw in enumerate(cells) if not _is_blank(raw)), None)
    if first is None:
        return False
    raw = cells[first]
    if raw.__class__ is str and not _MARK_CHARS.isdisjoint(raw) and is_footnote(raw):
        return True
    if key_index is None or first > key_index:
        return False
    if key_index < len(cells) and not _is_blank(cells[key_index]):
        raw = cells[key_index]
    return raw.__class__ is str and not _MARK_CHARS.isdisjoint(raw) and is_total_label(raw)
