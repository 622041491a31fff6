"""A first pass over an XLSX sheet's XML before it is parsed (工作表预检).

Pure functions, no Django, run in the reading child (:mod:`jiangping.intake.sheetchild`).
The sheet part is inflated in chunks and scanned with byte searches, so it costs a few
milliseconds per megabyte and no memory beyond a chunk. It finds:

- the sheet's extent (the ``<dimension>`` it declares and the last ``<row r=…>``; the
  widest cell reference when it declares none) against the number of cells it holds; a
  file that lies about them meets the reading child's memory limit. calamine builds
  every sheet as a dense grid, so a stray cell at ``XFD1048576`` is refused by name
  before the grid is built;
- hidden rows (``<row hidden="1">``);
- cells the file holds no value for: a formula saved without its result, an error
  value (``t="e"``: ``#DIV/0!``, ``#REF!``, ``#N/A``…);
- cells with a percentage number format (calamine gives 0.082 for 8.2%).
"""

from __future__ import annotations

import itertools
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from jiangping.intake.sniff import Limits, Refused, column_index, column_letters

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PERCENT_BUILTIN = {"9", "10"}  # 0% and 0.00%
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_CHUNK = 1 << 20

# Patterns that begin with a literal scan at memchr speed; the variants for a namespace
# prefix (``<x:row>``, rare) run only where the chunk holds one.
_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\b[^>]*?\bref=["\']([^"\']+)["\']')
_ROW_TAG = re.compile(rb'<row\b([^>]*)>')
_ROW_TAG_NS = re.compile(rb'<[\w.-]+:row\b([^>]*)>')
_ROW_NUMBER = re.compile(rb'\br=["\'](\d+)["\']')
_HIDDEN = re.compile(rb'\bhidden=["\'](?:1|true)["\']')
_COL = re.compile(rb'<(?:[\w.-]+:)?col\b([^>]*)>')
_COL_SPAN = re.compile(rb'\bmin=["\'](\d+)["\'][^>]*?\bmax=["\'](\d+)["\']'
                       rb'|\bmax=["\'](\d+)["\'][^>]*?\bmin=["\'](\d+)["\']')
MAX_COLUMNS = 16384
_WIDE_REF = re.compile(rb' r="([A-Z]{2,3})(\d+)"')
_WIDE_REF_SINGLE = re.compile(rb"\sr='([A-Z]{2,3})(\d+)'")
_CELL = re.compile(rb'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.DOTALL)
_CELL_NS = re.compile(rb'<[\w.-]+:c\b([^>]*?)(?:/>|>(.*?)</[\w.-]+:c>)', re.DOTALL)
_CELL_REF = re.compile(rb'\br=["\']([A-Z]+)(\d+)["\']')
_CELL_TYPE = re.compile(rb'\bt=["\'](\w+)["\']')
_FORMULA = re.compile(rb'<(?:[\w.-]+:)?f\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?f>)', re.DOTALL)
_VALUE = re.compile(rb'<(?:[\w.-]+:)?v\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?v>)', re.DOTALL)
_REF_RANGE = re.compile(r"^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$")
# Element starts the chunks are cut before, so that no cell is split.
_STARTS = (b"<c ", b"<c>", b"<row ", b"<row>", b":c ", b":row ")
_COMPUTED_TYPES = {b"str", b"s", b"inlineStr", b"b", b"e"}


@dataclass
class SheetSurvey:
    """What the first pass found in one sheet; rows 1-based, columns 0-based in the sheet."""

    cells: int = 0
    max_row: int = 0
    max_column: int = -1
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)  # 0-based (<col hidden="1">)
    unread: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    percent: dict[int, list[int]] = field(default_factory=dict)
    declared: bool = False  # the sheet declares its extent (<dimension>)
    # The workbook asks to be recalculated when opened (fullCalcOnLoad, as report
    # generators and xlsxwriter write it): the results saved with its formulas are
    # placeholders (often 0), so every formula counts as one without a result.
    stale: bool = False

    def far_cell(self) -> str:
        return f"{column_letters(max(self.max_column, 0))}{max(self.max_row, 1)}"


