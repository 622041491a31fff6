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
from jiangping.tasks.proposals import TARGET, Proposal

# The demo speeches (示例讲话), written for the demo city: key → (source title, meeting
# date, file in jiangping/demo/speeches/).
EXAMPLES = {
    "november": ("市长在全市11月份经济运行讲评会上的讲话", dt.date(2025, 12, 5), "november.txt"),
    "first-quarter": ("市长在全市一季度经济运行讲评会上的讲话", dt.date(2026, 4, 8),
                      "first-quarter.txt"),
}


@dataclass
class Segment:
    """A run of the normalised text; ``n`` (1-based) when it is proposal ``n``'s sentence,
    whose ``parts`` are ``(text, kind)`` with kind ``unit``/``deadline``/``target`` or ""."""

    text: str
    n: int | None = None
    parts: list[tuple[str, str]] = field(default_factory=list)


def proposal_units(proposal: Proposal) -> list[dict]:
    """The unit mentions of a proposal (``Proposal.units``, docs/tasks.md)."""
    return list(proposal.units)


def marks(proposal: Proposal, meeting: dt.date) -> list[tuple[int, int, str]]:
    """Spans of the unit mentions (kind ``unit``, ``unit collective`` or ``unit
    unresolved``), the deadlines and the targets in the proposal's sentence, by start,
    none overlapping (the earlier wins)."""
    sentence = proposal.sentence
    found = []
    for mention in proposal_units(proposal):
        state = mention_state(mention)
        kind = "unit" if state == RESOLVED else f"unit {state}"
        found.append((mention["start"], mention["end"], kind))
    deadline = find_deadline(sentence, meeting)
    if deadline:
        found.append((deadline.start, deadline.end, "deadline"))
    for milestone in proposal.milestones:
        at = sentence.find(milestone["deadline_text"]) if milestone["deadline_text"] else -1
        if at >= 0:
            found.append((at, at + len(milestone["deadline_text"]), "deadline"))
    found += [(m.start(), m.end(), "target") for m in TARGET.finditer(sentence)]
    kept, taken = [], 0
    for start, end, kind in sorted(found):
        if start >= taken:
            kept.append((start, end, kind))
            taken = end
    return kept


def segments(normal: str, proposals: Sequence[Proposal], meeting: dt.date) -> list[Segment]:
    """``normal`` as plain runs and proposed sentences with their marks, in order."""
    out, at = [], 0
    for n, proposal in enumerate(proposals, start=1):
        if proposal.start > at:
            out.append(Segment(normal[at:proposal.start]))
        sentence = normal[proposal.start:proposal.end]
        parts, pos = [], 0
        for start, end, kind in marks(proposal, meeting):
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


# 各县(市、区) and its variants: every county-level unit (县级单位) takes part.
ALL_COUNTIES = re.compile(r"^各县")
RESOLVED, COLLECTIVE, UNRESOLVED = "resolved", "collective", "unresolved"
# Collective forms (集合称谓) and the registry units they stand for: 各县(市、区) every
# county-level unit but the functional zones, 各乡镇 the townships of the text's
# county (of the city: none, the counties relay it), 各开发区 the functional zones.
COLLECTIVE_KINDS = (
    ("counties", re.compile(r"^各(?:县|区县|市县)(?!直)")),
    ("townships", re.compile(r"^各(?:乡镇|镇|乡|街道)")),
    ("zones", re.compile(r"^各(?:开发区|园区|功能区|产业园区)")),
)


def collective_kind(text: str) -> str:
    """``counties``, ``townships`` or ``zones`` for a collective form that stands for
    registry units, "" for any other (县直各部门, 相关部门 …: the office picks)."""
    for kind, pattern in COLLECTIVE_KINDS:
        if pattern.match(text):
            return kind
    return ""


