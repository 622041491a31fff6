"""Speech → proposed tasks (讲话分解), offline and by rules.

Pure Python, no Django: the gazetteer of unit names is passed in as data. The text is
normalised with :func:`jiangping.textkit.clean.clean` (Simplified), split into sentences
(:mod:`jiangping.tasks.sentences`), and every sentence that assigns work becomes a candidate
with its heading path, unit mentions (:mod:`jiangping.tasks.speechunits`) and their roles,
deadlines (milestones), targets (:mod:`jiangping.tasks.targets`) and topic. Headings,
exhortations and narrative (past and reporting verbs, 截至目前, 今年以来) are not tasks;
minutes' decisions (会议同意…, 会议议定：1.…) are. Offsets refer to the normalised text.
The rules and their limits are described in docs/tasks.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field

from jiangping.tasks.deadlines import Deadline, find_deadlines, small_number
from jiangping.tasks.directives import CUES, DECISIONS, EXHORTATION, directive
from jiangping.tasks.sentences import (
    CLOSERS,
    ITEM_LEVELS,
    SENTENCE_END,
    heading_of,
    marker_end,
    split_sentences,
    starts_line,
)
from jiangping.tasks.speechunits import (
    DEFAULT_SYNONYMS,
    Gazetteer,
    Home,
    Mention,
    UnitEntry,
    find_mentions,
    infer_home,
)
from jiangping.tasks.targets import MEASURES, find_targets
from jiangping.textkit.clean import clean

__all__ = ["DEFAULT_SYNONYMS", "TARGET", "Gazetteer", "Proposal", "UnitEntry", "find_targets",
           "find_units", "propose"]

# A target from its verb to its unit, as the speech page marks it.
TARGET = re.compile(
    r"(?P<verb>下降|降低|减少|压减|提高|提升|增长|增加|达到|控制在|不低于|不少于|不超过|"
    r"完成|突破|新增|实现|稳定在|保持在)"
    r"(?P<gap>[^，。；,;、\d]{0,12}?)"
    rf"(?P<value>\d+(?:\.\d+)?|[XxＸ×]+|[零一二三四五六七八九十百千两]+)(?P<unit>{MEASURES})"
)
ESTIMATED_NOTE = "节假日安排未公布，暂按双休日计算"

LEAD_AFTER = re.compile(r"^(?:等)?(?:单位|部门)?(?:要|负责|为)?(?:牵头|负责|主抓|为牵头单位)")
# "A协同B…" is A's work with B (as 会同); "在A的配合下" makes A a co-unit.
CO_AFTER = re.compile(
    r"^(?:等)?(?:单位|部门)?(?:要)?(?:积极)?(?:配合|协助|协同(?![市县区旗镇乡各])|参与)"
    r"|^的(?:大力)?(?:配合|协助)下")
SUBJECT_AFTER = re.compile(
    r"^(?:[和、及][^，,。；;要]{1,14}?)?(?:等)?(?:单位|部门|有关单位|相关单位)?"
    r"(?:要|共同|务必|必须|须|需|应当|在|于|抓紧|加快|尽快|"
    r"切实|全力|负责|牵头|拟定|提交|提出|报送|分工|对照|会同|督促|做好|落实|按|根据|结合|围绕|"
    r"立即|迅速|认真|进一步|持续|继续|统筹|严格|加强|强化|主动|务于|限期|抓好|着力|狠抓)"
)
# "A会同B负责…": A leads, B co-operates, whatever cue follows B.
CO_BEFORE = re.compile(
    r"(?:会同|协同|联合|协调|督促|指导|组织|配合下|(?:配合|协办|参与)(?:单位|部门)[：:])$")
# "由A牵头", "A配合B…": B leads.
LEAD_BEFORE = re.compile(
    r"(?:由|配合|协助|同意|原则同意|会议确定|会议明确|明确|责成|要求[，,]?|请|"
    r"(?:牵头|责任|主责)(?:单位|部门)[：:])$")
# "报县委审定", "向市政府报告", "与县自然资源局对接": the unit is an addressee, no party.
SKIP_BEFORE = re.compile(
    r"(?:报|报送|上报|报请|提交|提请|向|送|报告|与|(?<![会协共])同|经|对|给|争取|请示|对接)$")
LIST_JOIN = re.compile(r"^(?:、|和|及|与|以及|或)$")
TOPIC_TRIM = re.compile(
    r"^(?:[要在于并且同时还也都和]|进一步|全力|认真|扎实|持续|切实|务必|必须|确保|力争|"
    r"要求|坚决|抓紧|尽快|负责|牵头|督促|全面)+"
)


@dataclass
class Proposal:
    """A candidate task (拟立督办事项); keys as in DESIGN §13 ``tasks propose``, with the
    unit mentions (``units``), ``needs_unit`` when no unit leads, every deadline as a
    milestone, and whether the first deadline is estimated (no holiday arrangement)."""

    sentence: str
    start: int
    end: int
    heading: list[str]
    lead_units: list[str]
    co_units: list[str]
    deadline: str | None
    deadline_text: str
    targets: list[dict]
    topic: str
    units: list[dict] = field(default_factory=list)
    needs_unit: bool = False
    milestones: list[dict] = field(default_factory=list)
    deadline_estimated: bool = False
    deadline_note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def find_units(sentence: str, gazetteer: Gazetteer, home: Home | None = None
               ) -> list[Mention]:
    """The unit mentions of ``sentence`` (see :func:`speechunits.find_mentions`)."""
    return find_mentions(sentence, gazetteer, home)


def assign_roles(sentence: str, mentions: list[Mention]) -> list[tuple[Mention, str]]:
    """Each party's role, "lead" or "co" (牵头/配合), in text order; addressees (报县委审定)
    are left out. Mentions joined by 、/和/及 form a list sharing one cue: ``由X``, ``配合X``,
    ``X牵头`` and a list before its directive (``X、Y要…``, ``X等部门要…``) lead; ``会同Y``,
    ``Y配合`` co-operate; a cue before a list wins over one after it. Without a lead the first
    unmarked list leads; any other unit is a co-unit."""
    groups: list[list[Mention]] = []
    for m in mentions:
        if groups and LIST_JOIN.match(sentence[groups[-1][-1].end:m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    roles: list[str | None] = []
    kept: list[list[Mention]] = []
    for group in groups:
        before, after = sentence[:group[0].start], sentence[group[-1].end:]
        if SKIP_BEFORE.search(before):
            continue
        kept.append(group)
        if LEAD_BEFORE.search(before):
            roles.append("lead")
        elif CO_BEFORE.search(before):
            roles.append("co")
        elif LEAD_AFTER.match(after):
            roles.append("lead")
        elif CO_AFTER.match(after):
            roles.append("co")
        elif SUBJECT_AFTER.match(after):
            roles.append("lead")
        else:
            roles.append(None)
    if "lead" not in roles and None in roles:
        roles[roles.index(None)] = "lead"
    # A unit merely mentioned in a clause that directs nothing (市委、市政府高度重视…，
    # 各部门要…) is no party.
    for n, group in enumerate(kept):
        if roles[n] is None and not CUES.search(clause_at(sentence, group[0].start)):
            roles[n] = "none"
    out, seen = [], set()
    for role, group in zip(roles, kept, strict=True):
        for m in group:
            if role != "none" and m.name not in seen:
                seen.add(m.name)
                out.append((m, role or "co"))
    return out


def clause_at(sentence: str, at: int) -> str:
    """The clause (between commas, semicolons, colons) around offset ``at``."""
    start = max((m.end() for m in re.finditer(r"[，,；;：:]", sentence[:at])), default=0)
    stop = re.search(r"[，,；;：:。]", sentence[at:])
    return sentence[start:at + stop.start() if stop else len(sentence)]


def topic_of(sentence: str, cue_at: int, blanks: list[tuple[int, int]],
             deadlines: list[tuple[int, int]]) -> str:
    """A short phrase for the task: the clause after the cue (a bracket ends a clause too),
    with unit names and deadlines (with a 在 before them) taken out, leading adverbs trimmed,
    at most 24 characters."""
    chars = list(sentence)
    for a, b in blanks:
        chars[a:b] = ["\0"] * (b - a)
    for a, b in deadlines:
        if a and sentence[a - 1] in "在于":
            a -= 1
        chars[a:b] = [""] * (b - a)
    rest = "".join(chars[cue_at:])
    for clause in re.split(r"[，,：:；;。！？、（）()\0]+", rest):
        clause = TOPIC_TRIM.sub("", clause.strip())
        if len(clause) >= 4 and not LEAD_AFTER.match(clause) and not CO_AFTER.match(clause):
            return clause[:24]
    return ""


MINUTE_CUE = re.compile(r"^会议")
# What a unit named inside is the object of: 关于调整…领导小组的意见, 《…》.
OBJECTS = re.compile(
    r"关于[^，,。；;]*?的(?:意见|请示|报告|方案|通知|建议|议案|办法|规定|函)|《[^》]*》|"
    r"(?:按照|根据|依据|对照)[^，,。；;]*?的?(?:部署|要求|安排|精神|规定|意见)")


def topic_start(sentence: str, cue: re.Match | None) -> int:
    """Where the topic is read from: the cue (加快…), after a minute's cue (会议同意…), or
    after the item marker when an item has no cue."""
    if cue is None:
        return marker_end(sentence)
    return cue.end() if MINUTE_CUE.match(cue.group()) else cue.start()


@dataclass(frozen=True)
class Due:
    """A deadline form :mod:`deadlines` does not read: a recurring day (每月25日前, its first
    occurrence) or a count of days (30天内, 奋战100天: the meeting plus that many days)."""

    start: int
    end: int
    text: str
    date: dt.date | None


NUMBER = r"\d{1,3}|[一二三四五六七八九十两百]{1,4}"
MONTHLY = re.compile(
    rf"(?:从(?:(?P<year>\d{{4}})年)?(?P<month>\d{{1,2}})月(?:份)?起[，,]?[^，,。；;]{{0,12}}?)?"
    rf"每月(?P<day>{NUMBER})[日号](?:前|之前)?")
DAYS = re.compile(rf"(?:(?P<n>{NUMBER})天(?:内|之内|时间内)|奋战(?P<m>{NUMBER})天)")


def other_deadlines(sentence: str, meeting: dt.date) -> list[Due]:
    """Recurring days and counts of days (see :class:`Due`), in text order."""
    found = []
    for m in MONTHLY.finditer(sentence):
        day = small_number(m["day"])
        begin = meeting
        if m["month"]:
            year = int(m["year"]) if m["year"] else meeting.year
            if 1 <= int(m["month"]) <= 12:
                begin = max(meeting, dt.date(year, int(m["month"]), 1))
        date = None
        if 1 <= day <= 28:
            date = begin.replace(day=day)
            if date < begin:
                year, month = divmod(begin.year * 12 + begin.month, 12)
                date = dt.date(year, month + 1, day)
        at = m.start("day") - 2
        found.append(Due(at, m.end(), sentence[at:m.end()], date))
    for m in DAYS.finditer(sentence):
        n = small_number(m["n"] or m["m"])
        found.append(Due(m.start(), m.end(), m.group(), meeting + dt.timedelta(days=n)))
    return found


def all_deadlines(sentence: str, meeting: dt.date, calendar=None) -> list:
    """The deadlines of :func:`deadlines.find_deadlines` and :func:`other_deadlines`, in text
    order, none overlapping (the former win)."""
    found = find_deadlines(sentence, meeting, calendar)
    for extra in other_deadlines(sentence, meeting):
        if not any(d.start < extra.end and extra.start < d.end for d in found):
            found.append(extra)
    return sorted(found, key=lambda d: d.start)


def milestone_text(sentence: str, deadlines: list[Deadline | Due], n: int) -> str:
    """What is due by deadline ``n``: from the deadline to the end of its clause (the next
    comma or sentence end) or to the next deadline."""
    d = deadlines[n]
    stop = re.search(r"[，,；;。！？!?]", sentence[d.end:])
    end = d.end + stop.start() if stop else len(sentence)
    if n + 1 < len(deadlines):
        end = min(end, deadlines[n + 1].start)
    return sentence[d.start:end].strip("、，,和及并 " + SENTENCE_END + CLOSERS)


def propose(text: str, meeting: dt.date, gazetteer: Gazetteer, home: str | None = None,
            calendar=None) -> tuple[str, list[Proposal]]:
    """The normalised text and the candidate tasks it contains, in text order. ``home`` is
    the full name of the unit whose text it is (inferred when None, see
    :func:`speechunits.infer_home`); ``calendar`` the working-day calendar for deadlines."""
    normal = clean(text).text
    where = infer_home(normal, gazetteer, home)
    path: dict[int, str] = {}
    decided = False
    proposals = []
    for start, end in split_sentences(normal):
        sentence = normal[start:end]
        line_start = starts_line(normal, start)
        whole_line = line_start and not normal[end:].split("\n", 1)[0].strip()
        if line_start and not normal[:start].rstrip().endswith(("：", ":")):
            path.pop(5, None)
        heading = heading_of(sentence, line_start)
        if line_start and decided and not heading and not DECISIONS.search(sentence):
            # The decision list ends: its items head nothing after it.
            decided = False
            path = {k: v for k, v in path.items() if k not in ITEM_LEVELS}
        enclosing = list(path.values())
        pure = False
        if heading:
            level, title = heading
            path = {k: v for k, v in path.items() if k < level}
            enclosing = list(path.values())
            path[level] = title
            pure = len(title) >= len(sentence.rstrip(SENTENCE_END + CLOSERS)) - 1
        if pure:
            item = decided and level in ITEM_LEVELS
            proposal = candidate(sentence, start, meeting, gazetteer, enclosing, where,
                                 calendar, item=item, whole_line=whole_line)
            if proposal and (proposal.lead_units or item):
                proposals.append(proposal)
            continue
        item = bool(heading) and (decided or heading[0] in ITEM_LEVELS)
        proposal = candidate(sentence, start, meeting, gazetteer, list(path.values()), where,
                             calendar, item=item, whole_line=whole_line)
        if proposal:
            proposals.append(proposal)
        if DECISIONS.search(sentence.rstrip()):
            decided = True
    return normal, proposals


def candidate(sentence: str, start: int, meeting: dt.date, gazetteer: Gazetteer,
              heading: list[str], home: Home | None = None, calendar=None, *,
              item: bool = False, whole_line: bool = False) -> Proposal | None:
    """The proposal of one sentence, or None when it assigns nothing (see
    :func:`directives.directive`; an exhortation naming no unit is none either). ``item``:
    an item stating work, which needs no cue; ``whole_line``: the sentence fills its line."""
    found = directive(sentence, item=item, whole_line=whole_line)
    if found is None:
        return None
    cue = found.cue
    objects = [m.span() for m in OBJECTS.finditer(sentence)]
    mentions = [m for m in find_units(sentence, gazetteer, home)
                if found.live(m.start) and not any(a <= m.start < b for a, b in objects)]
    if EXHORTATION.match(sentence) and not mentions:
        return None
    deadlines = [d for d in all_deadlines(sentence, meeting, calendar) if found.live(d.start)]
    spans = [(d.start, d.end) for d in deadlines]
    blanks = [(m.start, m.end) for m in mentions]
    targets = find_targets(sentence, blanks + spans)
    roles = assign_roles(sentence, mentions)
    lead = [m.name for m, role in roles if role == "lead"]
    co = [m.name for m, role in roles if role == "co"]
    first = deadlines[0] if deadlines else None
    estimated = any(getattr(d, "estimated", False) for d in deadlines)
    return Proposal(
        sentence=sentence,
        start=start,
        end=start + len(sentence),
        heading=heading,
        lead_units=lead,
        co_units=co,
        deadline=first.date.isoformat() if first and first.date else None,
        deadline_text=first.text if first else "",
        targets=targets,
        topic=topic_of(sentence, topic_start(sentence, cue), blanks, spans),
        units=[{
            "text": m.text, "start": m.start, "end": m.end, "role": role, "level": m.level,
            "unit": m.unit, "collective": m.collective,
            "candidates": [] if m.unit or m.collective else list(m.candidates),
        } for m, role in roles],
        needs_unit=not lead,
        milestones=[{
            "deadline": d.date.isoformat() if d.date else None,
            "deadline_text": d.text,
            "text": milestone_text(sentence, deadlines, n),
        } for n, d in enumerate(deadlines)],
        deadline_estimated=estimated,
        deadline_note=ESTIMATED_NOTE if estimated else "",
    )
