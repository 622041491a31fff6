"""The bulletin as PDF: a real PDF of sensible length in the free CJK fonts, the header
of a long table on every page it crosses, page numbers, hostile text as text, the same
bytes twice, nothing fetched, and a clear error without WeasyPrint."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from jiangping.bulletins.tests.samples import sample_bulletin
from jiangping.bulletins.writers.pdf import PdfUnavailable, url_fetcher, write_pdf

POPPLER = pytest.mark.skipif(shutil.which("pdftotext") is None,
                             reason="needs poppler-utils (pdftotext, pdffonts, pdftoppm)")


@pytest.fixture(autouse=True)
def bulletin_app(settings):
    """The bulletin's templates and static files come with its app."""
    if "jiangping.bulletins" not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "jiangping.bulletins"]


@pytest.fixture(scope="module")
def pdf40(tmp_path_factory):
    from django.conf import settings
    from django.test.utils import override_settings

    bulletin = sample_bulletin(40)
    bulletin.sections[0].blocks[0].text += "<script>alert(1)</script>"
    apps = settings.INSTALLED_APPS
    if "jiangping.bulletins" not in apps:
        apps = [*apps, "jiangping.bulletins"]
    with override_settings(INSTALLED_APPS=apps):
        data = write_pdf(bulletin)
    path = tmp_path_factory.mktemp("pdf") / "bulletin.pdf"
    path.write_bytes(data)
    return path


def pages_text(path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1]


def test_a_pdf_with_the_same_bytes_for_the_same_bulletin(pdf40):
    data = pdf40.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert b"CreationDate" not in data
    assert write_pdf(sample_bulletin(3)) == write_pdf(sample_bulletin(3))


@POPPLER
def test_pages_numbers_title_and_the_repeated_table_header(pdf40):
    pages = pages_text(pdf40)
    # Title page, a page with the table's start, two of its continuation, the ranking
    # chart, the gauge with the closing sections: 6 on this machine's fonts.
    assert 5 <= len(pages) <= 7
    squeezed = [re.sub(r"\s+", "", page) for page in pages]
    assert "关于2026年1—10月全市重点工作讲评情况的通报" in squeezed[0]
    assert "市讲评办〔2026〕10号" in squeezed[0]
    assert "一、总体情况" in squeezed[0]
    assert "<script>alert(1)</script>" in squeezed[0]
    assert [page[-3:] for page in squeezed] == [f"—{n}—" for n in range(1, len(pages) + 1)]
    header = "名次县区指标得分工作得分总分较上月"
    row = re.compile(r"\d\.\d\d(前移1位|后退2位|与上月持平)")
    with_header = [n for n, page in enumerate(squeezed, 1) if header in page]
    with_rows = [n for n, page in enumerate(squeezed, 1) if row.search(page)]
    assert with_header == with_rows
    assert len(with_rows) >= 2
    assert "江城市月讲评工作领导小组办公室2026年11月5日" in squeezed[-1]


@POPPLER
def test_set_in_the_free_cjk_fonts(pdf40):
    fonts = subprocess.run(["pdffonts", str(pdf40)], capture_output=True, text=True,
                           check=True).stdout
    families = {re.sub(r"^[A-Z]{6}\+", "", line.split()[0]) for line in fonts.splitlines()[2:]}
    assert {"Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold", "Noto-Sans-CJK-SC",
            "AR-PL-UKai-CN"} <= families


@POPPLER
def test_page_one_renders_to_an_a4_picture_with_ink(pdf40, tmp_path):
    from PIL import Image, ImageStat

    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf40), str(tmp_path / "page1")], check=True)
    image = Image.open(tmp_path / "page1.png").convert("L")
    assert image.size in {(413, 585), (414, 585)}  # A4 at 50 dpi
    assert ImageStat.Stat(image).mean[0] < 254  # not a blank page
    # Nothing is printed in the top margin (37 mm ≈ 73 px at 50 dpi) but the page edge.
    assert ImageStat.Stat(image.crop((0, 0, 413, 60))).extrema[0][0] == 255


def test_the_fetcher_refuses_every_url_but_data():
    fetcher = url_fetcher()
    response = fetcher("data:text/plain;base64,5LiA")
    assert response.read() == "一".encode()
    response.close()
    for url in ("file:///etc/hostname", "http://127.0.0.1:9/x.png", "https://example.org/a.css"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher(url)


def test_a_clear_chinese_error_without_weasyprint(monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(PdfUnavailable, match="服务器无法生成PDF：缺少WeasyPrint或Pango库"):
        write_pdf(sample_bulletin(3))