def parse_part(data: bytes) -> ElementTree.Element:
    """A small workbook part; OOXML parts declare no DTD, so one with a DTD (and so
    possibly entities) is refused."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise Refused("dtd", part="")
    return ElementTree.fromstring(data)  # noqa: S314


def percent_styles(archive: zipfile.ZipFile) -> set[str]:
    """Indexes (as in a cell's ``s``) of the cell styles with a percentage format."""
    try:
        root = parse_part(archive.read("xl/styles.xml"))
    except (KeyError, ElementTree.ParseError):
        return set()
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


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part in the archive (``xl/worksheets/sheet1.xml``)."""
    try:
        workbook = parse_part(archive.read("xl/workbook.xml"))
        rels = parse_part(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    parts = {}
    for sheet in workbook.iter(_MAIN + "sheet"):
        target = targets.get(sheet.get(_RELATIONSHIP), "")
        if target:
            part = target.lstrip("/") if target.startswith("/") \
                else posixpath.normpath(posixpath.join("xl", target))
            parts[sheet.get("name")] = part
    return parts


def recalculated_on_load(archive: zipfile.ZipFile) -> bool:
    """Whether the workbook's ``<calcPr fullCalcOnLoad="1">`` asks the spreadsheet program
    to recompute every formula when opened: the results saved with them are not real."""
    try:
        workbook = parse_part(archive.read("xl/workbook.xml"))
    except (KeyError, ElementTree.ParseError):
        return False
    calc = workbook.find(_MAIN + "calcPr")
    return calc is not None and calc.get("fullCalcOnLoad", "").lower() in ("1", "true")


def survey_sheet(archive: zipfile.ZipFile, part: str, name: str, styles: set[str],
                 limits: Limits, stale: bool = False) -> SheetSurvey:
    """Scan one sheet part; :class:`Refused` when its extent is far beyond what it holds
    or beyond what may be read at all. ``stale``: the workbook is recalculated on load
    (:func:`recalculated_on_load`), so no saved formula result is trusted."""
    survey = SheetSurvey(stale=stale)
    percent_tag = None
    if styles:
        alternatives = b"|".join(re.escape(style.encode()) for style in sorted(styles))
        percent_tag = re.compile(rb'<c\s[^>]*?\bs=["\'](?:' + alternatives
                                 + rb')["\'][^>]*>')
    declared = None
    with archive.open(part) as stream:
        rest = b""
        first = True
        while True:
            chunk = stream.read(_CHUNK)
            data = rest + chunk
            if first:
                first = False
                found = _DIMENSION.search(data)
                declared = found.group(1).decode("ascii", "replace") if found else None
                survey.declared = declared is not None
                survey.hidden_columns = hidden_columns(data)
            cut = _cut(data) if chunk else len(data)
            if cut <= 0:  # one element larger than a chunk: read on
                rest = data
                continue
            _scan(survey, data, cut, percent_tag)
            if not chunk:
                break
            rest = data[cut:]
    _check_extent(survey, declared, name, limits)
    return survey


def _cut(data: bytes) -> int:
    """Where to end a chunk's scan: before its last row (else its last cell), so that no
    element is split between chunks."""
    cut = data.rfind(b"<row")
    if cut > 0:
        return cut
    prefixed = b":" in data[:4096] and data.find(b":row") > 0
    return max(data.rfind(start) for start in _STARTS) if prefixed or cut < 0 else cut


def hidden_columns(head: bytes) -> set[int]:
    """The 0-based columns a sheet hides (``<cols><col min="2" max="3" hidden="1"/>``),
    from the start of its XML, where ``<cols>`` comes before the rows."""
    end = head.find(b"sheetData")
    found: set[int] = set()
    for col in _COL.finditer(head, 0, end if end > 0 else len(head)):
        attributes = col.group(1)
        if b"hidden" not in attributes or not _HIDDEN.search(attributes):
            continue
        span = _COL_SPAN.search(attributes)
        if span is None:
            continue
        low, high = (span.group(1), span.group(2)) if span.group(1) else (span.group(4),
                                                                           span.group(3))
        low, high = max(int(low), 1), min(int(high), MAX_COLUMNS)
        found.update(range(low - 1, high))
    return found


def _scan(survey: SheetSurvey, data: bytes, end: int, percent_tag) -> None:
    prefixed = b":c" in data
    survey.cells += data.count(b"<c ", 0, end) + data.count(b"<c>", 0, end) \
        + (data.count(b":c ", 0, end) if prefixed else 0)
    # Writers put rows in ascending order, so the chunk's last row tag has its highest
    # number; a file that lies about it meets the reading child's memory limit instead.
    # Every row tag is looked at only where the chunk holds a hidden row or a prefix.
    last = data.rfind(b"<row", 0, end)
    if last >= 0:
        number = _ROW_NUMBER.search(data, last, data.find(b">", last) + 1 or end)
        if number is not None:
            survey.max_row = max(survey.max_row, int(number.group(1)))
    if b"hidden" in data or b":row" in data:
        for pattern in (_ROW_TAG, _ROW_TAG_NS):
            for tag in pattern.finditer(data, 0, end):
                attributes = tag.group(1)
                number = _ROW_NUMBER.search(attributes)
                if number is None:
                    continue
                row = int(number.group(1))
                survey.max_row = max(survey.max_row, row)
                if b"hidden" in attributes and _HIDDEN.search(attributes):
                    survey.hidden_rows.add(row)
    wide = [] if survey.declared else [_WIDE_REF] + (
        [_WIDE_REF_SINGLE] if b"r='" in data else [])
    for pattern in wide:
        for ref in pattern.finditer(data, 0, end):
            survey.max_column = max(survey.max_column, column_index(ref.group(1)))
            survey.max_row = max(survey.max_row, int(ref.group(2)))
    if b"<f" in data or b't="e"' in data or b"t='e'" in data or (prefixed and b":f" in data):
        _scan_unread(survey, data, end)
    if percent_tag is not None:
        for match in percent_tag.finditer(data, 0, end):
            ref = _CELL_REF.search(match.group())
            if ref is not None:
                survey.percent.setdefault(int(ref.group(2)), []).append(
                    column_index(ref.group(1)))


def _scan_unread(survey: SheetSurvey, data: bytes, end: int) -> None:
    """Formulas saved without a result and error values, by cell."""
    cells = _CELL.finditer(data, 0, end)
    if b":c " in data or b":c>" in data:
        cells = itertools.chain(cells, _CELL_NS.finditer(data, 0, end))
    for cell in cells:
        attributes, body = cell.group(1), cell.group(2) or b""
        kind = _CELL_TYPE.search(attributes)
        kind = kind.group(1) if kind else b"n"
        ref = _CELL_REF.search(attributes)
        if ref is None:
            continue
        key = (int(ref.group(2)), column_index(ref.group(1)))
        value = _VALUE.search(body)
        shown = (value.group(1) or b"").strip() if value else b""
        if kind == b"e":
            survey.unread[key] = ("error", _xml_text(shown) or "#N/A")
            continue
        formula = _FORMULA.search(body)
        if formula is not None and (survey.stale or (not shown and kind not in _COMPUTED_TYPES)):
            survey.unread[key] = ("formula", "=" + _xml_text(formula.group(1) or b""))


def _xml_text(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"),
                         ("&amp;", "&")):
        text = text.replace(entity, char)
    return text


def _check_extent(survey: SheetSurvey, declared: str | None, name: str,
                  limits: Limits) -> None:
    if declared:
        found = _REF_RANGE.match(declared.strip().upper())
        if found:
            letters, row = (found.group(3), found.group(4)) if found.group(3) \
                else (found.group(1), found.group(2))
            survey.max_row = max(survey.max_row, int(row))
            survey.max_column = max(survey.max_column, column_index(letters))
    columns = max(survey.max_column + 1, 1)
    dense = survey.max_row * columns
    if dense > limits.max_dense_cells:
        raise Refused("too_large_sheet", sheet=name, cell=survey.far_cell(),
                      rows=survey.max_row, columns=columns)
    if dense > limits.stray_floor and dense > limits.stray_factor * max(survey.cells, 1):
        raise Refused("stray_cell", sheet=name, cell=survey.far_cell(), cells=survey.cells)
