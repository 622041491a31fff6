"""How the comparison table (指标对比表) is laid out on the page.

Turns a :class:`~jiangping.indicators.comparison.ComparisonTable` into rows of
ready-formatted cells: an overview matrix (units × indicators, a few columns per
indicator), the full detail of one indicator, and the data of its ranking chart.
No figure is computed here; every number comes from the comparison table. Data
labels handed to the chart are converted for zh-hant here (:mod:`jiangping.core.hant`);
the templates convert the rest with ``|hant``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from jiangping.core.hant import hant
from jiangping.core.numbers import EMPTY, format_number, format_signed, tone
from jiangping.indicators.comparison import Cell, Column, ComparisonTable
from jiangping.indicators.models import Direction, Kind
from jiangping.indicators.plausibility import axis_bounds

PERCENT_PLACES = 1


@dataclass
class Shown:
    """One table cell as displayed."""

    text: str = EMPTY
    cls: str = "num"
    title: str = ""
    move: str = ""
    move_cls: str = ""
    flag: str = ""
    start: bool = False  # first cell of an indicator's column group
    unapproved: bool = False  # the figure is not approved (未审核)
    warnings: str = ""  # plausibility warnings (合理性提示), joined


@dataclass
class Group:
    code: str
    name: str
    unit: str
    heads: list[str]
    focus: bool = False


@dataclass
class Line:
    unit_id: int | None
    label: str
    name: str
    cells: list[Shown] = field(default_factory=list)
    highlight: bool = False
    hidden: bool = False
    summary: bool = False
    unapproved: bool = False  # some figure of the row is not approved


# --- formatting ----------------------------------------------------------------
def _fmt(value: Decimal | None, places: int) -> str:
    return format_number(value, places)


def _change(value: Decimal | None, places: int, direction: str = Direction.HIGHER,
            title: str = "") -> Shown:
    """A signed change coloured good/bad by the indicator's direction (越高/越低越好)."""
    cls = tone(value, places, direction)
    return Shown(text=format_signed(value, places), cls=f"num {cls}".strip(), title=title)


def _rank_move_cls(change: int | None) -> str:
    return "" if change is None else "up" if change > 0 else "down" if change < 0 else "flat"


def _value_places(column: Column) -> int:
    return column.indicator.decimals


def _growth_places(column: Column) -> int:
    ind = column.indicator
    return ind.decimals if ind.kind == Kind.GROWTH else PERCENT_PLACES


def _rank(cell: Cell) -> Shown:
    if cell.rank is None:
        return Shown(cls="num rank")
    change = cell.rank_change
    if change is None:
        move, move_cls, title = "", "", _("无上月位次")
    elif change == 0:
        move, move_cls, title = "—", "flat", _("与上月持平")
    elif change > 0:
        move, move_cls, title = f"↑{change}", "up", _("前移%(n)s位") % {"n": change}
    else:
        move, move_cls, title = f"↓{-change}", "down", _("后退%(n)s位") % {"n": -change}
    text = f"{cell.rank}" + ("=" if cell.tied else "")
    if cell.tied:
        title = _("并列第%(rank)s位") % {"rank": cell.rank} + "；" + title
    return Shown(text=text, cls="num rank", title=title, move=move, move_cls=move_cls)


def _growth(cell: Cell, column: Column) -> Shown:
    places = _growth_places(column)
    reported = cell.value if column.indicator.kind == Kind.GROWTH else cell.growth
    shown = _change(reported, places, column.indicator.direction)
    if cell.growth_flag:
        shown.flag = "⚠"
        shown.title = _("计算增速（名义）%(computed)s%%，与报告增速相差超过容差") % {
            "computed": _fmt(cell.computed_growth, places)
        }
    return shown


