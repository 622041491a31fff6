"""The bulletin as PDF (通报PDF版), rendered on the server from the HTML.

Interface: ``write_pdf(bulletin: Bulletin) -> bytes``: WeasyPrint over
``render_html(bulletin, for_pdf=True)`` (charts as embedded images, no script), A4 in the
GB/T 9704 layout of the HTML's ``@page`` rules, the free CJK fonts (Noto Serif/Sans CJK SC,
AR PL UKai CN) standing in for the office fonts. Nothing is fetched: every resource is
inline, and the URL fetcher refuses any URL that is not ``data:``. The same bulletin gives
the same bytes (no creation date is written; the file identifier is derived from the
content).

Raises :class:`PdfUnavailable` (a Chinese message) when WeasyPrint or its Pango libraries
are missing on the server.
"""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _

from jiangping.bulletins.document import Bulletin
from jiangping.bulletins.writers.html import render_html


class PdfUnavailable(RuntimeError):
    """The server cannot print PDF: WeasyPrint or Pango is not installed."""


def write_pdf(bulletin: Bulletin) -> bytes:
    """The bulletin as PDF bytes (``%PDF-…``). Raises :class:`PdfUnavailable`."""
    weasyprint = _weasyprint()
    html = render_html(bulletin, for_pdf=True)
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=url_fetcher(),
                               media_type="print")
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    return document.write_pdf(pdf_identifier=identifier, uncompressed_pdf=False)


def url_fetcher():
    """WeasyPrint's fetcher allowing ``data:`` URLs only: any other URL raises
    :class:`ValueError` inside it, and WeasyPrint leaves that resource out."""
    return _weasyprint().urls.URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)


def _weasyprint():
    try:
        import weasyprint
        import weasyprint.urls
    except (ImportError, OSError) as error:
        raise PdfUnavailable(_(
            "服务器无法生成PDF：缺少WeasyPrint或Pango库（%(error)s）。"
            "请安装 weasyprint 及 libpango-1.0-0、libpangoft2-1.0-0 后重试，"
            "或改为下载Word版、网页版。") % {"error": error}) from error
    return weasyprint
