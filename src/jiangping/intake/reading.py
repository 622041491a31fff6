"""Reading spreadsheets and CSV files as streams of rows (读取表格).

XLSX, XLS and ODS go through python-calamine; CSV is read in UTF-8, UTF-8 with a
byte-order mark or GB18030, whichever the first bytes show, with the delimiter
(comma, tab or semicolon) sniffed from the same sample. Rows come out one by one
with their 1-based row number in the sheet, so memory does not grow with the file.

calamine gives a cell's number, not its number format, so a cell showing 8.2% comes
out as 0.082. For XLSX and XLSM the workbook's styles are read as well: when some
style has a percentage format, the sheet's XML is scanned once more, in chunks, for the
cells that use it, and those come out as
:class:`~jiangping.intake.normalize.PercentCell`.
"""

from __future__ import annotations

import codecs
import csv
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from jiangping.intake.normalize import PercentCell

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


def open_tables(path: str | Path) -> list[Table]:
    """The visible sheets of a workbook in order (rows read lazily); a CSV file is one
    table."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return [Table(path.stem, _csv_rows(path))]
    if suffix in SPREADSHEET_SUFFIXES:
        return list(_workbook_tables(path))
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
    formats = _PercentFormats(path) if path.suffix.lower() in (".xlsx", ".xlsm") else None
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
        percent = formats.cells(meta.name) if formats is not None else None
        yield Table(meta.name, _sheet_rows(sheet, percent, first_cell), merged)


def _sheet_rows(sheet, percent: dict[int, list[int]] | None,
                first_cell: int) -> Iterator[tuple[int, list]]:
    # calamine yields rows from the first row of the sheet, cells from the first used column
    if not percent:
        yield from enumerate(sheet.iter_rows(), start=1)
        return
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        columns = percent.get(number)
        if columns:
            for column in columns:
                index = column - first_cell
                if 0 <= index < len(cells) and cells[index].__class__ is float:
                    cells[index] = PercentCell(cells[index])
        yield number, cells


# --- number formats of XLSX ------------------------------------------------------
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PERCENT_BUILTIN = {"9", "10"}  # 0% and 0.00%
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_CELL_REF = re.compile(rb'\br=["\']([A-Z]+)(\d+)["\']')
_CHUNK = 1 << 20


class _PercentFormats:
    """Which cells of an XLSX workbook show a percentage (百分比格式).

    Reads ``xl/styles.xml`` once; a sheet is scanned only when some cell style has a
    percentage format, so a workbook without one costs one small read.
    """

    def __init__(self, path: Path):
        self.path = path
        self.styles: set[str] = set()
        self.sheets: dict[str, str] = {}
        try:
            with zipfile.ZipFile(path) as archive:
                self.styles = _percent_styles(archive)
                if self.styles:
                    self.sheets = _sheet_parts(archive)
        except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
            self.styles = set()

    def cells(self, sheet: str) -> dict[int, list[int]] | None:
        """Row number → 0-based columns of the cells with a percentage format.

        The sheet's XML is scanned in chunks for cell tags (``<c r="D4" s="3" …>``) whose
        style is one of the percentage styles, so only those cells cost Python work.
        """
        part = self.sheets.get(sheet)
        if not self.styles or part is None:
            return None
        styles = b"|".join(re.escape(style.encode()) for style in sorted(self.styles))
        tag = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\bs=["\'](?:' + styles
                         + rb')["\'][^>]*>')
        found: dict[int, list[int]] = {}
        try:
            with zipfile.ZipFile(self.path) as archive, archive.open(part) as stream:
                rest = b""
                while True:
                    chunk = stream.read(_CHUNK)
                    data = rest + chunk
                    cut = data.rfind(b"<") if chunk else -1
                    if cut < 0:
                        cut = len(data)
                    for match in tag.finditer(data, 0, cut):
                        ref = _CELL_REF.search(match.group())
                        if ref is None:
                            return None
                        found.setdefault(int(ref.group(2)), []).append(
                            _column_index(ref.group(1)))
                    if not chunk:
                        return found
                    rest = data[cut:]
        except (zipfile.BadZipFile, KeyError):
            return None


def _parse(data: bytes) -> ElementTree.Element:
    """A small workbook part; OOXML parts declare no DTD, so one with a DTD (and so
    possibly entities) is taken as broken."""
    if b"<!DOCTYPE" in data:
        raise ElementTree.ParseError("DTD in a workbook part")
    return ElementTree.fromstring(data)  # noqa: S314


def _percent_styles(archive: zipfile.ZipFile) -> set[str]:
    """Indexes (as in a cell's ``s``) of the cell styles with a percentage format."""
    root = _parse(archive.read("xl/styles.xml"))
    percent = set(_PERCENT_BUILTIN)
    for number_format in root.iter(_MAIN + "numFmt"):
        code = _QUOTED.sub("", number_format.get("formatCode", ""))
        if "%" in code:
            percent.add(number_format.get("numFmtId"))
    cell_styles = root.find(_MAIN + "cellXfs")
    if cell_styles is None:
        return set()
    return {str(index) for index, xf in enumerate(cell_styles.findall(_MAIN + "xf"))
            if xf.get("numFmtId") in percent}


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part in the archive (``xl/worksheets/sheet1.xml``)."""
    workbook = _parse(archive.read("xl/workbook.xml"))
    rels = _parse(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    parts = {}
    for sheet in workbook.iter(_MAIN + "sheet"):
        target = targets.get(sheet.get(_RELATIONSHIP), "")
        if target:
            part = target.lstrip("/") if target.startswith("/") \
                else posixpath.normpath(posixpath.join("xl", target))
            parts[sheet.get("name")] = part
    return parts


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


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