def _completion(cell: Cell) -> Shown:
    shown = Shown(text=_fmt(cell.completion, PERCENT_PLACES))
    if cell.behind_schedule:
        shown.cls = "num behind"
        shown.title = _("低于序时进度%(gap)s个百分点") % {
            "gap": _fmt(-cell.schedule_gap, PERCENT_PLACES)
        }
    elif cell.schedule_gap is not None:
        shown.title = _("超序时进度%(gap)s个百分点") % {
            "gap": _fmt(cell.schedule_gap, PERCENT_PLACES)
        }
    return shown


def _mark(shown: Shown, cell: Cell, *, warn: bool = False) -> Shown:
    """``shown`` marked 未审核 when the cell's figure is not approved, and carrying the
    figure's plausibility warnings when ``warn``."""
    if not cell.approved:
        shown.unapproved = True
        shown.cls = f"{shown.cls} unapproved"
        shown.title = "；".join(t for t in (shown.title, _("未审核")) if t)
    if warn and cell.warnings:
        shown.warnings = "；".join(cell.warnings)
    return shown


def growth_heading(column: Column) -> str:
    """The head of a flow's or balance's growth column: which growth it is. A growth
    computed from the values is labelled so (计算增速，名义), a reported one at comparable
    prices says so (可比价)."""
    source = column.growth_source
    if source == "computed":
        return _("计算增速%（名义）")
    if source == "comparable":
        return _("增速%（可比价）")
    return _("增速%")


# --- the overview matrix -------------------------------------------------------
def _overview_heads(column: Column) -> list[str]:
    kind = column.indicator.kind
    if kind == Kind.GROWTH:
        heads = [_("增速%"), _("较上月")]
    elif kind == Kind.LEVEL:
        heads = [_("数值"), _("同比%")]
    else:
        heads = [_("数值"), growth_heading(column)]
    if kind == Kind.FLOW and column.indicator.has_target:
        heads.append(_("完成率%"))
    heads.append(_("位次"))
    return heads


def _overview_cells(cell: Cell, column: Column) -> list[Shown]:
    kind = column.indicator.kind
    if kind == Kind.GROWTH:
        first = _growth(cell, column)
        second = _change(cell.pp_change, _growth_places(column), column.indicator.direction,
                         title=_("较上月（百分点）"))
    else:
        first = Shown(text=_fmt(cell.value, _value_places(column)))
        second = _growth(cell, column)
    cells = [first, second]
    if kind == Kind.FLOW and column.indicator.has_target:
        completion = _completion(cell)
        if cell.behind_schedule:
            first.cls = "num behind"
        cells.append(completion)
    cells.append(_rank(cell))
    _mark(cells[0], cell, warn=True)
    _mark(cells[-1], cell)
    cells[0].start = True
    return cells


def _summary_label(table: ComparisonTable) -> str:
    """The summary row: the city's (the province's) own figures, not a sum of the rows;
    a cell falling back on the units' total or average says so in its title."""
    if table.parent is None:
        return _("合计")
    if table.tier == "cities":
        return _("全省")
    return _("全市")


SUMMARY_SOURCES = {
    "own": _("本级报送数"),
    "total": _("各单位合计（本级未报送）"),
    "average": _("各单位平均（本级未报送）"),
}


def _summary_title(source: str | None) -> str:
    return str(SUMMARY_SOURCES.get(source, ""))


def overview(table: ComparisonTable, focus: str | None, own_unit_id: int | None) -> dict:
    """Units × indicators with a few columns per indicator, for the whole-month view."""
    groups = [
        Group(c.indicator.code, c.indicator.name, c.indicator.unit, _overview_heads(c),
              focus=c.indicator.code == focus)
        for c in table.columns
    ]
    lines = []
    for row in table.rows:
        line = Line(row.unit.pk, row.unit.label, row.unit.name,
                    highlight=row.unit.pk == own_unit_id, hidden=not row.visible)
        for column in table.columns:
            line.cells.extend(_overview_cells(row.cells[column.indicator.code], column))
        line.unapproved = any(not cell.approved for cell in row.cells.values())
        lines.append(line)
    summary = None
    if table.summary is not None:
        summary = Line(None, _summary_label(table), "", summary=True)
        for column in table.columns:
            item = table.summary[column.indicator.code]
            heads = _overview_heads(column)
            kind = column.indicator.kind
            title = _summary_title(item.source)
            if kind == Kind.GROWTH:
                cells = [Shown(text=format_signed(item.value, _growth_places(column)),
                               title=title), Shown()]
            else:
                cells = [Shown(text=_fmt(item.value, _value_places(column)), title=title),
                         Shown(text=format_signed(item.growth, PERCENT_PLACES))]
            if len(heads) == 4:
                cells.append(Shown(text=_fmt(item.completion, PERCENT_PLACES)))
            cells.append(Shown())
            cells[0].start = True
            summary.cells.extend(cells)
    return {"groups": groups, "lines": lines, "summary": summary}


