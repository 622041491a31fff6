"""The speech page's view of a decomposition (讲话分解): the normalised text cut into
segments with the proposed sentences and, inside them, the units, deadline and targets
marked; and the rows of the confirmation form prefilled from the proposals.

Pure Python, no Django: units are passed in as ``name → id`` mappings. How generic unit
forms map to registry units is described in docs/tasks.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources

from jiangping.tasks.deadlines import find_deadline
from jiangping.tasks.proposals import TARGET, Gazetteer, Proposal, find_units

# The demo speeches (示例讲话), written for the demo city: key → (source title, meeting
# date, file in jiangping/demo/speeches/).
EXAMPLES = {
    "november": ("市长在全市11月份经济运行讲评会上的讲话", dt.date(2025, 12, 5), "november.txt"),
    "first-quarter": ("市长在全市一季度经济运行讲评会上的讲话", dt.date(2026, 4, 8),
                      "first-quarter.txt"),
}
# 各县(市、区) and its variants: every county-level unit (县级单位) takes part.
ALL_COUNTIES = re.compile(r"^各县")


@dataclass
class Segment:
    """A run of the normalised text; ``n`` (1-based) when it is proposal ``n``'s sentence,
    whose ``parts`` are ``(text, kind)`` with kind ``unit``/``deadline``/``target`` or ""."""

    text: str
    n: int | None = None
    parts: list[tuple[str, str]] = field(default_factory=list)


def marks(sentence: str, meeting: dt.date, gazetteer: Gazetteer) -> list[tuple[int, int, str]]:
    """Spans of the units, the deadline and the targets in ``sentence``, by start, none
    overlapping (the earlier wins)."""
    found = [(m.start, m.end, "unit") for m in find_units(sentence, gazetteer)]
    deadline = find_deadline(sentence, meeting)
    if deadline:
        found.append((deadline.start, deadline.end, "deadline"))
    found += [(m.start(), m.end(), "target") for m in TARGET.finditer(sentence)]
    kept, taken = [], 0
    for start, end, kind in sorted(found):
        if start >= taken:
            kept.append((start, end, kind))
            taken = end
    return kept


def segments(normal: str, proposals: Sequence[Proposal], meeting: dt.date,
             gazetteer: Gazetteer) -> list[Segment]:
    """``normal`` as plain runs and proposed sentences with their marks, in order."""
    out, at = [], 0
    for n, proposal in enumerate(proposals, start=1):
        if proposal.start > at:
            out.append(Segment(normal[at:proposal.start]))
        sentence = normal[proposal.start:proposal.end]
        parts, pos = [], 0
        for start, end, kind in marks(sentence, meeting, gazetteer):
            if start > pos:
                parts.append((sentence[pos:start], ""))
            parts.append((sentence[start:end], kind))
            pos = end
        if pos < len(sentence):
            parts.append((sentence[pos:], ""))
        out.append(Segment(sentence, n, parts))
        at = proposal.end
    if at < len(normal):
        out.append(Segment(normal[at:]))
    return out


@dataclass
class Row:
    """The prefilled values of one confirmation row; ``unmatched`` are unit names the
    registry does not know (市直有关单位, a department not in the registry …)."""

    title: str
    lead_unit: int | None
    co_units: list[int]
    deadline: str | None
    target: str
    sentence: str
    unmatched: list[str]


def row_of(proposal: Proposal, units: Mapping[str, int], counties: Sequence[int]) -> Row:
    """The row of a proposal: registry names map to their unit; 各县(市、区) adds every
    county-level unit as a co-unit, even when the speech gives it the lead, so that the
    office picks the leading (coordinating) unit itself; other generic forms map to nothing."""
    lead, co, unmatched = None, [], []
    for role, names in (("lead", proposal.lead_units), ("co", proposal.co_units)):
        for name in names:
            if name in units:
                if role == "lead" and lead is None:
                    lead = units[name]
                else:
                    co.append(units[name])
            elif ALL_COUNTIES.match(name):
                co.extend(counties)
            else:
                unmatched.append(name)
    co = [pk for pk in dict.fromkeys(co) if pk != lead]
    return Row(
        title=proposal.topic or proposal.sentence[:60],
        lead_unit=lead,
        co_units=co,
        deadline=proposal.deadline,
        target="；".join(t["text"] for t in proposal.targets),
        sentence=proposal.sentence,
        unmatched=unmatched,
    )


def example(key: str) -> tuple[str, str, dt.date] | None:
    """``(text, source title, meeting date)`` of a demo speech, None for an unknown key."""
    if key not in EXAMPLES:
        return None
    title, day, name = EXAMPLES[key]
    text = resources.files("jiangping.demo").joinpath("speeches", name).read_text("utf-8")
    return text, title, day
