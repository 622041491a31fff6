"""The bulletin as DOCX in GB/T 9704 layout (党政机关公文格式).

:func:`write_docx` walks a :class:`~jiangping.bulletins.document.Bulletin` into a Word
document an office can edit and print:

- A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm);
- 文号 centred above a red rule, title 2号 (22 pt) 方正小标宋简体 centred;
- body 3号 (16 pt) 仿宋_GB2312, justified, first line indented two characters, line
  spacing fixed at 28.95 pt (22 lines in the 版心); headings 一、 in 黑体 (style
  "Heading 1"), （一） in 楷体_GB2312 ("Heading 2"); 一是… as a bold lead run;
- tables in 仿宋 小四 (五号 beyond :data:`WIDE_TABLE` columns), header row in 黑体
  repeated on every page, single borders, each column aligned as ``Table.align`` says;
- charts as PNG from :mod:`jiangping.bulletins.charts` at the text width;
- 落款: the issuer and the date at the end, right-aligned;
- page numbers 4号 宋体 "— 1 —" from a PAGE field, odd pages right, even pages left,
  each one character in from the edge of the 版心.

Word picks East-Asian glyphs from ``w:rFonts/@w:eastAsia``, which python-docx never sets:
every style and run here gets it explicitly. The fonts are named as offices have them;
where they are missing (LibreOffice on Linux) the ``zh-CN`` language tag lets the
system substitute a free CJK font. The same bulletin gives the same bytes: the core
properties carry the bulletin's date and the ZIP entries a fixed timestamp.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from datetime import UTC, datetime

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor

from jiangping.bulletins import charts
from jiangping.bulletins.document import (
    Bulletin,
    Chart,
    Paragraph,
    Subheading,
    Table,
    chinese_ordinal,
)

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

#: Free fonts standing in for the office's fonts where those are not installed (LibreOffice
#: on a Linux server): family → (Debian family, bold). See :func:`fontconfig_stand_ins`.
STAND_INS = {
    TITLE_FONT: ("Noto Serif CJK SC", True),
    BODY_FONT: ("Noto Serif CJK SC", False),
    HEADING1_FONT: ("Noto Sans CJK SC", False),
    HEADING2_FONT: ("AR PL UKai CN", False),
    PAGE_NUMBER_FONT: ("Noto Serif CJK SC", False),
    LATIN_FONT: ("Liberation Serif", False),
}

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TEXT_WIDTH_MM = 210 - 28 - 26
BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
TABLE_SIZE = Pt(12)  # 小四
WIDE_TABLE_SIZE = Pt(10.5)  # 五号
WIDE_TABLE = 7
LINE_SPACING = Pt(28.95)  # 22 lines of 3号 in the 225 mm 版心
TITLE_LINE_SPACING = Pt(35)
CHART_DPI = 200
RED = RGBColor(0xE0, 0x00, 0x00)

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_TWIPS_PER_MM = 1440 / 25.4


def write_docx(bulletin: Bulletin) -> bytes:
    """The bulletin as the bytes of a ``.docx`` file (GB/T 9704 layout, see the module).

    Charts are rendered with :func:`jiangping.bulletins.charts.render`; the same
    bulletin gives the same bytes. Raises ``ValueError`` for a chart value that is not a
    number (from the chart renderer) or a table column aligned other than ``left``,
    ``center`` or ``right``.
    """
    doc = Document()
    _page(doc)
    _styles(doc)
    _core_properties(doc, bulletin)
    body = _Body(doc)
    body.front_matter(bulletin)
    for number, section in enumerate(bulletin.sections, 1):
        body.heading(f"{chinese_ordinal(number)}、{section.heading}")
        for block in section.blocks:
            body.block(block)
    body.signature(bulletin)
    _page_numbers(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue())


def fontconfig_stand_ins() -> str:
    """A fontconfig file (``FONTCONFIG_FILE``) that includes the system's configuration
    and maps each font of :data:`STAND_INS` to its free stand-in, so a DOCX converted by
    LibreOffice shows 黑体 headings, 楷体 subheadings and a bold serif title instead of
    one fallback face for everything."""
    rules = []
    for family, (stand_in, bold) in STAND_INS.items():
        weight = '<edit name="weight" mode="assign"><const>bold</const></edit>' if bold else ""
        rules.append(
            f'<match target="pattern"><test name="family"><string>{family}</string></test>'
            f'<edit name="family" mode="prepend" binding="strong"><string>{stand_in}</string>'
            f"</edit>{weight}</match>")
    return ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
            '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
            + "\n".join(rules) + "\n</fontconfig>\n")


# -- page, styles, properties ---------------------------------------------------------


def _page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.header_distance = Mm(15)
    # The page number's dash sits 7 mm below the 版心 (GB/T 9704 §7.5).
    section.footer_distance = Mm(22)


def set_fonts(rpr, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Name the fonts of a ``w:rPr`` explicitly: ``east_asia`` for CJK characters
    (``w:eastAsia``, which python-docx does not set), ``latin`` for digits and Latin
    letters; theme font references, which would override them, are removed."""
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)


