"""What an import reports (导入结果): refused cells and rows, sheets read, counts.

Shaped as the CLI's JSON (DESIGN §13); the web pages and the API show the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from jiangping.intake.layout import Layout, missing_columns, unknown_layout_message
from jiangping.intake.normalize import CellError, quote
from jiangping.intake.registry import Form
from jiangping.intake.unread import UnreadCell

# A whole number shown as one up to here; beyond, as text (cut by quote).
_EXACT_FLOAT = 1e15


def shown_value(value):
    """A cell as the user typed it, for a report: ``5`` (not ``5.0``), a date as shown,
    text cut after ~50 characters (``…（共N字）``)."""
    if value is None or value.__class__ is bool:
        return value
    if value.__class__ is int and abs(value) < _EXACT_FLOAT:
        return value
    if value.__class__ is float and value.is_integer() and abs(value) < _EXACT_FLOAT:
        return int(value)
    if value.__class__ is float and value == value and abs(value) < _EXACT_FLOAT:
        return value
    return quote(value) or None


@dataclass
class RowError:
    """One refused cell or row; ``row`` is 1-based in its sheet, ``sheet`` is named when
    the workbook has several sheets, and ``value`` is the cell as written. ``order``:
    where it is in the file (sheet, row, column), to list errors in that order."""

    row: int | None
    column: str | None
    value: object
    message: str
    sheet: str | None = None
    order: tuple = field(default=(), compare=False, repr=False)

    def as_dict(self) -> dict:
        # an unread cell as it shows (#N/A is not an empty mark here)
        value = quote(self.value.text) if isinstance(self.value, UnreadCell) \
            else shown_value(self.value)
        message = self.message
        if self.sheet is not None:
            message = sheet_prefix(self.sheet, self.row) + message
        data = {"row": self.row, "column": self.column, "value": value, "message": message}
        if self.sheet is not None:
            data["sheet"] = self.sheet
        return data


def sheet_prefix(sheet: str, row: int | None) -> str:
    """``工作表“环境”第4行：`` (or ``工作表“环境”：`` for the sheet as a whole)."""
    if row is None:
        return _("工作表“%(sheet)s”：") % {"sheet": sheet}
    return _("工作表“%(sheet)s”第%(row)s行：") % {"sheet": sheet, "row": row}


@dataclass
class SheetResult:
    name: str
    imported: bool
    rows_read: int = 0

    def as_dict(self) -> dict:
        return {"name": self.name, "imported": self.imported, "rows_read": self.rows_read}


@dataclass
class Skipped:
    """Something in the file that was deliberately not read (a hidden sheet, a hidden
    row); ``row`` is ``None`` for a whole sheet."""

    sheet: str
    row: int | None
    message: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "message": self.message}

    def describe(self) -> str:
        """``工作表“数据”第3行：隐藏的行，未导入。``"""
        return sheet_prefix(self.sheet, self.row) + self.message


@dataclass
class ImportResult:
    """The outcome of one import, shaped as the CLI's JSON (DESIGN §13)."""

    form: str
    file: str
    rows_read: int = 0
    rows_ok: int = 0
    rows_error: int = 0
    applied: bool = False
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    errors_total: int = 0
    sheets: list[SheetResult] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.errors_total == 0

    def as_dict(self) -> dict:
        data = {
            "form": self.form, "file": self.file, "rows_read": self.rows_read,
            "rows_ok": self.rows_ok, "rows_error": self.rows_error, "applied": self.applied,
            "created": self.created, "updated": self.updated,
            "errors": [error.as_dict() for error in self.errors],
        }
        if len(self.sheets) > 1:
            data["sheets"] = [sheet.as_dict() for sheet in self.sheets]
        if self.skipped:
            data["skipped"] = [item.as_dict() for item in self.skipped]
        return data


def display(value) -> str:
    """A value as text in a message (cut after ~50 characters); nothing for ``None``."""
    return quote(value)


def layout_refusals(form: Form, failures: list[Layout], defaults: dict, named: bool):
    """Why no layout of a sheet could be imported, from its best one (``failures[0]``):
    (row, column, value, message) for each duplicated, unknown or missing column; with no
    layout at all, the sheet as a whole (``named``: in a workbook of several sheets)."""
    if not failures:
        message = unknown_layout_message(form)
        if named:
            message += _("如该工作表不是本表的数据，请将其删除或隐藏。")
        yield None, None, None, message
        return
    layout = failures[0]
    for first, again in layout.duplicates:
        yield (layout.header_row, again.label, again.label,
               _("列“%(label)s”与“%(first)s”重复。") % {"label": again.label, "first": first.label})
    if layout.wide:
        for cell in layout.unknown:
            yield (layout.header_row, cell.label, cell.label,
                   _("无法识别的列“%(label)s”：既不是本表的列，也不是已知的指标。")
                   % {"label": cell.label})
    for key, refusal in defaults.items():
        if isinstance(refusal, CellError) and key not in layout.fixed:
            yield layout.header_row, form.column(key).header, None, refusal.message
    for column in missing_columns(form, layout, defaults):
        message = _("表头（第%(row)s行）缺少“%(column)s”列。") % {
            "row": layout.header_row, "column": column.header}
        if column.type == "period":
            message += _("可在表格标题中写明期间（如“2019年1-11月”）或用 --period 指定。")
        yield layout.header_row, column.header, None, message
