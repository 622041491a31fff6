"""Speech → proposed tasks (讲话分解), offline and by rules.

Pure Python, no Django: the gazetteer of unit names is passed in as data. The text is
normalised with :func:`jiangping.textkit.clean.clean` (Simplified), split into sentences,
and every sentence with a directive cue becomes a candidate with its heading path, lead
and co-units, deadline, targets and topic. Offsets refer to the normalised text. The rules
and their limits are described in docs/tasks.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from jiangping.tasks.deadlines import find_deadline
from jiangping.textkit.clean import clean

SENTENCE_END = "。；;！!？?"
CUES = re.compile(
    r"要(?!求)|要求|必须|确保|力争|加快|抓好|抓紧|负责|牵头|务必|切实|督促|尽快|狠抓|着力"
)
# Words that contain a cue but direct nobody, and exhortations about attitude.
NOT_CUES = re.compile(
    r"主要|重要|需要|要素|要点|纪要|摘要|首要|只要|要看到|要清醒|要认识到|要深刻认识|不要"
)
EXHORTATION = re.compile(r"^(?:同志们|我们|大家|全市上下)")

CN_NUM = "一二三四五六七八九十"
HEADINGS = [
    (1, re.compile(rf"^[{CN_NUM}]+、")),
    (2, re.compile(rf"^[（(][{CN_NUM}]+[）)]")),
    (3, re.compile(r"^\d{1,2}[.．、](?!\d)")),
    (4, re.compile(rf"^[{CN_NUM}]+[是要]")),
]

# Generic unit forms (通用单位名称). The Han run of a 市X局 is kept short and may not
# cross words that end a name.
NAME_CHAR = r"[\u4e00-\u9fff]"
STOP = "要的和在对把将为与及等由请会同配合牵头负责协助并抓"
GENERIC_UNITS = [
    re.compile(r"各县[(（]市、区[)）]|各县市区|各县区|各县\(市\)|各乡镇[(（]街道[)）]|各乡镇"),
    re.compile(r"市直各部门|市直各单位|市直有关单位|市直有关部门|市直相关部门|各有关单位"
               r"|各有关部门|各相关单位|各级各部门"),
    re.compile(rf"(?<![全城本各该都])市[^\W\d_{STOP}]{{1,7}}?(?:委员会|办公室|委|局|办|室|中心|支队)"),
    re.compile(rf"(?<![^{STOP}、，,：:；\s])[^\W\d_{STOP}]{{2,12}}?(?:指挥部|公司)"),
]
# Configurable synonyms: a name as spoken → the name used in the registry.
DEFAULT_SYNONYMS = {
    "市发展改革委": "市发改委",
    "市发展和改革委": "市发改委",
    "市住房城乡建设局": "市住建局",
    "市住房和城乡建设局": "市住建局",
}
LEAD_AFTER = re.compile(r"^(?:等)?(?:单位|部门)?(?:要)?(?:牵头|负责|主抓|为牵头单位)")
CO_AFTER = re.compile(r"^(?:等)?(?:单位|部门)?(?:要)?(?:积极)?(?:配合|协助|协同|参与)")
# "A会同B负责…": A leads, B co-operates, whatever cue follows B.
CO_BEFORE = re.compile(r"(?:会同|协同|联合|协调|督促|指导)$")
# "A配合B…": B leads, A co-operates.
LEAD_BEFORE = re.compile(r"(?:由|配合|协助)$")
SKIP_BEFORE = re.compile(r"(?:报|报送|上报|向|送|报告)$")
LIST_JOIN = re.compile(r"^(?:、|和|及|与|以及|，)$")

TARGET = re.compile(
    r"(?P<verb>下降|降低|减少|压减|提高|提升|增长|增加|达到|控制在|不低于|不少于|不超过|"
    r"完成|突破|新增|实现|稳定在|保持在)"
    r"(?P<gap>[^，。；,;、\d]{0,12}?)"
    r"(?P<value>\d+(?:\.\d+)?|[XxＸ×]+|[零一二三四五六七八九十百千两]+)"
    r"(?P<unit>个百分点|%|万亩|亩|个|亿元|万元|元|万户|户|万人|人|公里|千米|万吨|吨|家|项|"
    r"平方米|套|所|座|辆|件|条|处|名|场|次|批)"
)
TOPIC_TRIM = re.compile(
    r"^(?:[要在于并且同时还也都和]|进一步|全力|认真|扎实|持续|切实|务必|必须|确保|力争|"
    r"要求|坚决|抓紧|尽快|负责|牵头|督促|全面)+"
)


@dataclass(frozen=True)
class Gazetteer:
    """Unit names as they may appear in a speech (单位名录), each with its canonical
    name: the registry's full name for registry units."""

    names: Mapping[str, str]
    synonyms: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_SYNONYMS))

    @classmethod
    def build(cls, units: Iterable[tuple[str, str, str]],
              synonyms: Mapping[str, str] | None = None) -> Gazetteer:
        """From ``(name, short_name, synonyms)`` triples, synonyms comma-separated as in
        the org registry. Names shorter than two characters are left out."""
        names: dict[str, str] = {}
        for name, short, others in units:
            forms = [name, short, *re.split(r"[,，、]", others or "")]
            for form in (f.strip() for f in forms):
                if len(form) >= 2:
                    names.setdefault(form, name)
        merged = dict(DEFAULT_SYNONYMS)
        merged.update(synonyms or {})
        return cls(names, merged)

    def canonical(self, surface: str) -> str:
        if surface in self.names:
            return self.names[surface]
        surface = self.synonyms.get(surface, surface)
        return self.names.get(surface, surface)

    def pattern(self) -> re.Pattern | None:
        forms = sorted({*self.names, *self.synonyms}, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, forms))) if forms else None


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str


