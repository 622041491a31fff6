"""The one door to the composer and the writers (生成与排版): the services, the pages and
the CLI reach :mod:`~jiangping.bulletins.compose` and :mod:`~jiangping.bulletins.writers`
only through this module, so a test swaps them here in one place.

``formats`` maps each format (``docx``, ``html``, ``pdf``) to a function ``Bulletin →
bytes``; ``preview`` gives the HTML fragment the bulletin page shows.
"""

from __future__ import annotations

from collections.abc import Callable

from jiangping.bulletins import compose as _compose
from jiangping.bulletins.document import Bulletin
from jiangping.bulletins.writers.docx import write_docx
from jiangping.bulletins.writers.html import render_html
from jiangping.bulletins.writers.pdf import write_pdf

FORMATS = ("docx", "html", "pdf")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


def context_for(period: str):
    """The :class:`~jiangping.bulletins.sections.Context` of ``period`` (YYYY-MM)."""
    return _compose.context_for(period)


def compose(context, *, number: str, date: str, issuer: str, edits: dict | None = None
            ) -> Bulletin:
    """The month's :class:`Bulletin` from its context, with the office's ``edits``."""
    return _compose.compose(context, number=number, date=date, issuer=issuer, edits=edits)


def _html(bulletin: Bulletin) -> bytes:
    return render_html(bulletin).encode("utf-8")


formats: dict[str, Callable[[Bulletin], bytes]] = {
    "docx": write_docx, "html": _html, "pdf": write_pdf}


def preview(bulletin: Bulletin) -> str:
    """The bulletin as an HTML fragment to place inside a page (no ``<html>``)."""
    return render_html(bulletin, fragment=True)
