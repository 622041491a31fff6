"""Hostile and broken files built at test time (no binary fixtures in the repository).

Each builder writes one file into a folder and returns its path.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import openpyxl

HEADER = ["单位", "指标", "期间", "数值"]
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
       b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05"
       b"\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def xlsx(path: Path, rows: list[list], *, stray: str | None = None,
         hidden_rows: tuple[int, ...] = (), hidden_sheet: list[list] | None = None) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "数据"
    for row in rows:
        sheet.append(row)
    if stray:
        sheet[stray] = "x"
    for number in hidden_rows:
        sheet.row_dimensions[number].hidden = True
    if hidden_sheet is not None:
        other = workbook.create_sheet("隐藏")
        for row in hidden_sheet:
            other.append(row)
        other.sheet_state = "hidden"
    workbook.save(path)
    return path


def _minimal_parts(sheet_xml_writer, shared_strings: bytes | None = None) -> dict:
    parts = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
            b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/><Override '
            b'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
            b'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
            b'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
            b'name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'worksheet" Target="worksheets/sheet1.xml"/>'
            + (b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
               b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
               if shared_strings is not None else b"")
            + b'</Relationships>'),
    }
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
    return parts


_SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
               b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
_SHEET_TAIL = b"</sheetData></worksheet>"


def inflating_xlsx(path: Path, megabytes: int, level: int = 9) -> Path:
    """A workbook whose one sheet's XML inflates to ``megabytes`` MB of repeated rows,
    compressed tightly (a zip bomb of the sheet kind), written streaming."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in _minimal_parts(None).items():
            archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
            stream.write(_SHEET_HEAD)
            block = b"".join(
                b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"a" * 200 + b"</t></is></c></row>"
                for _ in range(4096))
            for _ in range(megabytes * (1 << 20) // len(block) + 1):
                stream.write(block)
            stream.write(_SHEET_TAIL)
    return path


def lying_xlsx(path: Path, cell: str = "XFD1048576") -> Path:
    """A workbook whose sheet declares a one-cell dimension and writes no row number, but
    holds a cell far away: only the child's memory limit can catch it."""
    sheet = (_SHEET_HEAD + b'<row><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
             + b'<row><c r="' + cell.encode() + b'" t="inlineStr"><is><t>y</t></is></c></row>'
             + _SHEET_TAIL).replace(b"<sheetData>", b'<dimension ref="A1"/><sheetData>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in _minimal_parts(None).items():
            archive.writestr(name, data)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def entity_bomb_xlsx(path: Path) -> Path:
    """A workbook whose shared strings declare a billion-laughs DTD."""
    entities = b'<!ENTITY a0 "lol">' + b"".join(
        b'<!ENTITY a%d "' % level + b"&a%d;" % (level - 1) * 10 + b'">' for level in range(1, 10))
    shared = (b'<?xml version="1.0"?><!DOCTYPE sst [' + entities + b']><sst xmlns="http://'
              b'schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&a9;</t></si></sst>')
    sheet = _SHEET_HEAD + b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + _SHEET_TAIL
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in _minimal_parts(None, shared).items():
            archive.writestr(name, data)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def plain_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "这不是工作簿")
        archive.writestr("data/表.csv", "单位,数值\n甲区,1\n")
    return path


def truncated(path: Path, source: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def encrypted_xlsx(path: Path, source: Path) -> Path:
    """``source`` encrypted with a password, as Excel and WPS write it (OLE2 with
    EncryptionInfo and EncryptedPackage streams)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with source.open("rb") as stream:
        OOXMLFile(stream).encrypt("secret", out)
    path.write_bytes(out.getvalue())
    return path


def ods(path: Path) -> Path:
    """A minimal OpenDocument spreadsheet with a header and one data row."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Sheet1">'
        + "".join(
            "<table:table-row>" + "".join(
                f'<table:table-cell office:value-type="string"><text:p>{cell}</text:p>'
                "</table:table-cell>" for cell in row) + "</table:table-row>"
            for row in (HEADER, ["甲区", "固投", "2019-11", "7"]))
        + "</table:table></office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:'
            'oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
            'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
            'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
            'manifest:media-type="text/xml"/></manifest:manifest>'))
    return path


def png(path: Path) -> Path:
    path.write_bytes(PNG)
    return path


def ole_with_stream(path: Path, stream_name: str) -> Path:
    """A minimal OLE2 compound file whose directory names one stream (``EncryptionInfo``
    for an encrypted workbook, ``WordDocument`` for a Word file)."""
    sector = 512
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHH", header, 24, 0x3E, 3, 0xFFFE, 9)
    struct.pack_into("<H", header, 32, 6)
    struct.pack_into("<I", header, 44, 1)  # FAT sectors
    struct.pack_into("<I", header, 48, 1)  # first directory sector
    struct.pack_into("<I", header, 56, 4096)
    struct.pack_into("<I", header, 60, 0xFFFFFFFE)
    struct.pack_into("<I", header, 68, 0xFFFFFFFE)
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0]: FAT in sector 0
    for index in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * index, 0xFFFFFFFF)
    fat = bytearray(b"\xff" * sector)
    struct.pack_into("<III", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE, 0xFFFFFFFE)
    directory = bytearray(sector)
    for slot, (name, kind) in enumerate((("Root Entry", 5), (stream_name, 2))):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        base = slot * 128
        directory[base:base + len(encoded)] = encoded
        struct.pack_into("<H", directory, base + 64, len(encoded))
        directory[base + 66] = kind
        struct.pack_into("<III", directory, base + 68, 0xFFFFFFFF, 0xFFFFFFFF,
                         1 if slot == 0 else 0xFFFFFFFF)
        struct.pack_into("<I", directory, base + 116, 0xFFFFFFFE)
    path.write_bytes(bytes(header) + bytes(fat) + bytes(directory))
    return path
