"""The bulletin as one printable HTML document.

Interface: ``render_html(bulletin: Bulletin, *, for_pdf: bool = False) -> str``: a whole
document (``<!doctype html>``…) with its CSS inline; charts drawn by the vendored ECharts,
or, ``for_pdf``, as server-rendered images (:mod:`jiangping.bulletins.charts`).
"""