# --- one indicator in full -----------------------------------------------------
def _detail_fields(column: Column) -> list[tuple[str, str]]:
    ind = column.indicator
    unit = hant(ind.unit)
    fields = {
        Kind.FLOW: [
            ("value", _("累计（%(unit)s）") % {"unit": unit}),
            ("month_value", _("当月（%(unit)s）") % {"unit": unit}),
            ("growth", growth_heading(column)), ("computed_growth", _("计算增速%（名义）")),
            ("pp_change", _("较上月（百分点）")),
        ],
        Kind.STOCK: [
            ("value", _("余额（%(unit)s）") % {"unit": unit}),
            ("growth", growth_heading(column)),
            ("since_jan", _("较年初（%(unit)s）") % {"unit": unit}),
            ("pp_change", _("较上月（百分点）")),
        ],
        Kind.GROWTH: [
            ("value", _("增速%（可比价）") if ind.comparable_price else _("增速%")),
            ("computed_growth", _("计算增速%（名义）")),
            ("pp_change", _("较上月（百分点）")), ("pp_yoy", _("较上年同期（百分点）")),
        ],
        Kind.LEVEL: [
            ("value", _("数值（%(unit)s）") % {"unit": unit}),
            ("mom", _("环比%")), ("growth", _("同比%")),
        ],
    }[ind.kind]
    if ind.kind == Kind.FLOW and ind.has_target:
        fields += [("completion", _("完成率%")), ("schedule_gap", _("超/欠序时进度（百分点）"))]
    fields += [("vs_average", _("与平均比较")), ("rank", _("位次")),
               ("rank_change_year", _("较上年同期位次"))]
    return fields


def _detail_cell(cell: Cell, column: Column, name: str) -> Shown:
    value_places = _value_places(column)
    pct = _growth_places(column)
    if name == "rank":
        return _rank(cell)
    if name == "rank_change_year":
        change = cell.rank_change_year
        if change is None:
            return Shown()
        text = "—" if change == 0 else (f"↑{change}" if change > 0 else f"↓{-change}")
        return Shown(text=text, cls=f"num {_rank_move_cls(change)}")
    if name in ("value", "month_value"):
        return Shown(text=_fmt(getattr(cell, name), value_places))
    if name == "growth":
        return _growth(cell, column)
    if name == "computed_growth":
        shown = Shown(text=format_signed(cell.computed_growth, pct))
        if cell.growth_flag:
            shown.cls, shown.flag = "num", "⚠"
            shown.title = _("与报告增速相差超过容差")
        return shown
    if name == "completion":
        return _completion(cell)
    if name == "schedule_gap":
        # A target is always to be reached: ahead of schedule is good whatever the direction.
        shown = _change(cell.schedule_gap, PERCENT_PLACES)
        if cell.behind_schedule:
            shown.cls = "num behind"
        return shown
    direction = column.indicator.direction
    if name == "since_jan":
        return _change(cell.since_jan, value_places, direction)
    if name == "vs_average":
        places = pct if column.basis == "growth" else value_places
        return _change(cell.vs_average, places, direction)
    return _change(getattr(cell, name), pct, direction)


