"""Per-column converters for one import (单元格转换).

Each column of the detected layout gets one function ``raw cell → value`` that
raises :class:`~jiangping.intake.normalize.CellError`. Names, periods and choices
repeat down a sheet, so their converters remember every raw value they have seen
(errors included): a county name is matched once, not once per row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from jiangping.intake import normalize
from jiangping.intake.layout import Layout
from jiangping.intake.normalize import EXACT_EXPONENT, CellError, Percent, name_key
from jiangping.intake.registry import Column, ColumnType, Form
from jiangping.intake.resolve import AMBIGUOUS, indicator_index, unit_index

MEMO_LIMIT = 20000
ONE = Decimal(1)


def memoize(convert: Callable) -> Callable:
    cache: dict = {}

    def remembered(raw):
        try:
            hit = cache[raw]
        except KeyError:
            try:
                hit = convert(raw)
            except CellError as exc:
                hit = exc
            if len(cache) < MEMO_LIMIT:
                cache[raw] = hit
        except TypeError:
            return convert(raw)
        if hit.__class__ is CellError:
            raise hit
        return hit

    return remembered


def _in_range(value: Decimal, raw=None) -> Decimal:
    """``value`` unless :func:`~jiangping.intake.normalize.fit_decimal` refuses it (too
    many integer or significant digits), naming the cell as typed when it is text;
    small numbers pass without the check."""
    if value.adjusted() >= EXACT_EXPONENT - 1:
        normalize.fit_decimal(value, raw.strip() if raw.__class__ is str else None)
    return value


def _is_percent_unit(unit: str | None) -> bool:
    return unit is not None and normalize.measure_key(unit) == "%"


def _percent_refused(stored: str | None) -> str:
    if stored:
        return _("此处数值的计量单位是“%(unit)s”，不能填百分数。") % {"unit": stored}
    return _("此处不能填百分数。")


def number_converter(stored: str | None) -> Callable:
    """The cell conversion of a number in the unit ``stored`` (an indicator's 计量单位), as
    the importer reads it: the data-entry page uses it too, so that a value typed there
    is read exactly as the same text in a spreadsheet."""
    return _decimal_converter(ONE, stored)


def _decimal_converter(factor: Decimal | None, stored: str | None = None) -> Callable:
    """Numbers of a column whose stored unit is known: ``factor`` converts the header's
    unit into ``stored``; a percentage (``12.3%`` or a cell formatted as one) is taken
    as is where ``stored`` is %, and refused elsewhere.

    ``factor`` None: the unit is decided row by row (:func:`_per_row_units`), which is
    then handed percentages as :class:`~jiangping.intake.normalize.Percent`.
    """
    slow = normalize.parse_decimal
    percent_ok = _is_percent_unit(stored)
    per_row = factor is None
    if factor is None:
        factor = ONE

    def convert(raw):
        if raw.__class__ is str:
            try:
                value = Decimal(raw)
            except InvalidOperation:
                value = slow(raw)
            else:
                if not value.is_finite():
                    value = slow(raw)
        else:
            value = slow(raw)
        if value is None:
            return None
        if value.__class__ is Percent and not per_row:
            if not percent_ok:
                raise CellError(_percent_refused(stored))
            return _in_range(Decimal(value), raw)
        if factor is not ONE:
            value = value * factor
        return _in_range(value, raw)

    return convert


class Lookups:
    """Name indexes and write guards, built once per import."""

    def __init__(self, context):
        self.ctx = context
        self._units = None
        self._indicators = None
        self._allowed: dict[int, str | None] = {}

    # --- org units ------------------------------------------------------------
    def units(self):
        if self._units is None:
            from jiangping.orgs.models import OrgUnit

            qs = OrgUnit.objects.only(
                "name", "short_name", "code", "synonyms", "path", "depth", "level", "is_home",
                "parent_id",
            )
            if self.ctx.form.unit_filter is not None:
                qs = self.ctx.form.unit_filter(qs)
            self._units = unit_index(qs)
        return self._units

    def unit_converter(self) -> Callable:
        index, infos = self.units()

        def convert(raw):
            found = _look_up(index, raw, _("单位名称“%(name)s”对应多个单位，请写全称或代码。"),
                             _("未知的单位“%(name)s”。"))
            if found is None:
                return None
            refusal = self._refusal(infos[found])
            if refusal:
                raise CellError(refusal)
            return found

        return memoize(convert)

    def _refusal(self, unit) -> str | None:
        if unit.id not in self._allowed:
            guard = self.ctx.form.unit_guard
            try:
                if guard is not None:
                    guard(self.ctx, unit)
                else:
                    self.ctx.scope.require_write(unit)
            except PermissionDenied as exc:
                self._allowed[unit.id] = str(exc) or _("无权导入“%(unit)s”的数据。") % {
                    "unit": unit.name}
            else:
                self._allowed[unit.id] = None
        return self._allowed[unit.id]

    # --- indicators -----------------------------------------------------------
    def indicators(self):
        if self._indicators is None:
            from jiangping.indicators.models import Indicator

            self._indicators = indicator_index(
                Indicator.objects.only("name", "code", "synonyms", "unit", "growth_of_id")
            )
        return self._indicators

    def indicator_converter(self) -> Callable:
        index, _infos = self.indicators()

        def convert(raw):
            return _look_up(index, raw, _("指标名称“%(name)s”对应多个指标，请写全称或代码。"),
                            _("未知的指标“%(name)s”。"))

        return memoize(convert)

    def pivot_lookup(self, form: Form) -> Callable[[str], object]:
        column = form.column(form.pivot.key)
        if column.type != ColumnType.INDICATOR:
            raise ValueError("a pivot must be over indicators")
        index, _infos = self.indicators()

        def lookup(name: str):
            found = index.find(name)
            return None if found is AMBIGUOUS else found

        return lookup

    def stored_unit(self, column: Column, ref_value) -> str | None:
        if column.unit_of is None:
            return column.unit
        return self.indicators()[1][ref_value].unit

    def describe_key(self, form: Form, record: tuple) -> str:
        parts = []
        for key in form.key:
            column, value = form.column(key), record[form.index(key)]
            if column.type == ColumnType.UNIT:
                parts.append(self.units()[1][value].name)
            elif column.type == ColumnType.INDICATOR:
                parts.append(self.indicators()[1][value].name)
            else:
                parts.append(str(value))
        return "/".join(parts)


def _choice_converter(column: Column) -> Callable:
    names = {}
    for value, label in column.choices:
        names[name_key(value)] = value
        names[name_key(label)] = value

    def convert(raw):
        text = normalize.clean_text(raw)
        if text is None:
            return None
        try:
            return names[name_key(text)]
        except KeyError:
            allowed = "、".join(label for _value, label in column.choices)
            raise CellError(_("应为以下之一：%(allowed)s。") % {"allowed": allowed}) from None

    return memoize(convert)


def _text(raw):
    return normalize.clean_text(raw)


def converter_for(context, column: Column, header_unit: str | None) -> Callable:
    kind = column.type
    if kind == ColumnType.DECIMAL:
        if column.unit_of is not None:
            return _decimal_converter(None)
        factor = normalize.conversion_factor(header_unit, column.unit)
        if factor is None or factor == ONE:
            factor = ONE
        return _decimal_converter(factor, column.unit)
    if kind == ColumnType.INT:
        return normalize.parse_int
    if kind == ColumnType.PERIOD:
        return memoize(normalize.parse_period)
    if kind == ColumnType.YEAR:
        return memoize(normalize.parse_year)
    if kind == ColumnType.DATE:
        return memoize(normalize.parse_date)
    if kind == ColumnType.CHOICE:
        return _choice_converter(column)
    if kind == ColumnType.UNIT:
        return context.lookups().unit_converter()
    if kind == ColumnType.INDICATOR:
        return context.lookups().indicator_converter()
    return _text


@dataclass
class Plan:
    cells: list[tuple[int, int, Callable, str]] = field(default_factory=list)
    pivots: list[tuple[int, Callable, str, object]] = field(default_factory=list)
    pivot_positions: tuple[int, int] = (0, 0)
    defaults: list[tuple[int, object]] = field(default_factory=list)
    required: list[tuple[int, str]] = field(default_factory=list)
    skip_if_blank: list[int] = field(default_factory=list)
    problems: list[tuple[str, object, str]] = field(default_factory=list)  # label, value, why
    post: Callable | None = None


def build_plan(context, layout: Layout, defaults: dict) -> Plan:
    """The converters for ``layout``: one per sheet column the form uses. A default given
    as a :class:`~jiangping.intake.normalize.CellError` (the form's hook could not
    decide it) refuses the sheet where that column is not in it."""
    form: Form = context.form
    plan = Plan()
    for position, column in enumerate(form.columns):
        cell = layout.fixed.get(column.key)
        if cell is not None:
            plan.cells.append((position, cell.index, converter_for(context, column, cell.unit),
                               cell.label))
            if column.type == ColumnType.DECIMAL and column.unit and cell.unit and \
                    normalize.conversion_factor(cell.unit, column.unit) is None:
                plan.problems.append(
                    (cell.label, cell.label, _unit_mismatch(cell.unit, column.unit)))
            reference = layout.fixed.get(column.unit_of) if column.unit_of else None
            if reference is not None:
                plan.post = _per_row_units(context, (position, cell), (
                    form.index(column.unit_of), reference))
        elif isinstance(defaults.get(column.key), CellError):
            plan.problems.append((column.header, None, defaults[column.key].message))
        elif column.key in defaults:
            plan.defaults.append((position, defaults[column.key]))
        if column.blank_skips_row and not (layout.wide and column.key == form.pivot.value):
            plan.skip_if_blank.append(position)
        elif column.required and cell is not None:
            plan.required.append((position, cell.label))
    if layout.wide:
        _pivot_plan(context, form, layout, plan)
    return plan


def _unit_mismatch(source: str, stored: str, in_header: bool = True) -> str:
    if in_header:
        return _("表头中的计量单位“%(source)s”无法换算为“%(stored)s”。") % {
            "source": source, "stored": stored}
    return _("计量单位“%(source)s”无法换算为该指标的计量单位“%(stored)s”。") % {
        "source": source, "stored": stored}


def _pivot_plan(context, form: Form, layout: Layout, plan: Plan) -> None:
    key_position, value_position = form.index(form.pivot.key), form.index(form.pivot.value)
    plan.pivot_positions = (key_position, value_position)
    value_column = form.column(form.pivot.value)
    lookups = context.lookups()
    for cell, key_value in layout.pivot:
        stored = lookups.stored_unit(value_column, key_value)
        factor = normalize.conversion_factor(cell.unit, stored)
        if factor is None:
            plan.problems.append((cell.label, cell.label, _unit_mismatch(cell.unit, stored)))
            continue
        convert = _decimal_converter(ONE if factor == ONE else factor, stored)
        plan.pivots.append((cell.index, lambda raw, _key, c=convert: c(raw), cell.label,
                            key_value))


def _per_row_units(context, value: tuple, reference: tuple) -> Callable:
    """Convert a value column into each row's indicator unit (按行换算计量单位).

    The unit of a row's value is the one written in its indicator cell
    (``固定资产投资（万元）``), else the one in the value column's header, else the
    indicator's own; a percentage is in %. ``value`` and ``reference`` are the
    (record position, header cell) of the value column and of the indicator column.
    """
    value_position, value_cell = value
    ref_position, ref_cell = reference
    column = context.form.columns[value_position]
    lookups = context.lookups()
    value_index, ref_index = value_cell.index, ref_cell.index
    factors: dict = {}

    def factor_for(raw_ref, ref, percent: bool):
        stored = lookups.stored_unit(column, ref)
        if percent:
            if _is_percent_unit(stored):
                return ONE
            return value_cell.label, None, _percent_refused(stored)
        in_cell = normalize.split_header(raw_ref)[1] if raw_ref.__class__ is str else None
        source = in_cell or value_cell.unit
        factor = normalize.conversion_factor(source, stored)
        if factor is None:
            if in_cell:
                return ref_cell.label, raw_ref, _unit_mismatch(source, stored, False)
            return value_cell.label, None, _unit_mismatch(source, stored)
        return ONE if factor == ONE else factor

    def post(run, number: int, record: list, cells: list) -> bool:
        number_value = record[value_position]
        if number_value is None:
            return False
        raw_ref = cells[ref_index]
        key = (raw_ref, number_value.__class__ is Percent)
        factor = factors.get(key)
        if factor is None:
            factor = factors[key] = factor_for(raw_ref, record[ref_position], key[1])
        if factor is ONE:
            if key[1]:
                record[value_position] = Decimal(number_value)
            return False
        raw = cells[value_index] if value_index < len(cells) else None
        if factor.__class__ is tuple:
            label, shown, message = factor
            run.error(number, label, raw if shown is None else shown, message)
            return True
        try:
            record[value_position] = _in_range(number_value * factor, raw)
        except CellError as exc:
            run.error(number, value_cell.label, raw, exc.message)
            return True
        return False

    return post


def _look_up(index, raw, ambiguous: str, unknown: str):
    """The id a name (or code, or synonym) stands for; ``None`` for an empty cell."""
    text = normalize.clean_text(raw)
    if text is None:
        return None
    found = index.find(text)
    if found is AMBIGUOUS:
        raise CellError(ambiguous % {"name": text})
    if found is None:
        raise CellError(unknown % {"name": text})
    return found
