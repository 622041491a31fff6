"""The indicators' sections of the monthly bulletin (通报·总体情况、主要经济指标).

Two sections, registered with :func:`jiangping.core.registry.register_section`:

* ``headline`` (order 10): one paragraph from the key figures — how many key
  indicators are ranked in the province, how many are better than the province's
  average, how many moved up or down, and the leading indicator's growth and rank;
* ``indicators`` (order 20): （一）each key indicator of the city with its province
  rank and its move since the previous month, its completion of the year's target,
  and the trend of the leading growth indicator over the year's months; （二）the
  county-level units (各县（市、区）) in order — by completion of the target where
  there is one, else by rank — with those behind the time schedule, and a bars chart.

Its draft suggests problems and next steps: city indicators behind schedule, falling
(growth or its change moving the wrong way for the indicator's direction) or losing
rank, and the units behind schedule.

No figure is computed here: values, growth, ranks, completion and schedule gaps all
come from :func:`jiangping.indicators.comparison.comparison_table`; the words come
from :mod:`jiangping.core.phrasing`. Decimals are each indicator's (``decimals``;
growth ranked on a paired growth indicator has that indicator's), at least one for
percentages, trailing zeros kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jiangping.bulletins.document import Chart, Paragraph, Section, Subheading
from jiangping.bulletins.sections import Context, Draft
from jiangping.core import phrasing as ph
from jiangping.core.numbers import LOWER, format_number, round_half_up, tone
from jiangping.core.registry import BulletinSection, register_section
from jiangping.indicators import formulas as f
from jiangping.indicators.comparison import Cell, Column, ComparisonTable, comparison_table
from jiangping.indicators.models import Kind

PROVINCE = "全省"
CITY = "全市"
COUNTIES = "各县（市、区）"
_SPAN = {Kind.FLOW: "cumulative", Kind.GROWTH: "cumulative", Kind.STOCK: "month_end",
         Kind.LEVEL: "month"}


@dataclass
class Key:
    """A key indicator as the bulletin states it: its column, a name for sentences
    (固定资产投资增速 reads 固定资产投资 in 同比增长…), and its figures' decimals."""

    column: Column
    name: str
    places: int  # the value's decimals
    growth_places: int  # the growth's and its comparisons' decimals
    percent_places: int  # completion and schedule gap

    @property
    def code(self) -> str:
        return self.column.indicator.code

    @property
    def on_growth(self) -> bool:
        return self.column.basis == "growth" or self.column.indicator.kind == Kind.GROWTH


def key_indicators(table: ComparisonTable) -> list[Key]:
    """The table's indicators a bulletin states, in the catalog's order: a reported growth
    indicator is left out when its flow is in the table (the flow's sentence says it)."""
    codes = {c.indicator.code for c in table.columns}
    keys = []
    for column in table.columns:
        ind = column.indicator
        if ind.kind == Kind.GROWTH and column.flow is not None and column.flow.code in codes:
            continue
        name = ind.name
        if ind.kind == Kind.GROWTH and name.endswith("增速") and len(name) > 2:
            name = name[:-2]
        growth_places = ind.decimals if ind.kind == Kind.GROWTH else column.places
        keys.append(Key(column, name, ind.decimals, growth_places, max(ind.decimals, 1)))
    return keys


def _growth(key: Key, cell: Cell) -> Decimal | None:
    return cell.value if key.column.indicator.kind == Kind.GROWTH else cell.growth


def _basis(key: Key, cell: Cell) -> Decimal | None:
    return _growth(key, cell) if key.on_growth else cell.value


def labels(period: str, kind: str) -> tuple[str, str]:
    """What this period's and the previous period's figures cover (1—11月, 1—10月); the
    previous one of January is last year's (上年1—12月)."""
    span = _SPAN[kind]
    previous = f.previous_period(period)
    before = ph.period_label(previous, span)
    if previous[:4] != period[:4]:
        before = "上年" + before
    return ph.period_label(period, span), before


def city_sentence(key: Key, cell: Cell, average: Decimal | None, period: str) -> str:
    """The city's sentence of one key indicator (see :func:`phrasing.indicator_sentence`),
    followed by its completion of the year's target when it has one."""
    ind = key.column.indicator
    when, before = labels(period, ind.kind)
    growth = _growth(key, cell) if key.on_growth else None
    value = None if ind.kind == Kind.GROWTH else cell.value
    if key.on_growth and growth is None:
        average = None  # the peers' growth, with no growth of the city's to compare
    text = ph.indicator_sentence(
        key.name, when=when, subject=CITY, value=value, unit=ind.unit, places=key.places,
        verb=_verb(key) if ind.kind == Kind.FLOW else "为", growth=growth,
        growth_places=key.growth_places, average=average, peers=PROVINCE, rank=cell.rank,
        tied=cell.tied, rank_change=cell.rank_change, before=before,
    )
    if text and cell.completion is not None:
        text += CITY + key.name + ph.target_phrase(
            cell.completion, cell.schedule_gap, key.percent_places,
            verb=_verb(key) or "占") + "。"
    return text