def detail(table: ComparisonTable, code: str, own_unit_id: int | None) -> dict | None:
    """Every figure of one indicator for every unit, and its ranking chart."""
    column = next((c for c in table.columns if c.indicator.code == code), None)
    if column is None:
        return None
    fields = _detail_fields(column)
    lines = []
    for row in sorted(table.rows, key=lambda r: (r.cells[code].rank is None,
                                                   r.cells[code].rank or 0)):
        line = Line(row.unit.pk, row.unit.label, row.unit.name,
                    highlight=row.unit.pk == own_unit_id, hidden=not row.visible)
        cell = row.cells[code]
        line.cells = [_detail_cell(cell, column, name) for name, _label in fields]
        for name, shown in zip((n for n, _label in fields), line.cells, strict=True):
            if name in ("value", "rank"):
                _mark(shown, cell, warn=name == "value")
        line.unapproved = not cell.approved
        lines.append(line)
    return {
        "indicator": column.indicator,
        "heads": [label for _name, label in fields],
        "lines": lines,
        "chart": json.dumps(_chart(table, column, own_unit_id), ensure_ascii=False),
        "basis_label": _basis_label(column),
    }


def _basis_label(column: Column) -> str:
    if column.basis == "value":
        return _("按数值排位")
    source = column.growth_source
    if source == "computed":
        return _("按计算增速（名义）排位")
    if source == "comparable":
        return _("按可比价增速排位")
    return _("按增速排位")


def _chart(table: ComparisonTable, column: Column, own_unit_id: int | None) -> dict:
    code = column.indicator.code
    places = _growth_places(column) if column.basis == "growth" else _value_places(column)
    bars = []
    for row in sorted(table.rows, key=lambda r: (r.cells[code].rank is None,
                                                   r.cells[code].rank or 0)):
        cell = row.cells[code]
        basis = _basis(cell, column)
        label = _fmt(basis, places) if basis is not None else (
            _("第%(rank)s位") % {"rank": cell.rank} if cell.rank else EMPTY)
        bars.append({
            "name": hant(row.unit.label),
            "rank": cell.rank,
            "value": None if basis is None else float(basis),
            "label": label if cell.approved else _("%(label)s（未审核）") % {"label": label},
            "behind": bool(cell.behind_schedule),
            "highlight": row.unit.pk == own_unit_id,
            "unapproved": not cell.approved,
            "warning": "；".join(cell.warnings),
        })
    average = None
    if table.summary is not None and table.summary[code].basis is not None:
        average = float(table.summary[code].basis)
    axis = axis_bounds([b["value"] for b in bars if b["value"] is not None])
    for bar in bars:
        _clip(bar, axis)
    if axis and average is not None and not (
            (axis["min"] is None or average >= axis["min"])
            and (axis["max"] is None or average <= axis["max"])):
        average = None  # pulled beyond the axis by the cut bar itself: not drawn
    unit = "%" if column.basis == "growth" else hant(column.indicator.unit)
    return {
        "title": f"{hant(column.indicator.name)} · {_basis_label(column)}",
        "unit": unit,
        "bars": bars,
        "average": average,
        "average_label": hant(_summary_label(table)),
        # The axis stops at a robust bound so that one extreme bar does not flatten the
        # others; bars beyond it are drawn broken (``clip``), with their value labelled.
        "axis": axis,
    }


def _clip(bar: dict, axis: dict | None) -> None:
    """Cut a bar beyond the axis (``axis_bounds``) at its end: ``clip`` is where it is
    drawn to, and its label says it is cut."""
    value = bar["value"]
    if axis is None or value is None:
        return
    if axis["max"] is not None and value > axis["max"]:
        bar["clip"] = axis["max"]
    elif axis["min"] is not None and value < axis["min"]:
        bar["clip"] = axis["min"]
    else:
        return
    bar["label"] = _("%(label)s（超出坐标轴，已截断）") % {"label": bar["label"]}


def _basis(cell: Cell, column: Column) -> Decimal | None:
    if column.basis == "growth":
        return cell.growth
    return cell.value
