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

from jiangping.tasks.deadlines import Deadline, find_deadlines
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
CUES = re.compile(
    r"要(?!求)|要求|必须|确保|力争|加快|抓好|抓紧|负责(?!的|同志|人)|牵头(?!的)|务必|切实|督促|"
    r"尽快|狠抓|着力|"
    r"做好|落实|限期|按时|及时|抓实|应当|须|需|"
    r"会议(?:原则)?(?:同意|议定|决定|确定|明确|审议通过|通过)"
)
# Words that contain a cue but direct nobody, and exhortations about attitude.
NOT_CUES = re.compile(
    r"主要|重要|需要|要素|要点|纪要|摘要|首要|只要|要看到|要清醒|要认识到|要深刻认识|不要|"
    r"必需|必须看到|无须|无需|急需|"
    r"(?:的|相关|有关|工作|提出|目标|上级|省市|基本|具体|总体|明确|各项)要求"
)
EXHORTATION = re.compile(
    r"^(?:同志们|我们|大家|希望|让我们|请大家|各位|全市上下|全县上下|全区上下)"
)
# Facts, not assignments: reporting verbs, past tense, 截至目前, 今年以来, 针对…形势.
NARRATIVE = re.compile(
    r"截[至止](?:目前|今年|\d{1,2}月|[一二三四五六七八九十]+月|本月|上月|年底|当前)|今年以来|"
    r"年初以来|去年以来|近年来|入[春夏秋冬]以来|自.{1,12}以来|"
    r"针对.{0,40}?(?:形势|问题|情况|现象|短板)|"
    r"(?:参加|出席|列席|签订|签署|通报|汇报|听取|召开|作|做|审议|讨论|传达|学习|介绍|表态|开展|"
    r"举行|印发|出台|取得|建成|下发|实现|主持|提出|发表|进行|作出|安排|部署|完成|开工)了|"
    r"(?:出席|列席|参加)(?:会议|本次会议|了)|主持(?:召开)?(?:会议|本次会议)|"
    r"会议(?:听取|审议|讨论|学习|传达)(?!通过)|"
    r"\d{1,2}[-—至~]\d{1,2}月(?:份)?(?:，|,)?[^，。；]*?(?:增长|下降|完成|实现)"
)
# A sentence opening on a fact (截至目前, 今年以来) assigns work only with a strong cue.
FACT_OPENING = re.compile(
    r"^(?:截[至止]|今年以来|年初以来|去年以来|近年来|入[春夏秋冬]以来|自.{1,12}以来|"
    r"\d{1,2}[-—至~]\d{1,2}月|前\d{1,2}个月)")
STRONG_CUES = re.compile(r"要(?!求)|必须|务必|须|需|确保|力争|请|限期|责成|会议(?:要求|议定|决定)")
CLAUSE = re.compile(r"[^，,；;：:]+")
# A decision list opens: 会议议定： · 现将会议确定事项纪要如下：
DECISIONS = re.compile(
    r"(?:议定|决定|确定|明确|同意|研究|要求)(?:事项|如下|以下事项|了以下事项)?[：:]$|纪要如下[：:]?$"
)
SHORT_HEADING = 16

LEAD_AFTER = re.compile(r"^(?:等)?(?:单位|部门)?(?:要|负责|为)?(?:牵头|负责|主抓|为牵头单位)")
CO_AFTER = re.compile(r"^(?:等)?(?:单位|部门)?(?:要)?(?:积极)?(?:配合|协助|协同|参与)")
SUBJECT_AFTER = re.compile(
    r"^(?:等)?(?:单位|部门|有关单位|相关单位)?(?:要|务必|必须|须|需|应当|在|于|抓紧|加快|尽快|"
    r"切实|全力|负责|牵头|拟定|提交|提出|报送|分工|对照|会同|督促|做好|落实)"
)
# "A会同B负责…": A leads, B co-operates, whatever cue follows B.
CO_BEFORE = re.compile(r"(?:会同|协同|联合|协调|督促|指导|组织|配合下)$")
# "由A牵头", "A配合B…": B leads.
LEAD_BEFORE = re.compile(r"(?:由|配合|协助|同意|原则同意|会议确定|会议明确|明确|责成)$")
# "报县委审定", "向市政府报告", "与县自然资源局对接": the unit is an addressee, no party.
SKIP_BEFORE = re.compile(r"(?:报|报送|上报|报请|提交|提请|向|送|报告|与|(?<![会协共])同|经|对|给)$")
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
    if kept and "lead" not in roles:
        roles[roles.index(None) if None in roles else 0] = "lead"
    out, seen = [], set()
    for role, group in zip(roles, kept, strict=True):
        for m in group:
            if m.name not in seen:
                seen.add(m.name)
                out.append((m, role or "co"))
    return out