def _verb(key: Key) -> str:
    """完成 before a flow's value, unless its name says it already (重点项目完成投资)."""
    return "" if "完成" in key.name else "完成"


# --- problems and next steps -----------------------------------------------------------
def _behind(gap: Decimal | None, places: int) -> bool:
    """Behind the time schedule as printed (a gap that reads below zero)."""
    return tone(gap, places) == "bad"


def _names(names: list[str], counter: str = "项指标", limit: int = 3) -> str:
    """甲、乙和丙 up to ``limit`` names; beyond, 甲、乙、丙等5项指标."""
    if len(names) <= limit:
        return ph.names_list(names)
    return ph.bounded_list(names, limit, counter)


@dataclass
class Findings:
    """What the month's figures suggest, gathered over every key indicator and said
    in a few clauses (a bulletin names three to six problems, not one per figure)."""

    behind: list[tuple[Key, Cell]] = field(default_factory=list)  # city behind schedule
    declining: list[tuple[Key, Decimal]] = field(default_factory=list)  # growth below 0
    slowing: list[tuple[Key, Cell, str]] = field(default_factory=list)  # growth falling
    losing: list[tuple[Key, Cell, str]] = field(default_factory=list)  # rank fell
    counties: list[tuple[str, Key, Decimal]] = field(default_factory=list)  # behind schedule

    def city(self, key: Key, cell: Cell, period: str) -> None:
        """Note what the city's figures of one indicator suggest."""
        ind = key.column.indicator
        if cell.completion is not None and _behind(cell.schedule_gap, key.percent_places):
            self.behind.append((key, cell))
        _when, before = labels(period, ind.kind)
        growth = _growth(key, cell) if key.on_growth else None
        if tone(growth, key.growth_places, ind.direction) == "bad":
            self.declining.append((key, growth))
        elif key.on_growth and tone(cell.pp_change, key.growth_places, ind.direction) == "bad":
            self.slowing.append((key, cell, before))
        if cell.rank is not None and cell.rank_change is not None and cell.rank_change < 0:
            self.losing.append((key, cell, before))

    def clauses(self) -> tuple[list[str], list[str]]:
        """(problems, actions), one clause of each kind at most, in a fixed order."""
        problems, actions = [], []
        if self.behind:
            names = _names([k.name for k, _c in self.behind])
            key, cell = min(self.behind, key=lambda kc: kc[1].schedule_gap)
            if len(self.behind) == 1:
                problems.append(CITY + key.name + ph.target_phrase(
                    cell.completion, cell.schedule_gap, key.percent_places,
                    verb=_verb(key) or "占"))
            else:
                gap = ph.schedule_phrase(cell.schedule_gap, key.percent_places)
                problems.append(f"全市{names}完成进度低于序时进度，其中{key.name}{gap}")
            actions.append(f"加快{names}进度，确保完成年度目标任务")
        if self.declining:
            problems.append(CITY + "、".join(
                key.name + ph.growth_phrase(growth, key.growth_places)
                for key, growth in self.declining[:3]))
            names = _names([k.name for k, _g in self.declining])
            actions.append(f"扭转{names}下滑态势，力争尽快由降转增")
        if self.slowing:
            names = _names([k.name for k, _c, _b in self.slowing])
            befores = {before for _k, _c, before in self.slowing}
            before = befores.pop() if len(befores) == 1 else "上月"
            if len(self.slowing) == 1:
                key, cell, _b = self.slowing[0]
                change = ph.pp_phrase(cell.pp_change, key.growth_places)
                problems.append(f"全市{key.name}增速较{before}{change}")
            else:
                problems.append(f"全市{names}增速较{before}回落")
            actions.append(f"稳住{names}增长势头")
        if self.losing:
            key, cell, before = min(self.losing, key=lambda kcb: kcb[1].rank_change)
            move = ph.rank_move_phrase(cell.rank_change)
            if len(self.losing) == 1:
                rank = ph.rank_phrase(cell.rank, cell.tied)
                problems.append(f"全市{key.name}居全省{rank}，较{before}{move}")
            else:
                names = _names([k.name for k, _c, _b in self.losing])
                problems.append(f"全市{names}全省位次后退，其中{key.name}{move}")
            lower = [k.name for k, _c, _b in self.losing
                     if k.column.indicator.direction == LOWER]
            others = [k.name for k, _c, _b in self.losing
                      if k.column.indicator.direction != LOWER]
            if others:
                actions.append(f"对标全省先进地区，力争{_names(others)}全省位次前移")
            if lower:
                actions.append(f"加大{_names(lower)}治理力度，改善全省位次")
        if self.counties:
            units = _names(list(dict.fromkeys(unit for unit, _k, _g in self.counties)),
                           "个县（市、区）", limit=5)
            unit, key, gap = min(self.counties, key=lambda ukg: ukg[2])
            single = len({k.code for _u, k, _g in self.counties}) == 1
            what, name = (key.name, "") if single else ("部分指标", key.name)
            gap = ph.schedule_phrase(gap, key.percent_places)
            problems.append(f"{units}{what}完成率低于序时进度，其中{unit}{name}{gap}")
            actions.append(f"督促{units}加快{key.name if single else ''}进度，尽快赶上序时进度")
        return problems, actions


