"""The bulletin as a document (通报文稿): a pure, format-free tree that every writer reads.

A section provider (see :mod:`jiangping.bulletins.sections`) turns the month's data into
:class:`Section` objects of blocks; the DOCX, HTML and PDF writers each walk the same
:class:`Bulletin`, so the three formats say exactly the same thing. The tree is plain
data: :func:`Bulletin.to_json` and :func:`Bulletin.from_json` round-trip it, which is
how a version is stored and how "regenerating an unchanged month gives identical text"
is checked (:meth:`Bulletin.text`).

No Django import: the writers and the sentence tests run without a database.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from jiangping.core.phrasing import chinese_numeral


@dataclass
class Paragraph:
    """A body paragraph (正文段落). ``lead``: a bold run opening the paragraph (一是…)."""

    text: str
    lead: str = ""
    kind: Literal["paragraph"] = "paragraph"

    def plain(self) -> str:
        return self.lead + self.text


@dataclass
class Subheading:
    """A second-level heading （一）… in 楷体."""

    text: str
    kind: Literal["subheading"] = "subheading"

    def plain(self) -> str:
        return self.text


@dataclass
class Table:
    """A table with a header row repeated on every page. Cells are text as printed;
    ``align`` per column: ``"left"``, ``"center"`` or ``"right"`` (numbers)."""

    caption: str
    header: list[str]
    rows: list[list[str]]
    align: list[str] = field(default_factory=list)
    note: str = ""
    kind: Literal["table"] = "table"

    def plain(self) -> str:
        lines = [self.caption, "\t".join(self.header)]
        lines += ["\t".join(row) for row in self.rows]
        if self.note:
            lines.append(self.note)
        return "\n".join(lines)


@dataclass
class Chart:
    """A chart: ``chart`` is ``"bars"`` (ranking), ``"trend"`` (lines over months) or
    ``"gauge"`` (schedule: progress against the time schedule).

    ``categories``: labels of the x axis (units, months); ``series``: ``[{"name",
    "values": [number or None, …]}]`` with numbers as strings of Decimals (exact,
    JSON-safe); ``unit``: the values' unit (%, 分, 亿元); ``marker``: an optional
    reference line (the schedule, the average) as ``{"name", "value"}``.
    """

    chart: Literal["bars", "trend", "gauge"]
    title: str
    categories: list[str]
    series: list[dict[str, Any]]
    unit: str = ""
    marker: dict[str, str] | None = None
    kind: Literal["chart"] = "chart"

    def plain(self) -> str:
        return f"[图] {self.title}"


Block = Paragraph | Subheading | Table | Chart
_BLOCKS = {"paragraph": Paragraph, "subheading": Subheading, "table": Table, "chart": Chart}


@dataclass
class Section:
    """A first-level section 一、… in 黑体. ``key`` names its provider; ``editable``
    sections (problems, next steps) are paragraphs the office may rewrite."""

    key: str
    heading: str
    blocks: list[Block] = field(default_factory=list)
    editable: bool = False


@dataclass
class Bulletin:
    """The whole bulletin. ``number``: the 文号 (e.g. 市讲评办〔2026〕11号); ``date``: the
    issuing date as printed (2026年12月5日); ``issuer``: the issuing office (落款)."""

    title: str
    period: str
    number: str
    date: str
    issuer: str
    sections: list[Section] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Bulletin:
        sections = [
            Section(key=s["key"], heading=s["heading"], editable=s.get("editable", False),
                    blocks=[_block(b) for b in s["blocks"]])
            for s in data["sections"]
        ]
        fields = {k: data[k] for k in ("title", "period", "number", "date", "issuer")}
        return cls(**fields, sections=sections)

    def text(self) -> str:
        """The bulletin as plain text, one block per line group: what a text diff of two
        versions compares."""
        out = [self.title, self.number, ""]
        for number, section in enumerate(self.sections, 1):
            out.append(f"{chinese_ordinal(number)}、{section.heading}")
            out += [block.plain() for block in section.blocks]
            out.append("")
        out += [self.issuer, self.date]
        return "\n".join(out)


def _block(data: dict) -> Block:
    data = dict(data)
    return _BLOCKS[data.pop("kind")](**data)


# The ordinals of headings 一、 and （一）: one home for Chinese numerals.
chinese_ordinal = chinese_numeral
