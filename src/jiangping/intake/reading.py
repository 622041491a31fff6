"""Reading spreadsheets and CSV files as streams of rows (读取表格).

A file is read as what its content says it is, not its name (:mod:`~jiangping.intake.
sniff`): an empty file, a picture, a PDF, a web page or a ZIP that is not a workbook,
an encrypted workbook, a container that promises more than a workbook holds, each gets
its own Chinese refusal before any parser sees it. A ``.xls`` that is really CSV text
(report systems export such files) is read as CSV; an ``.xlsx`` renamed ``.csv`` is read
as a workbook.

Workbooks (XLSX, XLS, XLSB, ODS) are parsed by python-calamine in a child process
(:mod:`~jiangping.intake.sheetchild`) with a memory and CPU cap (settings
``JIANGPING_IMPORT_MEMORY_MB`` and ``JIANGPING_IMPORT_SECONDS``); rows come back in
batches as the engine asks for them, so memory does not grow with the file, and a
native abort in the child is a refusal here, not a crash. CSV is read in this process,
in UTF-8, UTF-8 with a byte-order mark or GB18030, with the delimiter that gives the
sample a consistent column count; each line and field is bounded.

Hidden sheets and hidden rows are not imported; each table lists what it passed over
(:attr:`Tables.hidden_sheets`, :attr:`Table.hidden_rows`).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from jiangping.intake import sniff as sniffing
from jiangping.intake.sniff import TEXT, Limits, Refused

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
_SAMPLE = 1 << 16
MAX_LINE_BYTES = 4 << 20
_LINE_CHUNK = 1 << 20  # smaller than MAX_LINE_BYTES: a line within one chunk is short enough
MAX_COLUMNS = 16_384


class ReadError(ValueError):
    """The file cannot be read at all (wrong type, broken, undecodable, too large)."""


@dataclass
class Table:
    """One sheet: its name, its rows as ``(row number, cells)`` and its merged ranges.

    ``merged`` holds ``(first row, first cell, last row, last cell)``, rows 1-based
    like the row numbers and cells as indexes into the cell lists. ``hidden_rows`` and
    ``hidden_columns``: the hidden rows and columns with content that were not read
    (known once the rows are read).
    """

    name: str
    rows: Iterator[tuple[int, list]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[int] = field(default_factory=list)  # 0-based, with content


class Tables(list):
    """The visible sheets of a file, in order; ``hidden_sheets`` names the others."""

    hidden_sheets: list[str]

    def __init__(self, tables=(), hidden_sheets=(), closer=None):
        super().__init__(tables)
        self.hidden_sheets = list(hidden_sheets)
        self._closer = closer

    def close(self) -> None:
        if self._closer is not None:
            self._closer()
            self._closer = None


def memory_cap_mb() -> int:
    return int(getattr(settings, "JIANGPING_IMPORT_MEMORY_MB", 1024))


def time_cap_seconds() -> int:
    return int(getattr(settings, "JIANGPING_IMPORT_SECONDS", 120))


def default_limits() -> Limits:
    """The reading limits; a sheet's grid may hold one cell per 64 bytes of the memory cap
    (calamine's cells with their text), so raising the cap raises both."""
    return Limits(max_dense_cells=memory_cap_mb() << 14)


def open_tables(path: str | Path, limits: Limits | None = None) -> Tables:
    """The visible sheets of a workbook in order (rows read lazily); a CSV file is one
    table. :class:`ReadError` (Chinese) when the file cannot or may not be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES and suffix not in SPREADSHEET_SUFFIXES:
        raise ReadError(
            _("不支持的文件类型“%(suffix)s”，请使用 XLSX、XLS 或 CSV 文件。")
            % {"suffix": suffix or path.name}
        )
    limits = limits or default_limits()
    try:
        kind = sniffing.sniff(path, limits).kind
    except Refused as refusal:
        raise ReadError(refusal_message(refusal, suffix)) from None
    if kind == TEXT:
        return Tables([Table(path.stem, _csv_rows(path))])
    return _ChildReader(path, kind, limits).open()


# --- messages --------------------------------------------------------------------
def _kind_names() -> dict[str, str]:
    return {
        "png": _("PNG 图片"), "jpeg": _("JPEG 图片"), "gif": _("GIF 图片"),
        "pdf": _("PDF 文件"), "rar": _("RAR 压缩包"), "7z": _("7z 压缩包"),
        "gzip": _("gzip 压缩包"), "rtf": _("RTF 文档"), "riff": _("音频或视频文件"),
        "html": _("网页（HTML）文件"), "xml2003": _("Excel 2003 XML 表格"),
        "xml": _("XML 文件"), "doc": _("Word 文档"), "docx": _("Word 文档"),
        "odt": _("文本文档（ODT）"), "ppt": _("PowerPoint 演示文稿"),
        "pptx": _("PowerPoint 演示文稿"), "zip": _("ZIP 压缩包"),
        "xlsx": _("Excel 工作簿"),
    }


def refusal_message(refusal: Refused, suffix: str = ".xlsx", expected: str | None = None) -> str:
    """The Chinese message of a refusal found before or while reading; ``expected``
    names what the file should have been (by default from ``suffix``)."""
    code, params = refusal.code, refusal.params
    if expected is None:
        expected = _("CSV 文件") if suffix in CSV_SUFFIXES else _("Excel 文件")
    if code == "empty":
        return _("空文件：文件中没有任何内容。")
    if code == "foreign":
        what = _kind_names().get(params.get("what"), params.get("what"))
        message = _("不是 %(expected)s，看起来是%(what)s。") % {
            "expected": expected, "what": (" " if what[:1].isascii() else "") + what}
        if params.get("what") in ("html", "xml2003", "xml"):
            message += _("请在 Excel/WPS 中打开后另存为 XLSX 再导入。")
        else:
            message += _("请选择要导入的 XLSX、XLS 或 CSV 文件。")
        return message
    if code == "unknown":
        return _("不是 %(expected)s：无法识别文件内容，请选择要导入的 XLSX、XLS 或 CSV 文件。") % {
            "expected": expected}
    if code == "encrypted":
        return _("文件已加密，请取消密码后再导入。")
    if code == "broken_zip":
        return _("文件已损坏（压缩结构不完整），请重新保存或重新下载后再导入。")
    if code == "dtd":
        return _("文件结构异常（含 DTD 声明），不是正常的 Excel 文件，已拒绝读取。")
    if code == "too_many_members":
        return _("文件结构异常：压缩包内有 %(count)s 个部件（上限 %(limit)s），"
                 "已拒绝读取。") % params
    if code in ("part_too_large", "total_too_large"):
        return _("文件解压后过大（约 %(mb)s MB，上限 %(limit)s MB），请拆分后再导入。") % params
    if code == "ratio":
        return _("文件结构异常：部件“%(part)s”解压后约 %(mb)s MB，压缩比 %(ratio)s 倍"
                 "（上限 %(limit)s 倍），已拒绝读取。") % params
    if code == "stray_cell":
        return _("工作表“%(sheet)s”只有 %(cells)s 个单元格有内容，数据区域却延伸到 %(cell)s；"
                 "请删除远处多余的单元格（或清除其所在的整行整列）后再导入。") % params
    if code == "too_large_sheet":
        return _("工作表“%(sheet)s”的数据区域延伸到 %(cell)s（%(rows)s 行 × %(columns)s 列），"
                 "超出导入上限；请删除多余的行列或拆分文件后再导入。") % params
    if code == "memory":
        return _("读取文件超出内存上限（%(mb)s MB），已停止读取；文件可能已损坏或过大，"
                 "请拆分后再导入。") % {"mb": memory_cap_mb()}
    if code == "timeout":
        return _("读取文件超过时间上限（%(seconds)s 秒），已停止读取；请拆分后再导入。") % {
            "seconds": time_cap_seconds()}
    return _("文件已损坏或格式不受支持，无法读取；请在 Excel/WPS 中打开并另存为 XLSX 后再导入。")


# --- workbooks, through the reading child ----------------------------------------
class _SafeUnpickler(pickle.Unpickler):
    """Only the types a sheet's cells hold come back from the child."""

    _ALLOWED = {
        ("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"),
        ("datetime", "timedelta"),
        ("jiangping.intake.normalize", "PercentCell"),
        ("jiangping.intake.unread", "FormulaCell"),
        ("jiangping.intake.unread", "ErrorCell"),
    }

    def find_class(self, module, name):
        if (module, name) not in self._ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name}")
        return super().find_class(module, name)