# --- the counties ----------------------------------------------------------------------
def _visible(table: ComparisonTable, key: Key) -> list:
    return [r for r in table.rows if r.visible and not r.cells[key.code].hidden]


def by_completion(table: ComparisonTable, key: Key) -> list[tuple[str, Cell]]:
    """The units with a completion rate, highest first (the table's order among equals)."""
    rows = [r for r in _visible(table, key) if r.cells[key.code].completion is not None]
    rows.sort(key=lambda r: -round_half_up(r.cells[key.code].completion, key.percent_places))
    return [(r.unit.label, r.cells[key.code]) for r in rows]


def by_rank(table: ComparisonTable, key: Key) -> list[tuple[str, Cell]]:
    """The ranked units, first place first."""
    rows = [r for r in _visible(table, key)
            if r.cells[key.code].rank is not None and _basis(key, r.cells[key.code]) is not None]
    rows.sort(key=lambda r: r.cells[key.code].rank)
    return [(r.unit.label, r.cells[key.code]) for r in rows]


def _figure(key: Key, value: Decimal) -> str:
    if key.on_growth:
        return ph.signed_figure(value, key.growth_places) + "%"
    return ph.signed_figure(value, key.places) + key.column.indicator.unit


def county_paragraphs(table: ComparisonTable, key: Key
                      ) -> tuple[list[str], list[tuple[str, Decimal]]]:
    """The units in order on one indicator, and those behind schedule with their gaps:
    (sentences, [(name, gap)])."""
    completed = by_completion(table, key)
    if completed:
        places = key.percent_places
        entries = [(name, format_number(c.completion, places) + "%") for name, c in completed]
        text = ph.ordered_list(f"{COUNTIES}{key.name}完成率",
                               entries)
        gaps = sorted(((name, c.schedule_gap) for name, c in completed
                       if c.schedule_gap is not None),
                      key=lambda item: -round_half_up(item[1], places))
        behind = ph.schedule_list(gaps, places)
        late = [(name, gap) for name, gap in gaps if _behind(gap, places)]
        return [text + (behind or "均达到序时进度。")], late
    ranked = by_rank(table, key)
    if not ranked:
        return [], []
    subject = COUNTIES + key.name + ("增速" if key.on_growth else "")
    order = "由低到高" if key.column.indicator.direction == LOWER else "由高到低"
    entries = [(name, _figure(key, _basis(key, c))) for name, c in ranked]
    return [ph.ordered_list(subject, entries, order=order)], []


def county_chart(table: ComparisonTable, key: Key, period: str) -> Chart | None:
    """Bars of the units: completion against the time schedule where there are targets,
    else the ranked figure against the city's."""
    completed = by_completion(table, key)
    if completed:
        places = key.percent_places
        schedule = format_number(f.time_schedule(f.parse_period(period)[1]), places)
        return Chart("bars", f"{COUNTIES}{key.name}完成率",
                     [name for name, _c in completed],
                     [{"name": "完成率",
                       "values": [format_number(c.completion, places) for _n, c in completed]}],
                     unit="%", marker={"name": "序时进度", "value": schedule})
    ranked = by_rank(table, key)
    if not ranked:
        return None
    places = key.growth_places if key.on_growth else key.places
    summary = table.summary[key.code].basis if table.summary else None
    title = COUNTIES + key.name + ("增速" if key.on_growth else "")
    return Chart("bars", title, [name for name, _c in ranked],
                 [{"name": key.name, "values": [format_number(_basis(key, c), places)
                                                for _n, c in ranked]}],
                 unit="%" if key.on_growth else key.column.indicator.unit,
                 marker=None if summary is None else {"name": CITY,
                                                      "value": format_number(summary, places)})


