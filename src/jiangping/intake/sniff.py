"""What a file really is, and whether it is safe to open (文件类型识别与安全检查).

Pure functions, no Django: the kind of a file is read from its first bytes, not from
its name, and a workbook's ZIP container is checked from its central directory (member
count, declared sizes, compression ratio) and its XML parts' first bytes (a DTD) before
any parser sees it. Each refusal is a :class:`Refused` with a code and its parameters;
:mod:`jiangping.intake.reading` turns it into a Chinese message.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

# Kinds a file may really be.
XLSX, XLSB, ODS, XLS, TEXT = "xlsx", "xlsb", "ods", "xls", "text"

_SAMPLE = 1 << 16
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# First bytes of what people rename to .xlsx or .csv by mistake → a code for the message.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"%PDF", "pdf"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"{\\rtf", "rtf"),
    (b"RIFF", "riff"),
)
_ENCRYPTED_STREAMS = (
    "EncryptionInfo".encode("utf-16-le"),
    "EncryptedPackage".encode("utf-16-le"),
)
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_POWERPOINT_STREAM = "PowerPoint Document".encode("utf-16-le")


@dataclass
class Limits:
    """How much a workbook's container may hold (see docs/import-forms.md)."""

    max_members: int = 2000
    max_part_bytes: int = 256 << 20
    max_total_bytes: int = 512 << 20
    max_ratio: int = 100  # uncompressed ÷ compressed, for parts over ratio_floor
    ratio_floor: int = 4 << 20
    max_dense_cells: int = 16_000_000
    stray_factor: int = 50  # a sheet spanning this many times its cells holds a stray one
    stray_floor: int = 1_000_000
    max_field_chars: int = 32_767  # a spreadsheet cell holds at most this many characters
    max_columns: int = 16_384