def mention_state(mention: Mapping) -> str:
    """``resolved`` (a registered unit), ``collective`` or ``unresolved`` (未登记)."""
    if mention.get("unit"):
        return RESOLVED
    if mention.get("collective") or collective_kind(mention["text"]):
        return COLLECTIVE
    return UNRESOLVED


@dataclass
class Row:
    """The prefilled values of one confirmation row. ``mentions`` are the sentence's
    unit mentions as the page shows them: ``{"text", "role", "level", "state", "unit"
    (id or None), "members" (ids a collective stands for), "candidates" (ids, best
    first)}``; ``unmatched`` the texts of those no registered unit was found for
    (未登记单位 and collectives the office resolves itself); ``needs_unit`` when no
    lead unit is known (需指定牵头单位)."""

    title: str
    lead_unit: int | None
    co_units: list[int]
    deadline: str | None
    target: str
    sentence: str
    unmatched: list[str]
    mentions: list[dict] = field(default_factory=list)
    needs_unit: bool = False
    milestones: list[dict] = field(default_factory=list)
    deadline_note: str = ""
    deadline_text: str = ""  # as the speech wrote it (春节前), kept to recompute it


def target_phrase(target: Mapping) -> str:
    """A target as the row's 目标要求 writes it: with the indicator it is about
    (一般公共预算收入增长6%, not 增长6%) unless its text already holds it; a
    one-character subject says nothing and is left out."""
    subject = target.get("subject") or ""
    if len(subject) < 2 or subject in target["text"]:
        return target["text"]
    return subject + target["text"]


def row_of(proposal: Proposal, units: Mapping[str, int],
           collectives: Mapping[str, Sequence[int]]) -> Row:
    """The row of a proposal. ``units`` maps registered full names to ids (the units
    the page can assign), ``collectives`` a collective kind (:func:`collective_kind`)
    to the ids it stands for. The first resolved lead mention leads; other resolved
    mentions co-operate; a collective's units co-operate even when the speech gives it
    the lead, so that the office picks the leading (coordinating) unit itself; an
    unresolved mention adds nothing until the office maps it."""
    lead, co, unmatched, mentions = None, [], [], []
    for mention in proposal_units(proposal):
        state = mention_state(mention)
        pk = units.get(mention.get("unit") or "")
        if state == RESOLVED and pk is None:
            state = UNRESOLVED  # a registered unit the page cannot assign (a village …)
        members = list(collectives.get(collective_kind(mention["text"]), ()))
        candidates = [units[name] for name in mention.get("candidates", ()) if name in units]
        if state == RESOLVED:
            if mention.get("role") == "lead" and lead is None:
                lead = pk
            else:
                co.append(pk)
        elif state == COLLECTIVE:
            co.extend(members)
        if state == UNRESOLVED or (state == COLLECTIVE and not members):
            unmatched.append(mention["text"])
        mentions.append({
            "text": mention["text"], "role": mention.get("role") or "co",
            "level": mention.get("level") or "", "state": state,
            "unit": pk if state == RESOLVED else None,
            "members": members if state == COLLECTIVE else [],
            "candidates": candidates if state == UNRESOLVED else [],
        })
    co = [pk for pk in dict.fromkeys(co) if pk != lead]
    return Row(
        title=proposal.topic or proposal.sentence[:60],
        lead_unit=lead,
        co_units=co,
        deadline=proposal.deadline,
        target="；".join(map(target_phrase, proposal.targets)),
        sentence=proposal.sentence,
        unmatched=list(dict.fromkeys(unmatched)),
        mentions=mentions,
        needs_unit=lead is None,
        milestones=list(proposal.milestones),
        deadline_note=proposal.deadline_note,
        deadline_text=proposal.deadline_text,
    )


def example(key: str) -> tuple[str, str, dt.date] | None:
    """``(text, source title, meeting date)`` of a demo speech, None for an unknown key."""
    if key not in EXAMPLES:
        return None
    title, day, name = EXAMPLES[key]
    text = resources.files("jiangping.demo").joinpath("speeches", name).read_text("utf-8")
    return text, title, day