def topic_of(sentence: str, cue_at: int, blanks: list[tuple[int, int]],
             deadlines: list[tuple[int, int]]) -> str:
    """A short phrase for the task: the clause after the cue, with unit names and deadlines
    (with a 在 before them) taken out, leading adverbs trimmed, at most 24 characters."""
    chars = list(sentence)
    for a, b in blanks:
        chars[a:b] = ["\0"] * (b - a)
    for a, b in deadlines:
        if a and sentence[a - 1] in "在于":
            a -= 1
        chars[a:b] = [""] * (b - a)
    rest = "".join(chars)[cue_at:]
    for clause in re.split(r"[，,：:；;。！？、\0]+", rest):
        clause = TOPIC_TRIM.sub("", clause.strip())
        if len(clause) >= 4 and not LEAD_AFTER.match(clause) and not CO_AFTER.match(clause):
            return clause[:24]
    return ""


MINUTE_CUE = re.compile(r"^会议")
# What a unit named inside is the object of: 关于调整…领导小组的意见, 《…》.
OBJECTS = re.compile(
    r"关于[^，,。；;]*?的(?:意见|请示|报告|方案|通知|建议|议案|办法|规定|函)|《[^》]*》")


def topic_start(sentence: str, cue: re.Match | None) -> int:
    """Where the topic is read from: the cue (加快…), after a minute's cue (会议同意…), or
    after the item marker when an item has no cue."""
    if cue is None:
        return marker_end(sentence)
    return cue.end() if MINUTE_CUE.match(cue.group()) else cue.start()


def narrative_spans(sentence: str) -> list[tuple[int, int]]:
    """The clauses of ``sentence`` that report facts (see ``NARRATIVE``)."""
    return [m.span() for m in CLAUSE.finditer(sentence) if NARRATIVE.search(m.group())]


def milestone_text(sentence: str, deadlines: list[Deadline], n: int) -> str:
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
        if line_start and not normal[:start].rstrip().endswith(("：", ":")):
            path.pop(5, None)
        heading = heading_of(sentence, line_start)
        if line_start and decided and not heading and not DECISIONS.search(sentence):
            decided = False
        if heading:
            level, title = heading
            path = {k: v for k, v in path.items() if k < level}
            enclosing = list(path.values())
            path[level] = title
            pure = len(title) >= len(sentence.rstrip(SENTENCE_END + CLOSERS)) - 1
            if pure:
                proposal = candidate(sentence, start, meeting, gazetteer, enclosing, where,
                                     calendar, decided=decided)
                short = len(title) - marker_end(sentence) <= SHORT_HEADING
                item = decided and level in ITEM_LEVELS and not short
                if proposal and (proposal.lead_units or item):
                    proposals.append(proposal)
                continue
        proposal = candidate(sentence, start, meeting, gazetteer, list(path.values()), where,
                             calendar, decided=decided)
        if proposal:
            proposals.append(proposal)
        if DECISIONS.search(sentence.rstrip()):
            decided = True
    return normal, proposals


def candidate(sentence: str, start: int, meeting: dt.date, gazetteer: Gazetteer,
              heading: list[str], home: Home | None = None, calendar=None, *,
              decided: bool = False) -> Proposal | None:
    """The proposal of one sentence, or None when it assigns nothing: no directive cue
    outside its narrative clauses (an item of a decision list needs none), or an
    exhortation naming no unit."""
    if DECISIONS.search(sentence.rstrip()):
        return None
    facts = narrative_spans(sentence)
    masked = NOT_CUES.sub(lambda m: "\0" * len(m.group()), sentence)
    for a, b in facts:
        masked = masked[:a] + "\0" * (b - a) + masked[b:]
    cue = (STRONG_CUES if FACT_OPENING.match(sentence) else CUES).search(masked)
    if not cue and not (decided and len(facts) < len(CLAUSE.findall(sentence))):
        return None

    def live(a: int) -> bool:
        return not any(x <= a < y for x, y in facts)

    objects = [m.span() for m in OBJECTS.finditer(sentence)]
    mentions = [m for m in find_units(sentence, gazetteer, home)
                if live(m.start) and not any(a <= m.start < b for a, b in objects)]
    if EXHORTATION.match(sentence) and not mentions:
        return None
    deadlines = [d for d in find_deadlines(sentence, meeting, calendar) if live(d.start)]
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