class Refused(Exception):
    """The file is refused before or while reading; ``code`` names why, ``params`` the
    particulars (a cell, a size) for the message."""

    def __init__(self, code: str, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


@dataclass
class Kind:
    """What a file is: ``kind`` one of XLSX, XLSB, ODS, XLS, TEXT, and for text the
    sample's encoding guess is left to the CSV reader."""

    kind: str
    notes: list[str] = field(default_factory=list)


def sniff(path: str | Path, limits: Limits | None = None) -> Kind:
    """The real kind of ``path`` from its content; :class:`Refused` for an empty, foreign,
    encrypted, broken or oversized file."""
    limits = limits or Limits()
    path = Path(path)
    with path.open("rb") as stream:
        head = stream.read(_SAMPLE)
    if not head:
        raise Refused("empty")
    if head.startswith(_ZIP):
        return Kind(_zip_kind(path, limits))
    if head.startswith(_OLE2):
        return Kind(_ole_kind(path))
    for magic, code in _MAGIC:
        if head.startswith(magic):
            raise Refused("foreign", what=code)
    if _looks_binary(head):
        raise Refused("unknown")
    text = _decoded(head).lstrip("\ufeff \t\r\n").lower()
    if text.startswith(("<!doctype html", "<html", "<table", "<meta", "<head")) or \
            (text.startswith("<") and "<table" in text[:4096]):
        raise Refused("foreign", what="html")
    if text.startswith("<?xml"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in text[:4096]:
            raise Refused("foreign", what="xml2003")
        raise Refused("foreign", what="xml")
    return Kind(TEXT)


def _decoded(head: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
    return head.decode("latin-1")


def _looks_binary(head: bytes) -> bool:
    """NUL bytes outside UTF-16 text, or many control characters: not a text file."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    sample = head[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    return controls > len(sample) // 20


# --- OLE2 compound files (.xls, encrypted OOXML) -----------------------------------
def _ole_kind(path: Path) -> str:
    """An OLE2 file: an encrypted workbook (EncryptionInfo/EncryptedPackage streams, what
    Excel and WPS write under a password), a Word or PowerPoint file, or a BIFF .xls."""
    found = set()
    with path.open("rb") as stream:
        tail = b""
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            for name in (*_ENCRYPTED_STREAMS, _WORD_STREAM, _POWERPOINT_STREAM):
                if name in data:
                    found.add(name)
            tail = data[-64:]
    if found & set(_ENCRYPTED_STREAMS):
        raise Refused("encrypted")
    if _WORD_STREAM in found:
        raise Refused("foreign", what="doc")
    if _POWERPOINT_STREAM in found:
        raise Refused("foreign", what="ppt")
    return XLS


# --- ZIP containers (.xlsx, .xlsb, .ods; .docx) ------------------------------------
def _zip_kind(path: Path, limits: Limits) -> str:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Refused("broken_zip") from None
    with archive:
        members = archive.infolist()
        check_container(archive, limits)
        names = {member.filename for member in members}
        if "xl/workbook.xml" in names or any(
                name.startswith("xl/worksheets/") for name in names):
            return XLSX
        if "xl/workbook.bin" in names:
            return XLSB
        if "mimetype" in names:
            mimetype = archive.read("mimetype")[:100]
            if b"opendocument.spreadsheet" in mimetype:
                return ODS
            if b"opendocument.text" in mimetype:
                raise Refused("foreign", what="odt")
        if "word/document.xml" in names:
            raise Refused("foreign", what="docx")
        if "ppt/presentation.xml" in names:
            raise Refused("foreign", what="pptx")
        raise Refused("foreign", what="zip")


def check_container(archive: zipfile.ZipFile, limits: Limits,
                    xml_suffixes: tuple[str, ...] = (".xml", ".rels")) -> None:
    """Refuse a ZIP whose central directory promises more than a workbook holds (too many
    members, a part or the whole too large, a compression ratio of a bomb), or whose XML
    parts declare a DTD (entity expansion). Reads only the directory and each XML part's
    first bytes."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise Refused("too_many_members", count=len(members), limit=limits.max_members)
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise Refused("encrypted")
        size = member.file_size
        total += size
        if size > limits.max_part_bytes:
            raise Refused("part_too_large", part=member.filename, mb=size >> 20,
                          limit=limits.max_part_bytes >> 20)
        if size > limits.ratio_floor and size > limits.max_ratio * max(member.compress_size, 1):
            raise Refused("ratio", part=member.filename, mb=size >> 20,
                          ratio=size // max(member.compress_size, 1), limit=limits.max_ratio)
    if total > limits.max_total_bytes:
        raise Refused("total_too_large", mb=total >> 20, limit=limits.max_total_bytes >> 20)
    for member in members:
        if member.filename.lower().endswith(xml_suffixes) and member.file_size:
            try:
                with archive.open(member) as stream:
                    start = stream.read(2048)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError,
                    NotImplementedError, RuntimeError):
                raise Refused("broken_zip") from None
            except Exception:  # zlib.error and friends: a damaged part
                raise Refused("broken_zip") from None
            if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                raise Refused("dtd", part=member.filename)


def column_letters(index: int) -> str:
    """0-based column index → letters (0 → A, 16383 → XFD)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: bytes | str) -> int:
    """Letters → 0-based column index (A → 0)."""
    if isinstance(letters, str):
        letters = letters.encode()
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


DOCX_LIMITS = Limits(max_members=500, max_part_bytes=32 << 20, max_total_bytes=64 << 20,
                     ratio_floor=1 << 20)


def sniff_docx(data: bytes, limits: Limits = DOCX_LIMITS) -> None:
    """Refuse what is not a safe .docx (Word 2007+) package: an empty or foreign file, an
    old binary .doc (``what="doc"``), an encrypted document, a broken or bomb-like ZIP."""
    if not data:
        raise Refused("empty")
    if data.startswith(_OLE2):
        if any(name in data for name in _ENCRYPTED_STREAMS):
            raise Refused("encrypted")
        raise Refused("foreign", what="doc")
    if not data.startswith(_ZIP):
        for magic, code in _MAGIC:
            if data.startswith(magic):
                raise Refused("foreign", what=code)
        raise Refused("unknown")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Refused("broken_zip") from None
    with archive:
        check_container(archive, limits)
        names = set(archive.namelist())
    if "word/document.xml" not in names:
        if "xl/workbook.xml" in names:
            raise Refused("foreign", what="xlsx")
        raise Refused("foreign", what="zip")