def _style(doc, name: str, *, font: str, size, bold=False, based_on="Normal", latin=LATIN_FONT):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, 1)
    if name != "Normal":
        style.base_style = styles[based_on]
    rpr = style.element.get_or_add_rPr()
    set_fonts(rpr, font, latin)
    style.font.size = size
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    style.quick_style = True
    return style


def _lines(fmt, *, exact=LINE_SPACING, indent_chars: int = 2, size=BODY_SIZE) -> None:
    fmt.space_before = fmt.space_after = Pt(0)
    if exact is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing = exact
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.first_line_indent = size * indent_chars if indent_chars else Pt(0)
    ind = fmt._element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(indent_chars * 100))


def _styles(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")

    normal = _style(doc, "Normal", font=BODY_FONT, size=BODY_SIZE)
    _lines(normal.paragraph_format)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.widow_control = False

    for name, font in (("Heading 1", HEADING1_FONT), ("Heading 2", HEADING2_FONT)):
        style = _style(doc, name, font=font, size=BODY_SIZE)
        rpr = style.element.get_or_add_rPr()
        for tag in ("w:bCs", "w:color"):
            for el in rpr.findall(qn(tag)):
                rpr.remove(el)
        style.font.bold = False
        _lines(style.paragraph_format)
        style.paragraph_format.keep_with_next = True

    title = _style(doc, "Bulletin Title", font=TITLE_FONT, size=TITLE_SIZE)
    _lines(title.paragraph_format, exact=TITLE_LINE_SPACING, indent_chars=0)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.keep_with_next = True

    number = _style(doc, "Bulletin Number", font=BODY_FONT, size=BODY_SIZE)
    _lines(number.paragraph_format, indent_chars=0)
    number.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    signature = _style(doc, "Bulletin Signature", font=BODY_FONT, size=BODY_SIZE)
    _lines(signature.paragraph_format, indent_chars=0)
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    for name, size in (("Table Text", TABLE_SIZE), ("Table Text Small", WIDE_TABLE_SIZE)):
        style = _style(doc, name, font=BODY_FONT, size=size)
        _lines(style.paragraph_format, exact=None, indent_chars=0, size=size)
        header = _style(doc, name.replace("Text", "Header"), font=HEADING1_FONT, size=size,
                        based_on=name)
        header.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    caption = _style(doc, "Table Caption", font=HEADING1_FONT, size=Pt(14))
    _lines(caption.paragraph_format, indent_chars=0)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True

    note = _style(doc, "Table Note", font=BODY_FONT, size=TABLE_SIZE)
    _lines(note.paragraph_format, exact=Pt(20), indent_chars=0, size=TABLE_SIZE)

    figure = _style(doc, "Figure", font=BODY_FONT, size=BODY_SIZE)
    _lines(figure.paragraph_format, exact=None, indent_chars=0)
    figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    figure.paragraph_format.space_before = figure.paragraph_format.space_after = Pt(6)


def issued_on(bulletin: Bulletin) -> datetime:
    """The bulletin's date (``2026年11月5日``) as a UTC midnight, for the document's
    core properties; 1 January of the period's year (or 2000) when it does not parse."""
    match = re.fullmatch(r"\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*", bulletin.date or "")
    if match:
        try:
            return datetime(*map(int, match.groups()), tzinfo=UTC)
        except ValueError:
            pass
    year = re.match(r"\d{4}", bulletin.period or "")
    return datetime(int(year.group()) if year else 2000, 1, 1, tzinfo=UTC)


def _core_properties(doc, bulletin: Bulletin) -> None:
    props = doc.core_properties
    when = issued_on(bulletin)
    props.title = bulletin.title
    props.subject = bulletin.number
    props.author = props.last_modified_by = bulletin.issuer
    props.created = props.modified = when
    props.last_printed = when
    props.revision = 1
    props.keywords = props.comments = props.category = ""


def _fixed_zip(data: bytes) -> bytes:
    """The package again with every entry stamped 1980-01-01 (python-docx stamps the
    time of saving), so the same document gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


# -- body ------------------------------------------------------------------------------


class _Body:
    """Appends the bulletin's paragraphs, tables and figures to the document."""

    def __init__(self, doc):
        self.doc = doc

    def paragraph(self, text: str = "", style: str = "Normal", *, font: str = BODY_FONT,
                  lead: str = ""):
        para = self.doc.add_paragraph(style=style)
        if lead:
            run(para, lead, font, bold=True)
        if text:
            run(para, text, font)
        return para

    def front_matter(self, bulletin: Bulletin) -> None:
        number = self.paragraph(bulletin.number, "Bulletin Number")
        _rule(number)
        self.paragraph(style="Bulletin Number")
        self.paragraph(bulletin.title, "Bulletin Title", font=TITLE_FONT)
        self.paragraph()

    def heading(self, text: str) -> None:
        self.paragraph(text, "Heading 1", font=HEADING1_FONT)

    def block(self, block) -> None:
        if isinstance(block, Paragraph):
            self.paragraph(block.text, lead=block.lead)
        elif isinstance(block, Subheading):
            self.paragraph(block.text, "Heading 2", font=HEADING2_FONT)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Chart):
            self.chart(block)
        else:
            raise TypeError(f"unknown block: {block!r}")

    def chart(self, chart: Chart) -> None:
        png = charts.render(chart, fmt="png", width_mm=TEXT_WIDTH_MM, dpi=CHART_DPI)
        para = self.doc.add_paragraph(style="Figure")
        para.paragraph_format.keep_together = True
        para.add_run().add_picture(io.BytesIO(png), width=Mm(TEXT_WIDTH_MM))

    def table(self, table: Table) -> None:
        wide = len(table.header) > WIDE_TABLE
        text_style = "Table Text Small" if wide else "Table Text"
        header_style = "Table Header Small" if wide else "Table Header"
        if table.caption:
            self.paragraph(table.caption, "Table Caption", font=HEADING1_FONT)
        columns = max([len(table.header)] + [len(row) for row in table.rows])
        grid = self.doc.add_table(rows=1, cols=columns)
        grid.style = self.doc.styles["Table Grid"]
        _borders(grid)
        widths = column_widths(table, columns)
        for cell, width in zip(grid.rows[0].cells, widths, strict=True):
            cell.width = width
        for col, width in zip(grid.columns, widths, strict=True):
            col.width = width
        header_row = grid.rows[0]
        _row_flags(header_row._tr, header=True)
        for i, cell in enumerate(header_row.cells):
            _fill(cell, table.header[i] if i < len(table.header) else "", header_style,
                  HEADING1_FONT, "center")
        template = copy.deepcopy(header_row._tr)
        _row_flags(template, header=False)
        aligns = [(table.align[i] if i < len(table.align) else "left") for i in range(columns)]
        for i, align in enumerate(aligns):
            if align not in _ALIGN:
                raise ValueError(f"table {table.caption!r}, column {i + 1}: unknown alignment "
                                 f"{align!r} (expected 'left', 'center' or 'right')")
        for values in table.rows:
            tr = copy.deepcopy(template)
            for i, tc in enumerate(tr.findall(qn("w:tc"))):
                _refill(tc, values[i] if i < len(values) else "", text_style, aligns[i])
            grid._tbl.append(tr)
        if table.note:
            self.paragraph(table.note, "Table Note")

    def signature(self, bulletin: Bulletin) -> None:
        self.paragraph()
        self.paragraph()
        date_width = text_width(bulletin.date)
        # The issuer is centred over the date, the date four characters in from the right.
        issuer_indent = max(0.0, 4 + (date_width - text_width(bulletin.issuer)) / 2)
        for text, indent in ((bulletin.issuer, issuer_indent), (bulletin.date, 4.0)):
            para = self.paragraph(text, "Bulletin Signature")
            para.paragraph_format.right_indent = Pt(16 * indent)