class _ChildReader:
    """One workbook read by the child process; the tables pull its messages in order."""

    def __init__(self, path: Path, kind: str, limits: Limits):
        self.path, self.kind, self.limits = path, kind, limits
        self.process: subprocess.Popen | None = None
        self.current = -1  # the sheet whose rows come next
        self.merged: dict[int, list] = {}
        self.hidden: dict[int, list[int]] = {}
        self.done = False
        self.tables: list[Table] = []

    def open(self) -> Tables:
        package_root = str(Path(__file__).resolve().parents[2])
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.pathsep.join(
            [package_root, *filter(None, [environment.get("PYTHONPATH")])])
        arguments = json.dumps({
            "memory_bytes": memory_cap_mb() << 20,
            "cpu_seconds": time_cap_seconds(),
            "limits": asdict(self.limits),
        })
        try:
            self.process = subprocess.Popen(  # noqa: S603  (our own module, no shell)
                [sys.executable, "-m", "jiangping.intake.sheetchild", str(self.path),
                 self.kind, arguments],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                env=environment, close_fds=True,
            )
        except OSError:  # no process to be had (memory, process limit): refuse, do not crash
            raise ReadError(refusal_message(Refused("memory"))) from None
        try:
            message = self._next()
            if message[0] != "sheets":
                raise self._unexpected()
            _kind, names, hidden = message
        except BaseException:
            self.close()
            raise
        self.tables = [
            _ChildTable(name, self._rows(position), reader=self, position=position)
            for position, name in enumerate(names)
        ]
        return Tables(self.tables, hidden, closer=self.close)

    def close(self) -> None:
        process = self.process
        if process is None:
            return
        self.process = None
        if process.poll() is None:
            process.kill()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()

    # --- messages -------------------------------------------------------------
    def _read_exact(self, size: int, deadline: float) -> bytes:
        stream = self.process.stdout
        chunks, left = [], size
        while left:
            wait = deadline - time.monotonic()
            if wait <= 0:
                self._fail("timeout")
            ready, _w, _x = select.select([stream], [], [], wait)
            if not ready:
                self._fail("timeout")
            chunk = os.read(stream.fileno(), min(left, 1 << 20))
            if not chunk:
                self._died()
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _next(self):
        if self.process is None:
            raise ReadError(refusal_message(Refused("unreadable")))
        deadline = time.monotonic() + time_cap_seconds() * 2
        (size,) = struct.unpack("<I", self._read_exact(4, deadline))
        if size > (memory_cap_mb() << 20):
            self._fail("memory")
        data = self._read_exact(size, deadline)
        try:
            message = _SafeUnpickler(io.BytesIO(data)).load()
        except (pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            self._fail("unreadable")
        if message[0] == "refused":
            self.close()
            raise ReadError(refusal_message(Refused(message[1], **message[2]),
                                            self.path.suffix.lower()))
        return message

    def _died(self):
        process = self.process
        code = process.wait() if process is not None else None
        self.close()
        if code in (-signal.SIGXCPU, -signal.SIGKILL):
            raise ReadError(refusal_message(Refused("timeout")))
        raise ReadError(refusal_message(Refused("memory")))

    def _fail(self, code: str):
        self.close()
        raise ReadError(refusal_message(Refused(code)))

    def _unexpected(self) -> ReadError:
        self.close()
        return ReadError(refusal_message(Refused("unreadable")))

    def advance_to(self, position: int) -> bool:
        """Read on until the rows of sheet ``position`` come next; False when they never
        will (passed already, or the file is done)."""
        if self.current == position:
            return True
        if self.current > position or self.done:
            return False
        while True:
            message = self._next()
            kind = message[0]
            if kind == "sheet":
                self.current = message[1]
                self.merged[message[1]] = message[2]
                if self.current == position:
                    return True
            elif kind == "end":
                self._ended(message[1], message[2], message[3])
            elif kind == "done":
                self.done = True
                self.close()
                return False

    def _ended(self, position: int, hidden: list[int], columns: list[int]) -> None:
        self.hidden[position] = hidden
        if position < len(self.tables):
            self.tables[position].hidden_rows = hidden
            self.tables[position].hidden_columns = columns

    def _rows(self, position: int) -> Iterator[tuple[int, tuple]]:
        if not self.advance_to(position):
            return
        while self.current == position:
            message = self._next()
            kind = message[0]
            if kind == "rows":
                yield from message[1]
            elif kind == "end":
                self._ended(message[1], message[2], message[3])
                self.current = position + 0.5  # between sheets
                return
            elif kind == "done":
                self.done = True
                self.close()
                return
            elif kind == "sheet":  # pragma: no cover - the child ends a sheet first
                self.current = message[1]
                self.merged[message[1]] = message[2]
                return


class _ChildTable(Table):
    def __init__(self, name: str, rows, *, reader: _ChildReader, position: int):
        super().__init__(name, rows)
        self._reader, self._position = reader, position

    @property
    def merged(self):  # known once the child has reached this sheet
        self._reader.advance_to(self._position)
        return self._reader.merged.get(self._position, [])

    @merged.setter
    def merged(self, value):
        pass


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


DELIMITERS = (",", "\t", ";", "|")


def sniff_delimiter(text: str, complete: bool = True) -> str:
    """The delimiter whose split gives the sample's lines the most consistent column
    count (ties: more columns, then the order of :data:`DELIMITERS`); a comma when no
    delimiter splits anything. ``complete``: the sample's last line is whole."""
    lines = text.splitlines()
    if not complete and len(lines) > 1:
        lines = lines[:-1]
    lines = [line for line in lines[:50] if line.strip()]
    best, best_score = ",", None
    for position, delimiter in enumerate(DELIMITERS):
        if not any(delimiter in line for line in lines):
            continue
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        common = Counter(count for count in counts if count > 1)
        if not common:
            continue
        width, agreeing = max(common.items(), key=lambda item: (item[1], item[0]))
        score = (agreeing, width, -position)
        if best_score is None or score > best_score:
            best, best_score = delimiter, score
    return best


def long_line(raw, limit: int = MAX_LINE_BYTES) -> int | None:
    """The 1-based number of the first physical line of the binary stream ``raw`` longer
    than ``limit`` bytes, or ``None``. A pass of byte searches (C speed): the file is then
    iterated line by line without fear of a line that never ends."""
    line, since = 1, 0  # bytes since the last line break
    while chunk := raw.read(_LINE_CHUNK):
        first = chunk.find(b"\n")
        if first < 0:
            since += len(chunk)
            if since > limit:
                return line
            continue
        if since + first > limit:
            return line
        line += chunk.count(b"\n")
        since = len(chunk) - chunk.rfind(b"\n") - 1
    return line if since > limit else None


def _undecodable_line(path: Path, encoding: str) -> int | None:
    """The 1-based line of a text file where ``encoding`` first fails (lines are bounded
    by :data:`MAX_LINE_BYTES`, checked before): the text reader decodes ahead in blocks,
    so the row it had reached does not say where."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as raw:
        for number, line in enumerate(raw, start=1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError:
                return number
    return None


def _csv_rows(path: Path) -> Iterator[tuple[int, tuple]]:
    with path.open("rb") as raw:
        sample = raw.read(_SAMPLE)
        encoding = sniff_encoding(sample)
        raw.seek(0)
        too_long = long_line(raw)
        if too_long is not None:
            raise ReadError(
                _("第%(row)s行过长（超过 %(limit)s 字节），不是正常的表格文件。")
                % {"row": too_long, "limit": MAX_LINE_BYTES})
        raw.seek(0)
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        head = sample.decode(encoding, errors="ignore")
        reader = csv.reader(text, delimiter=sniff_delimiter(head, len(sample) < _SAMPLE))
        number = 0
        try:
            for number, cells in enumerate(reader, start=1):
                if len(cells) > MAX_COLUMNS:
                    raise ReadError(
                        _("第%(row)s行有 %(n)s 列，超过上限 %(limit)s 列。")
                        % {"row": number, "n": len(cells), "limit": MAX_COLUMNS})
                # A batch keeps its rows' cells for its messages: as a tuple of strings
                # they are untracked by the cyclic GC, so a long file triggers no full
                # collections of the process's objects.
                yield number, tuple(cells)
        except UnicodeDecodeError:
            # Named in the encoding that reads furthest: a UTF-8 file with one stray byte
            # is told where that byte is, not that its first line is not GB18030.
            found = max((_undecodable_line(path, name) or 0, name)
                         for name in {encoding, "utf-8", "gb18030"})
            raise ReadError(
                _("第%(row)s行的内容无法按 %(encoding)s 解码，请将文件另存为 UTF-8 编码。")
                % {"row": found[0] or number + 1, "encoding": found[1].upper()}
            ) from None
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise ReadError(
                    _("第%(row)s行有单元格过长（超过 %(limit)s 个字符），请检查文件后再导入。")
                    % {"row": number + 1, "limit": csv.field_size_limit()}
                ) from None
            raise ReadError(
                _("第%(row)s行不是有效的 CSV（引号不成对或含有不可见的控制字符），"
                  "请检查文件后再导入。") % {"row": number + 1}
            ) from None
