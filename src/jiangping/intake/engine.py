"""The import engine (导入引擎): one path from a file to the module actions for every form.

``run_import`` reads the file as a stream, finds the header, converts every cell,
refuses bad rows with their row number, column and value, and hands clean records
to the form's action. A file is applied completely or not at all, and applying it
again creates nothing new (natural keys). A form with ``preview``, ``stage`` and ``merge``
(the indicators' forms) is read and checked outside any transaction: a dry run (the
default) counts what would change by reading only, and an applied run stages each
clean batch (``stage``) and writes them all at the end (``merge``), which locks only
for that final write, so a long file never holds up the database's other writers.
Any other form runs in one transaction, rolled back for a dry run and for a run with
any refused row.

A workbook is read sheet by sheet (工作表): every visible sheet whose header is
recognised is imported. A sheet that looks like the form's table but lacks a column,
or holds numbers without a recognisable header, is refused by name; a sheet of text
only (填表说明, a cover) is passed over and listed as such. Errors of a workbook with
several sheets name the sheet.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiangping.core.text import join_sentences
from jiangping.intake import converters
from jiangping.intake.keys import KeyTracker
from jiangping.intake.layout import (
    SCAN_ROWS,
    Layout,
    detect,
    is_mark_row,
    key_cell_index,
    missing_columns,
)
from jiangping.intake.normalize import CellError, clean_text, parse_period, quote
from jiangping.intake.reading import ReadError, Table, open_tables
from jiangping.intake.registry import Form, get_form
from jiangping.intake.results import (
    ImportResult,
    RowError,
    SheetResult,
    Skipped,
    display,
    layout_refusals,
)
from jiangping.intake.sniff import column_letters
from jiangping.intake.unread import UNREAD_CELLS, refuse_unread

BATCH_ROWS = 5000
MAX_ERRORS = 1000
_FAILED = object()  # a cell already refused, so not reported again as empty
_SHEET_ROWS = 1 << 32  # row keys of the duplicate check: sheet position × this + row


class InvalidPeriod(ValueError):
    """The period given for a run (``--period``) cannot be read; ``message`` is Chinese."""

    def __init__(self, period):
        self.message = _("期间“%(period)s”格式不正确，应为 YYYY-MM（如 2019-11）。") % {
            "period": quote(period)}
        super().__init__(self.message)


def import_period(period) -> str | None:
    """The run's period in the one spelling ``YYYY-MM`` (``2019年11月`` → ``2019-11``)."""
    if period is None:
        return None
    try:
        normalized = parse_period(period)
    except CellError:
        normalized = None
    if normalized is None:
        raise InvalidPeriod(period)
    return normalized


@dataclass
class ImportContext:
    """What a form's hooks may know about the run: who imports, with which options."""

    form: Form
    scope: object
    user: object = None
    period: str | None = None
    titles: list[str] = field(default_factory=list)  # the rows above the header
    sheet: str | None = None  # the name of the sheet being read
    cache: dict = field(default_factory=dict)

    def lookups(self) -> converters.Lookups:
        if "lookups" not in self.cache:
            self.cache["lookups"] = converters.Lookups(self)
        return self.cache["lookups"]


def import_refusal(form: Form, scope) -> str | None:
    """Why ``scope`` may not import ``form`` at all (a read-only role, a form of the city
    office), or ``None``."""
    if not getattr(scope, "can_write", False):
        return _("当前角色只能查看，不能修改数据。")
    if form.city_office_only and not scope.is_city_office:
        return _("“%(form)s”仅限市级管理员导入。") % {"form": form.title}
    return None


def run_import(form: Form | str, path: str | Path, *, scope, user=None, period: str | None = None,
               apply: bool = False) -> ImportResult:
    """Import ``path`` as ``form`` within ``scope``; write only if ``apply`` and no row fails.

    Raises :class:`~jiangping.intake.registry.UnknownForm`, :class:`InvalidPeriod` and
    ``FileNotFoundError`` (wrong usage); everything wrong with the content is in the
    result's errors.
    """
    form = get_form(form) if isinstance(form, str) else form
    period = import_period(period)
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(path)
    run = _Run(form, path, ImportContext(form=form, scope=scope, user=user, period=period),
               apply=apply)
    if run.staging:
        run.execute()
        run.result.applied = apply and run.result.ok
    else:
        with transaction.atomic():
            run.execute()
            run.result.applied = apply and run.result.ok
            if not run.result.applied:
                transaction.set_rollback(True)
    if not run.result.ok:
        run.result.created = run.result.updated = 0
    return run.result