def run(para, text: str, font: str, *, bold: bool = False, latin: str = LATIN_FONT):
    """A run of ``text`` in ``para`` with its East-Asian font named on the run itself."""
    r = para.add_run(text)
    set_fonts(r._r.get_or_add_rPr(), font, latin)
    if bold:
        r.bold = True
    return r


def text_width(text: str) -> float:
    """The printed width of ``text`` in full-width characters (CJK 1, ASCII 0.5)."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def column_widths(table: Table, columns: int) -> list[Emu]:
    """Column widths sharing the text width in proportion to each column's widest
    cell (a header longer than four characters may wrap to two lines), at least two
    characters and a character of padding each."""
    need = []
    for i in range(columns):
        head = text_width(table.header[i]) if i < len(table.header) else 0.0
        data = max((text_width(row[i]) for row in table.rows[:200] if i < len(row)),
                   default=0.0)
        need.append(max(2.0, head / 2 if head > 4 else head, data) + 1)
    full, total = int(Mm(TEXT_WIDTH_MM)), sum(need)
    widths = [int(full * n / total) for n in need]
    widths[-1] += full - sum(widths)
    return [Emu(w) for w in widths]


def _fill(cell, text: str, style: str, font: str, align: str) -> None:
    para = cell.paragraphs[0]
    para.style = cell.part.document.styles[style]
    para.alignment = _ALIGN[align]
    run(para, text, font)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _refill(tc, text: str, style: str, align: str) -> None:
    p = tc.find(qn("w:p"))
    p.style = style.replace(" ", "")
    p.get_or_add_pPr().get_or_add_jc().set(qn("w:val"), align)
    r = p.find(qn("w:r"))
    r.find(qn("w:rPr")).find(qn("w:rFonts")).set(qn("w:eastAsia"), BODY_FONT)
    t = r.find(qn("w:t"))
    if t is None:  # the header cell above was empty
        t = OxmlElement("w:t")
        r.append(t)
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text


_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT}


def _row_flags(tr, *, header: bool) -> None:
    """``w:tblHeader`` repeats the header row on every page; no row splits over pages."""
    trpr = tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        for el in trpr.findall(qn(tag)):
            trpr.remove(el)
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


def _borders(grid) -> None:
    tblpr = grid._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "4")
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    # tblBorders comes after tblW/jc/tblInd in the schema's sequence.
    anchors = [el for el in (tblpr.find(qn("w:tblLayout")), tblpr.find(qn("w:tblLook")))
               if el is not None]
    if anchors:
        anchors[0].addprevious(borders)
    else:
        tblpr.append(borders)
    width = tblpr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(round(TEXT_WIDTH_MM * _TWIPS_PER_MM)))
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "center")
    width.addnext(jc)


def _rule(para) -> None:
    """The red separating line (分隔线) under the 文号, as a bottom paragraph border."""
    ppr = para._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attr, value in (("val", "single"), ("sz", "12"), ("space", "6"),
                        ("color", str(RED))):
        bottom.set(qn(f"w:{attr}"), value)
    border.append(bottom)
    anchor = ppr.find(qn("w:spacing"))
    if anchor is None:
        ppr.append(border)
    else:
        anchor.addprevious(border)


# -- page numbers ----------------------------------------------------------------------


def _page_numbers(doc) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(para, align) -> None:
    """ "— N —" with a PAGE field, 4号 宋体, one character in from the 版心's edge."""
    fmt = para.paragraph_format
    _lines(fmt, exact=None, indent_chars=0)
    fmt.alignment = align
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = PAGE_NUMBER_SIZE
    else:
        fmt.left_indent = PAGE_NUMBER_SIZE
    runs = [run(para, "— ", PAGE_NUMBER_FONT, latin=PAGE_NUMBER_FONT),
            *_field(para, "PAGE", "1"),
            run(para, " —", PAGE_NUMBER_FONT, latin=PAGE_NUMBER_FONT)]
    for r in runs:
        r.font.size = PAGE_NUMBER_SIZE


def _field(para, instruction: str, shown: str) -> list:
    """A complex field (``w:fldChar`` begin / ``w:instrText`` / separate / result / end)
    that Word and LibreOffice update when they lay the page out."""
    runs = []
    for part in ("begin", "instr", "separate", "result", "end"):
        r = run(para, "", PAGE_NUMBER_FONT, latin=PAGE_NUMBER_FONT)
        if part == "instr":
            instr = OxmlElement("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = f" {instruction} "
            r._r.append(instr)
        elif part == "result":
            r.text = shown
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), part)
            r._r.append(char)
        runs.append(r)
    return runs
