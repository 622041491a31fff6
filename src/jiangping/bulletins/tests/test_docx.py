"""The bulletin as DOCX: GB/T 9704 page, fonts named for East-Asian text, headings,
fixed line spacing, repeated table headers, the PAGE field, charts, and (with
LibreOffice) a document that lays out into pages."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

from jiangping.bulletins.document import Bulletin, Section, Table
from jiangping.bulletins.tests.samples import sample_bulletin
from jiangping.bulletins.writers import docx as writer


@pytest.fixture(scope="module")
def data() -> bytes:
    return writer.write_docx(sample_bulletin(40))


@pytest.fixture(scope="module")
def doc(data):
    return Document(io.BytesIO(data))


def east_asia(element) -> str | None:
    fonts = element.find(qn("w:rPr")).find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def style_east_asia(style) -> str | None:
    return east_asia(style.element)


def paragraph(doc, text):
    return next(p for p in doc.paragraphs if p.text == text)


def mm(length) -> float:
    """A length stored in twips, in millimetres to 0.1 mm."""
    return round(length.mm, 1)


def test_a4_with_gbt_9704_margins(doc):
    section = doc.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert mm(section.top_margin) == 37
    assert mm(section.bottom_margin) == 35
    assert mm(section.left_margin) == 28
    assert mm(section.right_margin) == 26


def test_title_in_xiaobiaosong_2hao_centred(doc):
    title = paragraph(doc, "关于2026年1—10月全市重点工作讲评情况的通报")
    assert title.style.name == "Bulletin Title"
    assert style_east_asia(title.style) == "方正小标宋简体"
    assert east_asia(title.runs[0]._r) == "方正小标宋简体"
    assert title.style.font.size == Pt(22)
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_number_above_the_title_and_signature_at_the_end(doc):
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[0] == "市讲评办〔2026〕10号"
    assert texts[1] == "关于2026年1—10月全市重点工作讲评情况的通报"
    assert texts[-2:] == ["江城市月讲评工作领导小组办公室", "2026年11月5日"]
    date = doc.paragraphs[-1]
    assert date.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date.paragraph_format.right_indent == Pt(64)  # four characters of 3号


def test_body_fangsong_3hao_fixed_line_spacing_indented(doc):
    body = paragraph(doc, "1—10月，全市经济运行总体平稳，主要指标稳中有进。")
    assert body.style.name == "Normal"
    assert style_east_asia(body.style) == "仿宋_GB2312"
    assert east_asia(body.runs[0]._r) == "仿宋_GB2312"
    fmt = body.style.paragraph_format
    assert body.style.font.size == Pt(16)
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert Pt(28) <= fmt.line_spacing <= Pt(29)
    assert fmt.first_line_indent == Pt(32)
    ind = body.style.element.find(qn("w:pPr")).find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"


def test_document_defaults_name_chinese_fonts_and_language(data):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        styles = package.read("word/styles.xml").decode()
    defaults = styles[styles.index("<w:docDefaults>"):styles.index("</w:docDefaults>")]
    assert 'w:eastAsia="仿宋_GB2312"' in defaults
    assert 'w:eastAsia="zh-CN"' in defaults
    assert "Theme" not in defaults.split("<w:rFonts")[1].split("/>")[0]


def test_headings_heiti_and_kaiti(doc):
    first = paragraph(doc, "一、总体情况")
    second = paragraph(doc, "（一）地区生产总值")
    assert first.style.name == "Heading 1"
    assert second.style.name == "Heading 2"
    assert style_east_asia(first.style) == "黑体"
    assert style_east_asia(second.style) == "楷体_GB2312"
    assert east_asia(first.runs[0]._r) == "黑体"
    assert east_asia(second.runs[0]._r) == "楷体_GB2312"
    for style in (first.style, second.style):
        assert style.font.size == Pt(16)
        assert style.font.bold is False
        assert style.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、总体情况", "二、主要经济指标", "三、督办事项落实情况",
                        "四、综合考核排名", "五、存在问题", "六、下步工作"]


def test_lead_run_bold(doc):
    problem = paragraph(doc, "一是部分县区项目开工率偏低，红岩县仅为45.0%。")
    assert [(r.text, r.bold) for r in problem.runs] == [
        ("一是", True), ("部分县区项目开工率偏低，红岩县仅为45.0%。", None)]
    assert east_asia(problem.runs[0]._r) == "仿宋_GB2312"


def test_table_header_repeats_with_borders_and_aligned_numbers(doc):
    table = doc.tables[0]
    assert len(table.rows) == 41
    header = table.rows[0]._tr.find(qn("w:trPr"))
    assert header.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is None
    width = table._tbl.tblPr.find(qn("w:tblW"))
    assert (width.get(qn("w:type")), width.get(qn("w:w"))) == ("dxa", "8844")  # 156 mm
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert [b.get(qn("w:val")) for b in borders] == ["single"] * 6
    assert [c.text for c in table.rows[0].cells] == [
        "名次", "县区", "指标得分", "工作得分", "总分", "较上月"]
    row = table.rows[3].cells
    assert [c.text for c in row] == ["并列2", "西山区", "28.60", "24.00", "92.40", "与上月持平"]
    assert [c.paragraphs[0].alignment for c in row] == [
        WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT,
        WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.CENTER]
    cell = row[2].paragraphs[0]
    assert cell.style.name == "Table Text"
    assert cell.style.font.size == Pt(12)
    assert east_asia(cell.runs[0]._r) == "仿宋_GB2312"
    assert style_east_asia(table.rows[0].cells[0].paragraphs[0].style) == "黑体"
    assert mm(Emu(sum(c.width for c in table.columns))) == 156


def test_wide_table_in_smaller_type():
    wide = Table("表2 项目建设", [f"列{i}" for i in range(10)], [["1"] * 10])
    doc = Document(io.BytesIO(writer.write_docx(Bulletin(
        "标题", "2026-10", "文号", "2026年11月5日", "办公室",
        [Section("projects", "项目建设", [wide])]))))
    cell = doc.tables[0].rows[1].cells[0].paragraphs[0]
    assert cell.style.name == "Table Text Small"
    assert cell.style.font.size == Pt(10.5)


def test_page_number_field_in_odd_and_even_footers(doc):
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer is True
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        para = footer.paragraphs[0]
        xml = para._p
        kinds = [c.get(qn("w:fldCharType")) for c in xml.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        assert [t.text for t in xml.iter(qn("w:instrText"))] == [" PAGE "]
        assert para.text == "— 1 —"
        assert para.paragraph_format.alignment == align
        assert {r.font.size for r in para.runs} == {Pt(14)}
        assert {east_asia(r._r) for r in para.runs} == {"宋体"}


def test_charts_embedded_as_png_at_text_width(doc):
    shapes = doc.inline_shapes
    assert len(shapes) == 3
    assert {shape.width for shape in shapes} == {Mm(156)}
    images = [rel.target_part for rel in doc.part.rels.values() if "image" in rel.reltype]
    assert {image.content_type for image in images} == {"image/png"}


def test_core_properties_carry_the_bulletin(doc):
    props = doc.core_properties
    assert props.title == "关于2026年1—10月全市重点工作讲评情况的通报"
    assert props.author == "江城市月讲评工作领导小组办公室"
    assert props.created.isoformat() == "2026-11-05T00:00:00+00:00"
    assert props.modified == props.created


def test_same_bulletin_gives_same_bytes(data):
    assert writer.write_docx(sample_bulletin(40)) == data


def test_issued_on_falls_back_to_the_period_year():
    bulletin = sample_bulletin(3)
    bulletin.date = "十一月"
    assert writer.issued_on(bulletin).isoformat() == "2026-01-01T00:00:00+00:00"


def test_text_width_counts_half_width_digits():
    assert writer.text_width("2026年11月5日") == 6.5


soffice = shutil.which("soffice")


@pytest.mark.skipif(soffice is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_lays_it_out_into_pages(data, tmp_path):
    source = tmp_path / "bulletin.docx"
    source.write_bytes(data)
    fonts = tmp_path / "fonts.conf"
    fonts.write_text(writer.fontconfig_stand_ins(), encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts), "HOME": str(tmp_path)}
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, timeout=180, env=env, capture_output=True)
    pdf = (tmp_path / "bulletin.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo:
        info = subprocess.run([pdfinfo, str(tmp_path / "bulletin.pdf")],
                              check=True, capture_output=True, text=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines()
                         if line.startswith("Pages:")))
        assert pages >= 3
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        subprocess.run([pdftoppm, "-r", "40", "-png", "-f", "1", "-l", "1",
                        str(tmp_path / "bulletin.pdf"), str(tmp_path / "page")],
                       check=True, timeout=60)
        page = next(tmp_path.glob("page*.png"))
        assert page.read_bytes().startswith(b"\x89PNG")


def test_unknown_column_alignment_is_refused_by_name():
    table = Table("表3 资金", ["县区", "支出进度"], [["临江区", "50.00%"]],
                  align=["left", "middle"])
    bulletin = Bulletin("标题", "2026-10", "文号", "2026年11月5日", "办公室",
                        [Section("funds", "资金", [table])])
    with pytest.raises(ValueError, match="'表3 资金', column 2: unknown alignment 'middle'"):
        writer.write_docx(bulletin)


def test_rows_longer_than_the_header_keep_every_cell():
    table = Table("", ["县区", ""], [["临江区", " 1.5 ", "多余"], ["东湖区"]])
    doc = Document(io.BytesIO(writer.write_docx(Bulletin(
        "标题", "2026-10", "文号", "2026年11月5日", "办公室",
        [Section("funds", "资金", [table])]))))
    assert [[c.text for c in row.cells] for row in doc.tables[0].rows] == [
        ["县区", "", ""], ["临江区", " 1.5 ", "多余"], ["东湖区", "", ""]]
