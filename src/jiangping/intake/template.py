"""Import templates (导入模板): a ready XLSX per form.

The first sheet carries the canonical headers in a protected row, drop-down lists
for reference columns (the names each column's resolver offers, kept in a hidden
sheet, as Excel limits inline lists to 255 characters) and an input hint per column;
the second sheet explains every column, its synonyms, its unit of measure and the
quirks the importer accepts.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
from django.utils.translation import gettext as _

from jiangping.intake.registry import ColumnType, Form

TEMPLATE_ROWS = 500
_LIST_SHEET = "lists"
# Unit, indicator and choice names are user-controlled: a name such as "=HYPERLINK(…)"
# must reach every county as text, never as a live formula or link (CSV/formula
# injection). xlsxwriter's ``write`` turns strings starting with "=" into formulas
# and URL-looking strings into links unless told not to.
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False,
                    "strings_to_numbers": False}


def write_template(form: Form, path: str | Path, scope=None) -> Path:
    """Write the template of ``form`` to ``path``; names limited to ``scope`` if given."""
    path = Path(path)
    workbook = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    header = workbook.add_format({
        "bold": True, "locked": True, "bg_color": "#DDEBF7", "border": 1, "align": "center",
        "valign": "vcenter", "text_wrap": True,
    })
    editable = workbook.add_format({"locked": False})
    text_cell = workbook.add_format({"locked": False, "num_format": "@"})
    sheet = workbook.add_worksheet(str(form.title)[:31])
    lists = workbook.add_worksheet(_LIST_SHEET)
    notes = workbook.add_worksheet(_("填表说明"))
    list_columns = 0
    for position, column in enumerate(form.columns):
        cell_format = text_cell if column.type in (ColumnType.PERIOD, ColumnType.TEXT) \
            else editable
        sheet.set_column(position, position, 18, cell_format)
        sheet.write(0, position, column.template_header(), header)
        options = _choices(form, column, scope)
        validation = {"validate": "any"}
        if options:
            lists.write_column(0, list_columns, options)
            letter = xlsxwriter.utility.xl_col_to_name(list_columns)
            validation = {
                "validate": "list",
                "source": f"={_LIST_SHEET}!${letter}$1:${letter}${len(options)}",
                "error_title": _("请从列表中选择"),
                "error_message": _("请选择列表中的名称。"),
            }
            list_columns += 1
        if column.help:
            validation["input_title"] = str(column.header)[:32]
            validation["input_message"] = str(column.help)[:255]
        if len(validation) > 1:
            sheet.data_validation(1, position, TEMPLATE_ROWS, position, validation)
    sheet.freeze_panes(1, 0)
    sheet.set_row(0, 28)
    sheet.protect("", {
        "insert_rows": True, "delete_rows": True, "sort": True, "autofilter": True,
        "format_columns": True, "format_cells": True,
    })
    lists.very_hidden()  # program-internal: the reader passes it over without a word
    _write_notes(notes, form, workbook)
    workbook.close()
    return path


def _choices(form: Form, column, scope) -> list[str]:
    """A column's drop-down: a reference column's names as its resolver offers them
    (within ``scope``), a choice column's labels."""
    if column.reference is not None:
        return column.reference.choices(form, scope)
    if column.type == ColumnType.CHOICE:
        return [str(label) for _value, label in column.choices]
    return []


def _write_notes(notes, form: Form, workbook) -> None:
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    notes.set_column(0, 0, 16)
    notes.set_column(1, 4, 28, wrap)
    notes.write(0, 0, f"{form.title}（{form.name}）", bold)
    notes.write(1, 0, str(form.description))
    row = 3
    for col, text in enumerate((_("列"), _("可用别名"), _("计量单位"), _("必填"), _("说明"))):
        notes.write(row, col, text, bold)
    for column in form.columns:
        row += 1
        unit = column.unit or (_("按“%(column)s”的计量单位") % {
            "column": form.column(column.unit_of).header} if column.unit_of else "")
        notes.write_row(row, 0, [
            str(column.header), "、".join(column.synonyms), str(unit),
            _("是") if column.required else _("否"), str(column.help),
        ])
    row += 2
    notes.write(row, 0, _("示例"), bold)
    for example in form.example_rows:
        row += 1
        notes.write_row(row, 0, list(example))
    row += 2
    notes.write(row, 0, _("导入时可识别"), bold)
    for quirk in (*_common_quirks(), *form.quirks):
        row += 1
        notes.write(row, 1, str(quirk))


def _common_quirks() -> tuple[str, ...]:
    return (
        _("表头上方的标题行、两级合并表头、表头中的计量单位（如“（万元）”“（亿元）”）"),
        _("合计、小计、总计行与空行自动跳过；全角数字、“12.3%”、千分位逗号"),
        _("“—”“-”“/”“无”及空白视为未填；繁体字单位与指标名称"),
    )
