"""Per-column converters for one import (单元格转换).

Each column of the detected layout gets one function ``raw cell → value`` that
raises :class:`~jiangping.intake.normalize.CellError`. Names, periods and choices
repeat down a sheet, so their converters remember every raw value they have seen
(errors included): a county name is matched once, not once per row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from jiangping.intake import measures, normalize
from jiangping.intake.layout import Layout
from jiangping.intake.normalize import EXACT_EXPONENT, CellError, Percent, name_key
from jiangping.intake.references import refusal_of
from jiangping.intake.registry import Column, ColumnType, Form
from jiangping.intake.resolve import AMBIGUOUS

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
            # The same refusal is raised again for every repeated cell: without its old
            # traceback, or each raise would chain one more and memory grow with the rows.
            raise hit.with_traceback(None)
        return hit

    return remembered


def _in_range(value: Decimal, raw=None) -> Decimal:
    """``value`` unless :func:`~jiangping.intake.normalize.fit_decimal` refuses it (too
    many integer or significant digits), naming the cell as typed; small numbers pass
    without the check."""
    if value.adjusted() >= EXACT_EXPONENT - 1:
        normalize.fit_decimal(value, raw)
    return value


def _is_percent_unit(unit: str | None) -> bool:
    return unit is not None and measures.measure_key(unit) == "%"


def _percent_refused(stored: str | None) -> str:
    if stored:
        return _("此处数值的计量单位是“%(unit)s”，不能填百分数。") % {"unit": stored}
    return _("此处不能填百分数。")


def _whole(value: Decimal, stored: str) -> Decimal:
    """``value`` if a whole number: ``stored`` counts whole things (人, 个, 户…)."""
    if value != value.to_integral_value():
        raise CellError(measures.whole_refusal(stored))
    return value


def number_converter(stored: str | None) -> Callable:
    """The cell conversion of a number in the unit ``stored`` (an indicator's 计量单位), as
    the importer reads it: the data-entry page and the API use it too, so that a value
    typed there is read exactly as the same text in a spreadsheet."""
    return _decimal_converter(ONE, stored)


def _decimal_converter(factor: Decimal | None, stored: str | None = None) -> Callable:
    """Numbers of a column whose stored unit is known: ``factor`` converts the header's
    unit into ``stored``; a percentage (``12.3%`` or a cell formatted as one) is taken
    as is where ``stored`` is %, and refused elsewhere; a fraction is refused where
    ``stored`` counts whole things (人, 个, 户…).

    ``factor`` None: the unit is decided row by row (:func:`_per_row_units`), which is
    then handed percentages as :class:`~jiangping.intake.normalize.Percent`.
    """
    parse = normalize.parse_decimal
    plain = normalize.PLAIN_NUMBER.match
    percent_ok = _is_percent_unit(stored)
    whole = stored is not None and measures.is_whole_unit(stored)
    per_row = factor is None
    if factor is None:
        factor = ONE

    def convert(raw):
        # The plain case inline (most cells), the rest through the one reading.
        value = Decimal(raw) if raw.__class__ is str and plain(raw) else parse(raw)
        if value is None:
            return None
        if value.__class__ is Percent and not per_row:
            if not percent_ok:
                raise CellError(_percent_refused(stored))
            return _in_range(Decimal(value), raw)
        if factor is not ONE:
            value = value * factor
        if whole:
            _whole(value, stored)
        return _in_range(value, raw)

    return convert


class Lookups:
    """The objects of every reference column, indexed once per import, and the write
    guard's answer per object; the form's resolvers
    (:class:`~jiangping.intake.references.Reference`) say how."""

    def __init__(self, context):
        self.ctx = context
        self._loaded: dict = {}
        self._converters: dict[str, Callable] = {}
        self._refusals: dict = {}

    def loaded(self, reference) -> tuple:
        """``(index, infos)`` of ``reference``, built on first use."""
        found = self._loaded.get(reference)
        if found is None:
            found = self._loaded[reference] = reference.load(self.ctx)
        return found

    def infos(self, key: str) -> dict:
        """The infos (by id) of the objects the form's reference column ``key`` names."""
        return self.loaded(self.ctx.form.column(key).reference)[1]

    def converter(self, column: Column) -> Callable:
        """A reference cell → the id of its object, refused when unknown, ambiguous or
        outside what the importing scope may write."""
        convert = self._converters.get(column.key)
        if convert is None:
            convert = self._converters[column.key] = self._reference_converter(
                column.reference)
        return convert

    def _reference_converter(self, reference) -> Callable:
        index, infos = self.loaded(reference)

        def convert(raw):
            found = _look_up(index, raw, reference)
            if found is None:
                return None
            refusal = self._refusal(reference, infos[found])
            if refusal:
                raise CellError(refusal)
            return found

        return memoize(convert)

    def _refusal(self, reference, info) -> str | None:
        key = (reference, info.id)
        if key not in self._refusals:
            try:
                reference.guard(self.ctx, info)
            except PermissionDenied as exc:
                self._refusals[key] = refusal_of(exc, info)
            else:
                self._refusals[key] = None
        return self._refusals[key]

    def pivot_lookup(self, form: Form) -> Callable[[str], object]:
        reference = form.column(form.pivot.key).reference
        if reference is None:
            raise ValueError("a pivot must be over a reference column")
        index, _infos = self.loaded(reference)

        def lookup(name: str):
            found = index.find(name)
            return None if found is AMBIGUOUS else found

        return lookup

    def stored_unit(self, column: Column, ref_value) -> str | None:
        if column.unit_of is None:
            return column.unit
        reference = self.ctx.form.column(column.unit_of).reference
        return reference.stored_unit(self.loaded(reference)[1][ref_value])

    def describe_key(self, form: Form, record: tuple) -> str:
        parts = []
        for key in form.key:
            column, value = form.column(key), record[form.index(key)]
            if column.reference is not None:
                reference = column.reference
                parts.append(reference.describe(self.loaded(reference)[1][value]))
            else:
                parts.append(normalize.quote(value))
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


def _text_converter(limit: int) -> Callable:
    def convert(raw):
        text = normalize.clean_text(raw)
        if text is not None and len(text) > limit:
            raise CellError(_("内容过长：共%(n)s字，此列最多%(limit)s字。") % {
                "n": len(text), "limit": limit})
        return text

    return convert


def converter_for(context, column: Column, header_unit: str | None) -> Callable:
    kind = column.type
    if kind == ColumnType.DECIMAL:
        if column.unit_of is not None:
            return _decimal_converter(None)
        factor = measures.conversion_factor(header_unit, column.unit)
        if factor is None or factor == ONE:
            factor = ONE
        return _decimal_converter(factor, column.unit)
    if kind == ColumnType.INT:
        return memoize(normalize.parse_int)
    if kind == ColumnType.PERIOD:
        return memoize(normalize.parse_period)
    if kind == ColumnType.YEAR:
        return memoize(normalize.parse_year)
    if kind == ColumnType.DATE:
        return memoize(normalize.parse_date)
    if kind == ColumnType.CHOICE:
        return _choice_converter(column)
    if kind == ColumnType.REFERENCE:
        return context.lookups().converter(column)
    if column.max_length is not None:
        return _text_converter(column.max_length)
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
                    measures.conversion_factor(cell.unit, column.unit) is None:
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
        factor = measures.conversion_factor(cell.unit, stored)
        if factor is None:
            plan.problems.append((cell.label, cell.label, _unit_mismatch(cell.unit, stored)))
            continue
        convert = _decimal_converter(ONE if factor == ONE else factor, stored)
        plan.pivots.append((cell.index, lambda raw, _key, c=convert: c(raw), cell.label,
                            key_value))


class _Counted(NamedTuple):
    """The factor into a unit that counts whole things (人, 个…): fractions refused."""

    factor: Decimal
    stored: str


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
        in_cell = measures.split_header(raw_ref)[1] if raw_ref.__class__ is str else None
        source = in_cell or value_cell.unit
        factor = measures.conversion_factor(source, stored)
        if factor is None:
            if in_cell:
                return ref_cell.label, raw_ref, _unit_mismatch(source, stored, False)
            return value_cell.label, None, _unit_mismatch(source, stored)
        if measures.is_whole_unit(stored):
            return _Counted(factor, stored)
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
            if factor.__class__ is _Counted:
                value = _whole(number_value * factor.factor, factor.stored)
            else:
                value = number_value * factor
            record[value_position] = _in_range(value, raw)
        except CellError as exc:
            run.error(number, value_cell.label, raw, exc.message)
            return True
        return False

    return post


def _look_up(index, raw, reference):
    """The id a name (or code, or synonym) stands for; ``None`` for an empty cell."""
    text = normalize.clean_text(raw)
    if text is None:
        return None
    found = index.find(text)
    if found is AMBIGUOUS:
        raise CellError(reference.ambiguous(normalize.quote(text)), quotes_value=True)
    if found is None:
        raise CellError(reference.unknown(normalize.quote(text)), quotes_value=True)
    return found
