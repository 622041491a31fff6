"""The one door to the composer and the writers (生成与排版): the services, the pages and
the CLI reach :mod:`~jiangping.bulletins.compose` and :mod:`~jiangping.bulletins.writers`
only through this module, so a test swaps them here in one place.

``formats`` maps each format (``docx``, ``html``, ``pdf``) to a function ``Bulletin →
bytes``; ``preview`` gives the HTML fragment the bulletin page shows. The modules behind
them are imported when first called.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from jiangping.bulletins.document import Bulletin

FORMATS = ("docx", "html", "pdf")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
# (module, function) of each interface, for :func:`missing`.
INTERFACES = {
    "compose": ("jiangping.bulletins.compose", "compose"),
    "context_for": ("jiangping.bulletins.compose", "context_for"),
    "docx": ("jiangping.bulletins.writers.docx", "write_docx"),
    "html": ("jiangping.bulletins.writers.html", "render_html"),
    "pdf": ("jiangping.bulletins.writers.pdf", "write_pdf"),
}


def _function(name: str) -> Callable:
    module, attribute = INTERFACES[name]
    return getattr(importlib.import_module(module), attribute)


def context_for(period: str):
    """The :class:`~jiangping.bulletins.sections.Context` of ``period`` (YYYY-MM)."""
    return _function("context_for")(period)


def compose(context, *, number: str, date: str, issuer: str, edits: dict | None = None
            ) -> Bulletin:
    """The month's :class:`Bulletin` from its context, with the office's ``edits``."""
    return _function("compose")(context, number=number, date=date, issuer=issuer, edits=edits)


def _docx(bulletin: Bulletin) -> bytes:
    return _function("docx")(bulletin)


def _html(bulletin: Bulletin) -> bytes:
    return _function("html")(bulletin).encode("utf-8")


def _pdf(bulletin: Bulletin) -> bytes:
    return _function("pdf")(bulletin)


formats: dict[str, Callable[[Bulletin], bytes]] = {"docx": _docx, "html": _html, "pdf": _pdf}


def preview(bulletin: Bulletin) -> str:
    """The bulletin as an HTML fragment to place inside a page (no ``<html>``)."""
    return _function("html")(bulletin, fragment=True)


def missing() -> list[str]:
    """The interfaces not built yet (their module has no such function), by name."""
    out = []
    for name, (module, attribute) in INTERFACES.items():
        try:
            found = getattr(importlib.import_module(module), attribute, None)
        except ImportError:
            found = None
        if found is None:
            out.append(name)
    return out