@dataclass
class Proposal:
    """A candidate task (拟立督办事项); keys as in DESIGN §13 ``tasks propose``."""

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

    def as_dict(self) -> dict:
        return asdict(self)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text``: ended by 。；！？ (kept) or a line break,
    surrounding whitespace left out."""
    spans, start = [], 0
    for i, ch in enumerate(text):
        if ch in SENTENCE_END or ch == "\n":
            spans.append((start, i + (ch != "\n")))
            start = i + 1
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        piece = text[a:b]
        stripped = piece.strip()
        if stripped and stripped.strip(SENTENCE_END):
            lead = len(piece) - len(piece.lstrip())
            out.append((a + lead, a + lead + len(stripped)))
    return out


def heading_of(sentence: str, line_start: bool) -> tuple[int, str] | None:
    """(level, heading text) when the sentence opens with a heading marker: 一、 （一）
    1. at the start of a line, 一是/二要 anywhere; the text runs to the first comma."""
    for level, marker in HEADINGS:
        if (line_start or level == 4) and marker.match(sentence):
            return level, re.split(r"[，,：:]", sentence)[0].rstrip(SENTENCE_END)
    return None


def directs_after_marker(sentence: str) -> bool:
    """Whether a 一是/二要 clause has a directive cue after its marker, followed by what
    is to be done: 一是要加快项目建设, 二要抓好安全生产, not 一要压实责任."""
    marker = HEADINGS[-1][1].match(sentence)
    masked = NOT_CUES.sub(lambda m: "\0" * len(m.group()), sentence)
    cue = CUES.search(masked, marker.end() if marker else 0)
    return bool(cue) and len(sentence[cue.end():].strip(SENTENCE_END + "，,")) >= 2


def find_units(sentence: str, gazetteer: Gazetteer) -> list[Mention]:
    """Unit mentions, leftmost-longest, registry names before generic forms of the same span."""
    found = []
    registry = gazetteer.pattern()
    if registry:
        found += [(m.start(), -len(m.group()), 0, m) for m in registry.finditer(sentence)]
    for pattern in GENERIC_UNITS:
        found += [(m.start(), -len(m.group()), 1, m) for m in pattern.finditer(sentence)]
    mentions, taken = [], -1
    for start, _length, _priority, m in sorted(found, key=lambda f: f[:3]):
        if start >= taken and not SKIP_BEFORE.search(sentence[:start]):
            mentions.append(Mention(start, m.end(), gazetteer.canonical(m.group())))
            taken = m.end()
    return mentions


def assign_roles(sentence: str, mentions: list[Mention]) -> tuple[list[str], list[str]]:
    """Lead and co-units (牵头/配合). Mentions joined by 、/和/及 form a list sharing one
    cue: ``X牵头``, ``由X`` and ``配合X`` lead; ``Y配合``/``协助`` and ``会同Y`` are
    co-units, and a cue before a list wins over one after it (``A会同B负责``: B co-operates).
    Without a lead cue the first unmarked list leads; every other unit is a co-unit."""
    groups: list[list[Mention]] = []
    for m in mentions:
        if groups and LIST_JOIN.match(sentence[groups[-1][-1].end:m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    roles = []
    for group in groups:
        before, after = sentence[:group[0].start], sentence[group[-1].end:]
        if LEAD_BEFORE.search(before):
            roles.append("lead")
        elif CO_BEFORE.search(before):
            roles.append("co")
        elif LEAD_AFTER.match(after):
            roles.append("lead")
        elif CO_AFTER.match(after):
            roles.append("co")
        else:
            roles.append(None)
    if "lead" not in roles:
        first = roles.index(None) if None in roles else 0
        roles[first] = "lead"
    lead, co = [], []
    for role, group in zip(roles, groups, strict=True):
        for m in group:
            target = lead if role == "lead" else co
            if m.name not in lead and m.name not in co:
                target.append(m.name)
    return lead, co


def find_targets(sentence: str) -> list[dict]:
    """Quantitative targets (量化目标): a verb, then a number or placeholder with its unit."""
    out = []
    for m in TARGET.finditer(sentence):
        placeholder = bool(re.fullmatch(r"[XxＸ×]+", m["value"]))
        out.append({
            "text": m.group(),
            "verb": m["verb"],
            "value": None if placeholder else m["value"],
            "unit": m["unit"],
            "placeholder": placeholder,
        })
    return out


def topic_of(sentence: str, cue_at: int, blanks: list[tuple[int, int]],
             deadline: tuple[int, int] | None) -> str:
    """A short phrase for the task: the clause after the cue, with unit names and the
    deadline (with a 在 before it) taken out, leading adverbs trimmed, at most 24 characters."""
    chars = list(sentence)
    for a, b in blanks:
        chars[a:b] = ["\0"] * (b - a)
    if deadline:
        a, b = deadline
        if a and sentence[a - 1] in "在于":
            a -= 1
        chars[a:b] = [""] * (b - a)
    rest = "".join(chars)[cue_at:]
    for clause in re.split(r"[，,：:；;。！？\0]+", rest):
        clause = TOPIC_TRIM.sub("", clause.strip())
        if len(clause) >= 4 and not LEAD_AFTER.match(clause) and not CO_AFTER.match(clause):
            return clause[:24]
    return ""


def propose(text: str, meeting: dt.date, gazetteer: Gazetteer) -> tuple[str, list[Proposal]]:
    """The normalised text and the candidate tasks it contains, in text order."""
    normal = clean(text).text
    path: dict[int, str] = {}
    proposals = []
    for start, end in split_sentences(normal):
        sentence = normal[start:end]
        line_start = start == 0 or normal[:start].rstrip(" \t\u3000").endswith("\n")
        heading = heading_of(sentence, line_start)
        pure_heading = False
        enclosing = list(path.values())
        if line_start:
            # 一是/二要 clauses head their paragraph only.
            path.pop(4, None)
        if heading:
            level, title = heading
            path = {k: v for k, v in path.items() if k < level}
            enclosing = list(path.values())
            path[level] = title
            pure_heading = len(title) >= len(sentence.rstrip(SENTENCE_END)) - 1
        if pure_heading and heading[0] == 4:
            # 一是要加快项目建设。 is a task of its own, under the headings above it;
            # 一要压实责任。 only heads the sentences that follow.
            proposal = candidate(sentence, start, meeting, gazetteer, enclosing)
            if proposal and (proposal.lead_units or directs_after_marker(sentence)):
                proposals.append(proposal)
            continue
        proposal = candidate(sentence, start, meeting, gazetteer, list(path.values()))
        if proposal and (not pure_heading or proposal.lead_units):
            proposals.append(proposal)
    return normal, proposals


def candidate(sentence: str, start: int, meeting: dt.date, gazetteer: Gazetteer,
              heading: list[str]) -> Proposal | None:
    """The proposal of one sentence, or None when it directs nobody."""
    masked = NOT_CUES.sub(lambda m: "\0" * len(m.group()), sentence)
    cue = CUES.search(masked)
    if not cue:
        return None
    mentions = find_units(sentence, gazetteer)
    deadline = find_deadline(sentence, meeting)
    targets = find_targets(sentence)
    if EXHORTATION.match(sentence) and not (mentions or deadline or targets):
        return None
    lead, co = assign_roles(sentence, mentions) if mentions else ([], [])
    blanks = [(m.start, m.end) for m in mentions]
    span = (deadline.start, deadline.end) if deadline else None
    return Proposal(
        sentence=sentence,
        start=start,
        end=start + len(sentence),
        heading=heading,
        lead_units=lead,
        co_units=co,
        deadline=deadline.date.isoformat() if deadline and deadline.date else None,
        deadline_text=deadline.text if deadline else "",
        targets=targets,
        topic=topic_of(sentence, cue.start(), blanks, span),
    )
