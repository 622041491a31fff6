"""Reading spreadsheets and CSV files as streams of rows (读取表格).

XLSX, XLS and ODS go through python-calamine; CSV is read in UTF-8, UTF-8 with a
byte-order mark or GB18030, whichever the first bytes show, with the delimiter
(comma, tab or semicolon) sniffed from the same sample. Rows come out one by one
with their 1-based row number in the sheet, so memory does not grow with the file.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
_SAMPLE = 1 << 16


class ReadError(ValueError):
    """The file cannot be read at all (wrong type, broken, undecodable)."""


@dataclass
class Table:
    """One sheet: its name, its rows as ``(row number, cells)`` and its merged ranges.

    ``merged`` holds ``(first row, first cell, last row, last cell)``, rows 1-based
    like the row numbers and cells as indexes into the cell lists.
    """

    name: str
    rows: Iterator[tuple[int, list]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


def open_tables(path: str | Path) -> Iterator[Table]:
    """The visible sheets of a workbook in order; a CSV file is one table."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        yield Table(path.stem, _csv_rows(path))
    elif suffix in SPREADSHEET_SUFFIXES:
        yield from _workbook_tables(path)
    else:
        raise ReadError(
            _("不支持的文件类型“%(suffix)s”，请使用 XLSX、XLS 或 CSV 文件。")
            % {"suffix": suffix or path.name}
        )


# --- workbooks -------------------------------------------------------------------
def _workbook_tables(path: Path) -> Iterator[Table]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types per format
        raise ReadError(_("无法读取文件：%(error)s") % {"error": exc}) from None
    for meta in workbook.sheets_metadata:
        if str(getattr(meta, "visible", "Visible")).endswith(("Hidden", "VeryHidden")):
            continue
        if not str(getattr(meta, "typ", "WorkSheet")).endswith("WorkSheet"):
            continue
        try:
            sheet = workbook.get_sheet_by_name(meta.name)
        except Exception:  # noqa: S112  (a chart sheet or a broken sheet is passed over)
            continue
        first_cell = sheet.start[1] if sheet.start else 0
        merged = [
            (r0 + 1, c0 - first_cell, r1 + 1, c1 - first_cell)
            for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or ())
        ]
        yield Table(meta.name, _sheet_rows(sheet), merged)


def _sheet_rows(sheet) -> Iterator[tuple[int, list]]:
    # calamine yields rows from the first row of the sheet, cells from the first used column
    yield from enumerate(sheet.iter_rows(), start=1)


# --- CSV -------------------------------------------------------------------------
def sniff_encoding(sample: bytes) -> str:
    """``utf-8-sig`` with a BOM, ``utf-8`` if the sample decodes as such, else ``gb18030``."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def _sniff_delimiter(text: str) -> str:
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    counts = {d: sum(line.count(d) for line in lines) for d in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_rows(path: Path) -> Iterator[tuple[int, list]]:
    with path.open("rb") as raw:
        sample = raw.read(_SAMPLE)
        encoding = sniff_encoding(sample)
        raw.seek(0)
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        head = sample.decode(encoding, errors="ignore")
        reader = csv.reader(text, delimiter=_sniff_delimiter(head))
        number = 0
        try:
            for number, cells in enumerate(reader, start=1):
                yield number, cells
        except UnicodeDecodeError:
            raise ReadError(
                _("第%(row)s行之后的内容无法按 %(encoding)s 解码，请将文件另存为 UTF-8 编码。")
                % {"row": number, "encoding": encoding.upper()}
            ) from None
        except csv.Error as exc:
            raise ReadError(
                _("第%(row)s行不是有效的 CSV：%(error)s") % {"row": number + 1, "error": exc}
            ) from None
