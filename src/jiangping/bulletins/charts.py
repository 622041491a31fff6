"""Charts rendered on the server (图表) for the DOCX and the PDF.

Interface: ``render(chart: Chart, *, fmt: str = "png", width_mm: float = 150) -> bytes``
(``fmt``: ``"png"`` or ``"svg"``), CJK labels in a free font from Debian's packages.
"""