class _Run:
    def __init__(self, form: Form, path: Path, context: ImportContext, apply: bool = False):
        self.form, self.path, self.ctx = form, path, context
        self.apply = apply
        # Checked outside a transaction, previewed or staged, merged at the end (see the
        # module).
        self.staging = None not in (form.preview, form.stage, form.merge)
        self.staged = False
        self.result = ImportResult(form=form.name, file=str(path))
        self.columns = form.columns
        self.key_positions = [form.index(key) for key in form.key]
        self.key_of = operator.itemgetter(*self.key_positions)
        self.tracker: KeyTracker | None = None
        self.sheet: str | None = None
        self.sheet_names: list[str | None] = []
        self.sheet_base = 0
        self.layout: Layout | None = None
        self.positions: dict[str, int] = {}  # header label → its column in the sheet
        self.records = 0  # records handed to the form's checks, over all sheets
        self._reset_batch()

    # --- errors ---------------------------------------------------------------
    def error(self, row: int | None, column: str | None, value, message: str) -> None:
        self.result.errors_total += 1
        if len(self.result.errors) < MAX_ERRORS:
            error = RowError(row, column, value, message, self.sheet)
            error.order = (self.sheet_base, -1 if row is None else row,
                           self._position(column), self.result.errors_total)
            self.result.errors.append(error)

    def _position(self, column: str | None) -> int:
        """Where ``column`` is in the sheet; a repeated key's columns joined by ``/``: its
        first one's."""
        position = self.positions.get(column)
        if position is None and column:
            position = next((self.positions[part] for part in column.split("/")
                             if part in self.positions), None)
        return -1 if position is None else position

    def _finish_errors(self) -> None:
        """Errors in the order of the file (sheet, row, column), whenever they were found
        (batch checks and repeated keys come late)."""
        self.result.errors.sort(key=operator.attrgetter("order"))
        hidden = self.result.errors_total - len(self.result.errors)
        if hidden:
            self.result.errors.append(RowError(
                None, None, None, _("另有%(n)s处错误未列出。") % {"n": hidden}))

    def _label(self, key: str) -> str:
        """Column ``key`` named as written in the sheet (``parent/child`` for a two-level
        header), else by the form's header (a value from ``--period`` or a title)."""
        cell = self.layout.fixed.get(key) if self.layout is not None else None
        return cell.label if cell is not None else self.form.column(key).header

    # --- the run --------------------------------------------------------------
    def execute(self) -> None:
        self.tables = None
        try:
            self._execute()
        except ReadError as exc:
            self.error(None, None, None, str(exc))
        finally:
            if self.tables is not None:
                self.tables.close()
        if self.staged and self.result.errors_total == 0:
            self._merge()
        self._finish_errors()
        if self.tracker is not None:
            self.tracker.close()

    def _execute(self) -> None:
        refusal = import_refusal(self.form, self.ctx.scope)
        if refusal:
            self.error(None, None, None, refusal)
            return
        tables = self.tables = open_tables(self.path)
        several = len(tables) > 1
        passed_over: list[tuple[str, list[Layout]]] = []
        imported = refused = 0
        for position, table in enumerate(tables):
            self.sheet = table.name if several else None
            self.sheet_names.append(self.sheet)
            self.sheet_base = position * _SHEET_ROWS
            head = list(itertools.islice(table.rows, SCAN_ROWS))
            before = self.result.rows_read
            failures = self._import_table(table, head)
            sheet = SheetResult(table.name, failures is None)
            self.result.sheets.append(sheet)
            if failures is None:
                imported += 1
                sheet.rows_read = self.result.rows_read - before
            elif (failures and failures[0].score >= 2) or _holds_numbers(head):
                refused += 1
                self._layout_refused(failures, several)
            else:
                passed_over.append((table.name, failures))
        self._skipped(tables)
        if not imported and not refused:
            failures = max((f for _name, f in passed_over), key=_best_score, default=[])
            self.sheet = next((name for name, f in passed_over if f is failures), None) \
                if several and failures else None
            self._layout_refused(failures, several and bool(failures))
        elif imported and not self.records and not self.result.errors_total:
            self.sheet = None
            self.error(None, None, None, _("没有数据行：表头下面没有可导入的数据。"))

    def _skipped(self, tables) -> None:
        """Hidden sheets, rows and columns are not imported; the result says which."""
        for name in tables.hidden_sheets:
            self.result.skipped.append(Skipped(name, None, _("隐藏的工作表，未导入。")))
        for table in tables:
            for row in table.hidden_rows:
                self.result.skipped.append(Skipped(table.name, row, _("隐藏的行，未导入。")))
            for column in getattr(table, "hidden_columns", ()):
                self.result.skipped.append(Skipped(table.name, None, _(
                    "隐藏的列 %(column)s，未导入。") % {"column": column_letters(column)}))

    def _import_table(self, table: Table, head: list) -> list[Layout] | None:
        """Import ``table`` if a layout of it is complete; else its layouts, best first."""
        lookups = self.ctx.lookups()
        pivot_lookup = lookups.pivot_lookup(self.form) if self.form.pivot else None
        layouts = detect(self.form, head, table.merged, pivot_lookup)
        self.ctx.sheet = table.name
        for layout in layouts:
            self.ctx.titles = layout.titles
            defaults = self.form.defaults(self.ctx) if self.form.defaults else {}
            if not missing_columns(self.form, layout, defaults) and not layout.duplicates \
                    and not (layout.wide and layout.unknown):
                rest = (item for item in head if item[0] > layout.header_row)
                self._import_rows(layout, defaults, itertools.chain(rest, table.rows))
                return None
        return layouts

    def _layout_refused(self, failures: list[Layout], named: bool) -> None:
        defaults = {}
        if failures:
            self.ctx.titles = failures[0].titles
            defaults = self.form.defaults(self.ctx) if self.form.defaults else {}
        for row, column, value, message in layout_refusals(self.form, failures, defaults, named):
            self.error(row, column, value, message)

    # --- rows -----------------------------------------------------------------
    def _import_rows(self, layout: Layout, defaults: dict, rows: Iterator) -> None:
        plan = converters.build_plan(self.ctx, layout, defaults)
        if plan.problems:
            for label, value, message in plan.problems:
                self.error(layout.header_row, label, value, message)
            return
        self.layout = layout
        self.positions = {cell.label: cell.index for cell in layout.fixed.values()}
        self.positions.update((cell.label, cell.index) for cell, _key in layout.pivot)
        if self.tracker is None:
            self.tracker = KeyTracker(len(self.key_positions))
        width = len(self.columns)
        template = [None] * width
        for position, value in plan.defaults:
            template[position] = value
        cells_plan = plan.cells
        pivots = plan.pivots
        required = plan.required
        skip_positions = plan.skip_if_blank
        skip_hook = self.form.skip
        mark_index = key_cell_index(self.form, layout)
        result = self.result
        batch, numbers, labels = self.batch, self.batch_numbers, self.batch_labels
        sources = self.batch_cells
        for number, cells in rows:
            if not any(cells) and all(c is None or c == "" for c in cells):
                continue
            size = len(cells)
            record = template.copy()
            problems = None
            filled = False
            for position, index, convert, label in cells_plan:
                raw = cells[index] if index < size else None
                try:
                    if raw.__class__ in UNREAD_CELLS:
                        refuse_unread(raw)
                    value = convert(raw)
                except CellError as exc:
                    problems = problems or []
                    problems.append((label, raw, exc.message))
                    record[position] = _FAILED
                    continue
                if value is not None:
                    record[position] = value
                    filled = True
            pivot_values = []
            for index, convert, label, key_value in pivots:
                raw = cells[index] if index < size else None
                try:
                    if raw.__class__ in UNREAD_CELLS:
                        refuse_unread(raw)
                    value = convert(raw, key_value)
                except CellError as exc:
                    problems = problems or []
                    problems.append((label, raw, exc.message))
                    continue
                if value is not None:
                    pivot_values.append((key_value, value, (label, index)))
                    filled = True
            if not filled and problems is None:
                continue
            if problems is None and any(record[p] is None for p in skip_positions):
                result.rows_read += 1
                self.batch_rows += 1
                continue
            for position, label in required:
                if record[position] is None:
                    problems = problems or []
                    problems.append((label, None, _("不能为空。")))
            if problems is not None and is_mark_row(cells, mark_index):
                continue
            result.rows_read += 1
            self.batch_rows += 1
            if problems is not None:
                for label, raw, message in problems:
                    self.error(number, label, raw, message)
                self.batch_failed.add(number)
                continue
            if plan.post is not None and plan.post(self, number, record, cells):
                self.batch_failed.add(number)
            elif pivots:
                self._add_pivot_records(number, record, pivot_values, plan, cells)
            elif skip_hook and skip_hook(self.ctx, tuple(record)):
                self.records += 1
            else:
                self.records += 1
                batch.append(tuple(record))
                numbers.append(number)
                labels.append(None)
                sources.append((cells, None))
            # A batch is also flushed after BATCH_ROWS rows read, so that a file of refused
            # rows keeps no more of them than one batch.
            if len(batch) >= BATCH_ROWS or self.batch_rows >= BATCH_ROWS:
                self._flush()
                batch, numbers, labels = self.batch, self.batch_numbers, self.batch_labels
                sources = self.batch_cells
        self._flush()

    def _add_pivot_records(self, number: int, record: list, pivot_values: list, plan,
                           cells: list) -> None:
        key_position, value_position = plan.pivot_positions
        for key_value, value, (label, index) in pivot_values:
            record[key_position] = key_value
            record[value_position] = value
            item = tuple(record)
            self.records += 1
            if self.form.skip and self.form.skip(self.ctx, item):
                continue
            self.batch.append(item)
            self.batch_numbers.append(number)
            self.batch_labels.append(label)
            self.batch_cells.append((cells, index))

    # --- batches --------------------------------------------------------------
    def _reset_batch(self) -> None:
        self.batch: list[tuple] = []
        self.batch_numbers: list[int] = []
        self.batch_labels: list[str | None] = []
        self.batch_cells: list[tuple[list, int | None]] = []
        self.batch_rows = 0
        self.batch_failed: set[int] = set()

    def _flush(self) -> None:
        batch, numbers = self.batch, self.batch_numbers
        if batch:
            keys = [self.key_of(record) for record in batch]
            if len(self.key_positions) == 1:
                keys = [(key,) for key in keys]
            base = self.sheet_base
            for index, first in self.tracker.add(keys, [base + n for n in numbers]):
                self._duplicate(index, first)
            if self.form.check is not None:
                for index, key, message in self.form.check(self.ctx, batch):
                    self._late_error(index, self._label(key), self._written(index, key),
                                     message)
            if self.result.errors_total == 0:
                self._apply(batch)
        failed = len(self.batch_failed)
        self.result.rows_error += failed
        self.result.rows_ok += self.batch_rows - failed
        self._reset_batch()

    def _written(self, index: int, key: str):
        """The cell of record ``index`` that gave its ``key`` column, as written in the
        sheet (a wide layout's indicator: the column header); a value given by
        ``--period`` or a title, as given."""
        cells, pivot_index = self.batch_cells[index]
        pivot = self.form.pivot
        if pivot_index is not None and pivot is not None:
            if key == pivot.value:
                return cells[pivot_index]
            if key == pivot.key:
                return self.batch_labels[index]
        cell = self.layout.fixed.get(key) if self.layout is not None else None
        if cell is not None:
            return cells[cell.index] if cell.index < len(cells) else None
        return display(self.batch[index][self.form.index(key)])

    def _late_error(self, index: int, column: str | None, value, message: str) -> None:
        """Refuse record ``index``; in a wide layout, its cell is the one refused."""
        number = self.batch_numbers[index]
        cells, pivot_index = self.batch_cells[index]
        if pivot_index is not None:
            column, value = self.batch_labels[index], cells[pivot_index]
        self.error(number, column, value, message)
        self.batch_failed.add(number)

    def _duplicate(self, index: int, first: int) -> None:
        record = self.batch[index]
        headers = "/".join(self._label(key) for key in self.form.key)
        written = "/".join(display(clean_text(self._written(index, key)))
                           for key in self.form.key)
        shown = self.ctx.lookups().describe_key(self.form, record) or "/".join(
            display(record[position]) for position in self.key_positions)
        sheet, row = divmod(first, _SHEET_ROWS)
        where = _("第%(row)s行") % {"row": row}
        if self.sheet_names[sheet] != self.sheet:
            where = _("工作表“%(sheet)s”第%(row)s行") % {
                "sheet": self.sheet_names[sheet], "row": row}
        self._late_error(index, headers, written,
                         _("与%(where)s重复（%(key)s相同：%(shown)s）。")
                         % {"where": where, "key": headers, "shown": shown})

    def _apply(self, batch: list[tuple]) -> None:
        """Write ``batch`` (in the run's transaction), count what it would write (a
        staging dry run) or stage it for :meth:`_merge` (a staging applied run)."""
        if self.staging and self.apply:
            self.staged = True
            self._count(self.form.stage, self.ctx, batch)
        else:
            self._count(self.form.preview if self.staging else self.form.apply, self.ctx,
                        batch)

    def _merge(self) -> None:
        self.sheet = None  # a refusal at the merge (a month locked meanwhile) is the file's
        self._count(self.form.merge, self.ctx)

    def _count(self, action, *args) -> None:
        try:
            created, updated = action(*args) or (0, 0)
        except (PermissionDenied, ValidationError) as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            self.error(None, None, None, join_sentences(messages))
            return
        self.result.created += created
        self.result.updated += updated


def _holds_numbers(head: list) -> bool:
    """Numbers among a sheet's first rows: a table, not a sheet of notes."""
    return any(cell.__class__ in (int, float) for _number, cells in head for cell in cells)


def _best_score(failures: list[Layout]) -> int:
    return failures[0].score if failures else 0