# --- the trend ------------------------------------------------------------------------
def trend_chart(context: Context, key: Key) -> Chart | None:
    """The city's and the province's growth of ``key`` over the year's months up to the
    bulletin's, from the first month with a figure; ``None`` with fewer than two months
    of the city's figure."""
    year, month = f.parse_period(context.period)
    categories, city, province = [], [], []
    for m in range(1, month + 1):
        period = f.format_period(year, m)
        table = comparison_table(context.scope, period, indicators=[key.code], tier="cities")
        cell = _city_cell(table, context.city, key)
        summary = table.summary[key.code].basis if table.summary else None
        categories.append(ph.months_label(period))
        city.append(_text(_growth(key, cell) if cell else None, key.growth_places))
        province.append(_text(summary, key.growth_places))
    if sum(v is not None for v in city) < 2:
        return None
    first = next(i for i, (mine, theirs) in enumerate(zip(city, province, strict=True))
                 if mine is not None or theirs is not None)
    categories, city, province = categories[first:], city[first:], province[first:]
    series = [{"name": CITY, "values": city}]
    if any(v is not None for v in province):
        series.append({"name": PROVINCE, "values": province})
    return Chart("trend", f"{CITY + key.name}增速走势", categories, series,
                 unit="%")


def _text(value: Decimal | None, places: int) -> str | None:
    return None if value is None else format_number(value, places)


def _city_cell(table: ComparisonTable, city, key: Key) -> Cell | None:
    row = next((r for r in table.rows if city is not None and r.unit.pk == city.pk), None)
    return row.cells[key.code] if row else None


# --- the sections ---------------------------------------------------------------------
def _stated(table: ComparisonTable, city, keys: list[Key]) -> list[tuple[Key, Cell]]:
    """The key indicators the city has a figure of this month."""
    stated = []
    for key in keys:
        cell = _city_cell(table, city, key)
        if cell is not None and (cell.value is not None or _basis(key, cell) is not None):
            stated.append((key, cell))
    return stated


def headline(context: Context) -> Draft | None:
    """一、总体情况: the key figures in one paragraph; ``None`` without a city figure."""
    table = comparison_table(context.scope, context.period, tier="cities")
    stated = [(k, c) for k, c in _stated(table, context.city, key_indicators(table))
              if c.rank is not None]
    if not stated:
        return None
    when = ph.months_label(context.period)
    _when, before = labels(context.period, Kind.FLOW)
    better = sum(tone(c.vs_average, k.growth_places if k.on_growth else k.places,
                      k.column.indicator.direction) == "good" for k, c in stated)
    up = sum((c.rank_change or 0) > 0 for _k, c in stated)
    down = sum((c.rank_change or 0) < 0 for _k, c in stated)
    text = f"{when}，全市{len(stated)}项主要指标在全省排位"
    parts = []
    if better:
        parts.append(f"{better}项好于全省平均水平")
    if up:
        parts.append(f"{up}项位次较{before}前移")
    if down:
        parts.append(("%(n)s项后退" if up else "%(n)s项位次较%(before)s后退")
                     % {"n": down, "before": before})
    if parts:
        text += "，其中" + "，".join(parts)
    key, cell = stated[0]
    lead = [ph.growth_phrase(_growth(key, cell), key.growth_places)] if key.on_growth else []
    lead.append(f"居{PROVINCE}{ph.rank_phrase(cell.rank, cell.tied)}")
    text += "；" + key.name + "，".join(lead) + "。"
    return Draft(Section("headline", "总体情况", [Paragraph(text)]))


def indicators(context: Context) -> Draft | None:
    """二、主要经济指标: the city's key indicators in the province, then the county-level
    units; ``None`` when neither has a figure this month."""
    period, city = context.period, context.city
    cities = comparison_table(context.scope, period, tier="cities")
    counties = comparison_table(context.scope, period, tier="counties")
    blocks, findings = [], Findings()
    stated = _stated(cities, city, key_indicators(cities))
    if stated:
        blocks.append(Subheading("（一）全市主要指标在全省位次"))
        for key, cell in stated:
            summary = cities.summary[key.code] if cities.summary else None
            average = summary.basis if summary is not None else None
            blocks.append(Paragraph(city_sentence(key, cell, average, period)))
            findings.city(key, cell, period)
        leading = next(((k, c) for k, c in stated if k.on_growth and _growth(k, c) is not None),
                       None)
        chart = trend_chart(context, leading[0]) if leading else None
        if chart is not None:
            blocks.append(chart)
    county_blocks, bars = [], None
    for key in key_indicators(counties):
        sentences, behind = county_paragraphs(counties, key)
        county_blocks += [Paragraph(text) for text in sentences]
        if sentences and bars is None:
            bars = county_chart(counties, key, period)
        findings.counties += [(name, key, gap) for name, gap in behind]
    if county_blocks:
        blocks.append(Subheading("（二）各县（市、区）主要指标完成情况"))
        blocks += county_blocks
        if bars is not None:
            blocks.append(bars)
    if not blocks:
        return None
    problems, actions = findings.clauses()
    return Draft(Section("indicators", "主要经济指标", blocks), problems, actions)


register_section(
    BulletinSection("headline", headline, order=10),
    BulletinSection("indicators", indicators, order=20),
)
