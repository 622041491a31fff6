"""The bulletin as one printable HTML document (通报网页版).

Interface:

``render_html(bulletin: Bulletin, *, for_pdf: bool = False, fragment: bool = False) -> str``

- default: a whole standalone document (``<!DOCTYPE html>``…) that works offline: the CSS
  (``static/bulletins/bulletin.css`` plus the A4 ``@page`` rules of GB/T 9704: margins
  37/35/28/26 mm, page numbers "— 1 —" outside, odd pages right, even left), the vendored
  ECharts and ``static/bulletins/bulletin.js`` are all inlined; each chart's data is a
  ``<script type="application/json">`` written by Django's ``json_script`` that the script
  reads, so no bulletin text ever becomes code. This is the downloadable ``.html``; a view
  serving it inline must relax the site's CSP (inline script and style) or send it as an
  attachment.
- ``for_pdf=True``: the same document without any script, each chart an image rendered on
  the server by :func:`jiangping.bulletins.charts.render` embedded as a ``data:`` URI
  (WeasyPrint runs no JavaScript); what :func:`jiangping.bulletins.writers.pdf.write_pdf`
  prints.
- ``fragment=True``: only the ``<article class="bulletin">`` (no ``<html>``, no inline
  style or script, so it passes the site's CSP) for the preview in a web page, which loads
  :data:`STYLESHEET`, :data:`ECHARTS` and :data:`SCRIPT` with ``{% static %}``; combined
  with ``for_pdf`` the charts are images instead. Sections carry ``data-section="key"`` and
  ``data-editable="true"`` for the office's editable ones (存在问题, 下步工作).

Every text of the bulletin is autoescaped by the templates ``bulletins/document.html`` and
``bulletins/_bulletin.html`` (it comes from data and from office edits). Raises
:class:`ValueError` for a chart of an unknown kind; whatever ``charts.render`` raises.
Needs ``jiangping.bulletins`` in ``INSTALLED_APPS`` (its templates and static files).
"""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from jiangping.bulletins.document import Bulletin, Chart, Table, chinese_ordinal

STYLESHEET = "bulletins/bulletin.css"
SCRIPT = "bulletins/bulletin.js"
ECHARTS = "vendor/echarts/echarts.common.min.js"

_HERE = Path(__file__).resolve().parent.parent
_STATIC_FILES = {
    STYLESHEET: _HERE / "static" / STYLESHEET,
    SCRIPT: _HERE / "static" / SCRIPT,
    ECHARTS: _HERE.parent / "core" / "static" / ECHARTS,
}
_ALIGNS = {"left", "center", "right"}
_CHARTS = {"bars", "trend", "gauge"}
# What the image of a chart is drawn as for the PDF: vector, sharp at any zoom.
PDF_CHART_FORMAT = "svg"
PDF_CHART_WIDTH_MM = 150


def render_html(bulletin: Bulletin, *, for_pdf: bool = False, fragment: bool = False) -> str:
    """The bulletin as HTML text (see the module doc for the three modes)."""
    context = {
        "bulletin": bulletin,
        "sections": _sections(bulletin, for_pdf=for_pdf),
        "for_pdf": for_pdf,
    }
    if fragment:
        return render_to_string("bulletins/_bulletin.html", context)
    context["css"] = _inline(STYLESHEET, "</style")
    if not for_pdf:
        context["echarts"] = _inline(ECHARTS, "</script")
        context["charts_js"] = _inline(SCRIPT, "</script")
    return render_to_string("bulletins/document.html", context)


def chart_data(chart: Chart) -> dict:
    """What the browser script draws a chart from: ``{"chart", "title", "categories",
    "series": [{"name", "values": [str | None]}], "unit", "marker": {"name", "value"} |
    None}``, values as decimal strings printed as given."""
    if chart.chart not in _CHARTS:
        raise ValueError(f"unknown chart kind: {chart.chart!r}")
    return {
        "chart": chart.chart,
        "title": chart.title,
        "categories": [str(c) for c in chart.categories],
        "series": [
            {"name": str(s.get("name", "")),
             "values": [None if v is None else str(v) for v in s.get("values", [])]}
            for s in chart.series
        ],
        "unit": chart.unit,
        "marker": ({"name": str(chart.marker.get("name", "")),
                    "value": str(chart.marker.get("value", ""))} if chart.marker else None),
    }


def _sections(bulletin: Bulletin, *, for_pdf: bool) -> list[dict]:
    charts = 0
    sections = []
    for number, section in enumerate(bulletin.sections, 1):
        blocks = []
        for block in section.blocks:
            if isinstance(block, Table):
                blocks.append(_table(block))
            elif isinstance(block, Chart):
                charts += 1
                blocks.append(_chart(block, charts, for_pdf=for_pdf))
            else:
                blocks.append(block)
        sections.append({"ordinal": chinese_ordinal(number), "heading": section.heading,
                         "key": section.key, "editable": section.editable, "blocks": blocks})
    return sections


def _table(table: Table) -> dict:
    aligns = [a if a in _ALIGNS else "left" for a in table.align]

    def align(column: int) -> str:
        return aligns[column] if column < len(aligns) else "left"

    return {
        "kind": "table",
        "caption": table.caption,
        "header": table.header,
        "rows": [[{"text": text, "align": align(i)} for i, text in enumerate(row)]
                 for row in table.rows],
        "note": table.note,
    }


def _chart(chart: Chart, number: int, *, for_pdf: bool) -> dict:
    data = chart_data(chart)
    block = {"kind": "chart", "chart": chart.chart, "title": chart.title,
             "id": f"bl-chart-{number}", "data": data, "image": ""}
    if for_pdf:
        from jiangping.bulletins import charts

        picture = charts.render(chart, fmt=PDF_CHART_FORMAT, width_mm=PDF_CHART_WIDTH_MM)
        mime = "image/svg+xml" if PDF_CHART_FORMAT == "svg" else "image/png"
        block["image"] = f"data:{mime};base64,{base64.b64encode(picture).decode('ascii')}"
    return block


@cache
def _read(name: str) -> str:
    return _STATIC_FILES[name].read_text(encoding="utf-8")


def _inline(name: str, closing: str) -> str:
    text = _read(name)
    if closing in text.lower():
        raise ValueError(f"{name} cannot be inlined: it contains {closing}")
    return mark_safe(text)  # noqa: S308 -- our own static file, checked above
