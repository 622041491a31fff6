"""The registry as the speech extractor reads it (单位名录), and how a unit mention resolves
to a registered unit: only when name and level agree.

Pure Python, no Django: units come as :class:`UnitEntry` rows. A registered form (full name,
short name, synonym) resolves when its level agrees with the mention's (:func:`_agrees`); any
other organ when its short form (住房和城乡建设局 → 住建局), its level and its county agree with
exactly one registered unit. An unresolved mention gets likely matches (rapidfuzz). The text's
home unit decides the level of a bare organ (住建局 in a county's minute is the county's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

LEVELS = ("city", "county", "township")
HAN = r"\u4e00-\u9fff"

# Configurable synonyms: a name as spoken → the name used in the registry.
DEFAULT_SYNONYMS = {
    "市发展改革委": "市发改委",
    "市发展和改革委": "市发改委",
    "市住房城乡建设局": "市住建局",
    "市住房和城乡建设局": "市住建局",
}
# Long organ names → the short form the registry and speeches mostly use, so that
# 县住房和城乡建设局 and 县住建局 are one organ (applied to the organ part of a name).
ORGAN_SHORT = [
    ("发展和改革委员会", "发改委"), ("发展改革委员会", "发改委"), ("发展和改革委", "发改委"),
    ("发展改革委", "发改委"), ("发展和改革局", "发改局"), ("发展改革局", "发改局"),
    ("住房和城乡建设局", "住建局"), ("住房城乡建设局", "住建局"),
    ("人力资源和社会保障局", "人社局"), ("人力资源社会保障局", "人社局"),
    ("卫生健康委员会", "卫健委"), ("卫生健康委", "卫健委"), ("卫生健康局", "卫健局"),
    ("工业和信息化局", "工信局"), ("市场监督管理局", "市场监管局"),
    ("文化和旅游局", "文旅局"), ("文化广电和旅游局", "文广旅局"),
    ("医疗保障局", "医保局"),
    ("退役军人事务局", "退役军人局"), ("应急管理局", "应急局"), ("交通运输局", "交通局"),
    ("生态环境局", "环境局"), ("国有资产监督管理委员会", "国资委"),
    ("管理委员会", "管委会"), ("委员会", "委"), ("办公室", "办"),
]
LEVEL_OF_CHAR = {"市": "city", "县": "county", "区": "county", "旗": "county", "镇": "township",
                 "乡": "township"}
# A county's own text (县委/县政府/全县 …) and a city's.
COUNTY_TEXT = re.compile(
    r"[县区旗]委|[县区旗](?:人民)?政府|全[县区旗]|我[县区旗]|[县区旗]长|[县区旗]直")
CITY_TEXT = re.compile(r"市委|市(?:人民)?政府|全市|我市|市直")


@dataclass(frozen=True)
class UnitEntry:
    """A registered unit as the extractor reads it: ``level`` is a ``Level`` value ("city",
    "county", "department", "township", or "" when unknown); ``county`` the full name of the
    county-level unit a department or township belongs to ("" for the city's)."""

    name: str
    short_name: str = ""
    synonyms: str = ""
    level: str = ""
    county: str = ""

    @property
    def rank(self) -> str:
        """The level a speech would write it at: "city", "county" or "township" ("" unknown)."""
        if self.level == "department":
            return "county" if self.county else "city"
        if self.level in LEVELS:
            return self.level
        return level_of_name(self.name)

    def forms(self) -> list[str]:
        """Name, short name and synonyms (comma-separated in the registry), 2+ characters."""
        forms = [self.name, self.short_name, *re.split(r"[,，、]", self.synonyms or "")]
        return [f for f in dict.fromkeys(f.strip() for f in forms) if len(f) >= 2]


def level_of_name(name: str) -> str:
    """The level written in a name: 青川市统计局 → "city"; 东山县 → "county"; "" unknown."""
    m = re.match(rf"[{HAN}]{{0,4}}?([市县区镇乡])", name)
    if m:
        return LEVEL_OF_CHAR[m.group(1)]
    return ""


def short_organ(organ: str) -> str:
    """The organ in its short form (住房和城乡建设局 → 住建局), the key names are compared on."""
    for long, short in ORGAN_SHORT:
        if organ.endswith(long):
            return organ[: -len(long)] + short
    return organ


@dataclass(frozen=True)
class Gazetteer:
    """The registry as the extractor reads it (单位名录): every written form of a unit →
    its full name (``names``), spoken synonyms (``synonyms``), and the entries with their
    levels (``entries``) for level-aware resolution and candidates."""

    names: Mapping[str, str]
    synonyms: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_SYNONYMS))
    entries: tuple[UnitEntry, ...] = ()

    @classmethod
    def build(cls, units: Iterable[UnitEntry | tuple[str, str, str]],
              synonyms: Mapping[str, str] | None = None) -> Gazetteer:
        """From :class:`UnitEntry` rows or plain ``(name, short_name, synonyms)`` triples
        (level then read from the name). Forms shorter than two characters are left out."""
        entries = tuple(u if isinstance(u, UnitEntry) else UnitEntry(*u) for u in units)
        names: dict[str, str] = {}
        for entry in entries:
            for form in entry.forms():
                names.setdefault(form, entry.name)
        merged = dict(DEFAULT_SYNONYMS)
        merged.update(synonyms or {})
        return cls(names, merged, entries)

    def canonical(self, surface: str) -> str:
        """The registry's full name of a written form, else the form itself."""
        if surface in self.names:
            return self.names[surface]
        surface = self.synonyms.get(surface, surface)
        return self.names.get(surface, surface)

    def pattern(self) -> re.Pattern | None:
        """Every written form and synonym, longest first."""
        forms = sorted({*self.names, *self.synonyms}, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, forms))) if forms else None

    def entry(self, name: str) -> UnitEntry | None:
        return next((e for e in self.entries if e.name == name), None)

    def places(self) -> list[UnitEntry]:
        """The registered county-level units, townships and cities (place names)."""
        return [e for e in self.entries if e.level in LEVELS]


@dataclass(frozen=True)
class Home:
    """The unit whose text it is: its full name ("" when unknown) and level."""

    name: str
    level: str

    @property
    def county(self) -> str:
        return self.name if self.level == "county" else ""


@dataclass
class Mention:
    """A unit as written in one sentence: ``text`` (a shared suffix written out: 国土部门),
    its span, its level, the registered ``unit`` it resolves to (or None), whether it is a
    collective form, the likely registered units when unresolved, and ``name``: the unit's
    full name when resolved, else ``text``."""

    start: int
    end: int
    text: str
    level: str = ""
    unit: str | None = None
    collective: bool = False
    candidates: list[str] = field(default_factory=list)
    owner: str = ""  # the county a county-level department is written under (东山县住建局)
    spoken: str = ""  # the name a configured synonym gives an unregistered mention

    @property
    def name(self) -> str:
        return self.unit or self.spoken or self.text


def infer_home(text: str, gazetteer: Gazetteer, home: str | None = None) -> Home:
    """The home unit: ``home`` when given (its level from the registry or its name); else a
    county's text (县委/县政府/全县 …) is the county named most often in it, else the city."""
    if home:
        entry = gazetteer.entry(home)
        level = entry.rank if entry else level_of_name(home[-1:]) or level_of_name(home)
        return Home(home, level or "city")
    city = next((e.name for e in gazetteer.entries if e.level == "city"), "")
    if COUNTY_TEXT.search(text) and not CITY_TEXT.search(text):
        counts = {}
        for entry in gazetteer.entries:
            if entry.level == "county":
                counts[entry.name] = sum(text.count(f) for f in entry.forms())
        best = max(counts, key=counts.get, default="")
        return Home(best if counts.get(best) else "", "county")
    return Home(city, "city")


def organ_of(name: str, entry: UnitEntry | None = None, city: str = "") -> str:
    """A name without its place or level prefix, in short form: 青川市统计局 → 统计局,
    东山县住房和城乡建设局 → 住建局, 县财政局 → 财政局."""
    for place in filter(None, [entry.county if entry else "", city]):
        if name.startswith(place) and len(name) > len(place) + 1:
            return short_organ(name[len(place):])
    m = re.match(rf"[{HAN}]{{2,4}}?[市县区](?=[{HAN}]{{2}})", name)
    if m and entry is not None and entry.level == "department":
        return short_organ(name[m.end():])
    if name[:1] in "市县区镇乡" and len(name) > 2:
        return short_organ(name[1:])
    return short_organ(name)


def _agrees(text: str, entry: UnitEntry, mention: Mention, home: Home) -> bool:
    """Whether a registered form names ``entry`` at the mention's level: a place, a full
    name and a form written with its level or place (县国土资源局 stored as a synonym) always;
    a bare form (统计局) only when the unit is at the home's level (and in the home county)."""
    if entry.level in LEVELS or text == entry.name or not entry.rank:
        return True
    if entry.rank == "county" and home.county and entry.county != home.county \
            and not mention.owner:
        return False
    written = LEVEL_OF_CHAR.get(text[:1], "") or level_of_name(text)
    if written:
        return written == entry.rank or text in entry.synonyms
    level = mention.level or home.level
    return entry.rank == level and (level != "county" or entry.county == (mention.owner
                                                                          or home.county))


def _unplaced(mention: Mention, gazetteer: Gazetteer) -> str:
    """The mention without the registered place it is written under (东山县住建局 → 住建局)."""
    entry = gazetteer.entry(mention.owner) if mention.owner else None
    for form in sorted(entry.forms() if entry else [], key=len, reverse=True):
        if mention.text.startswith(form) and len(mention.text) > len(form) + 1:
            return mention.text[len(form):]
    return mention.text


def resolve(mention: Mention, gazetteer: Gazetteer, home: Home) -> None:
    """Set the mention's level, its registered unit when name and level agree, and its
    candidates when it has none. A registered form resolves when :func:`_agrees`; any other
    organ when its short form, its level and its county (written, or the home county for a
    county-level mention) agree with exactly one registered unit."""
    if mention.collective:
        return
    city = next((e.name for e in gazetteer.entries if e.level == "city"), "")
    text = gazetteer.synonyms.get(mention.text, mention.text)
    if text != mention.text:
        mention.spoken = text
    named = gazetteer.names.get(text)
    if named:
        entry = gazetteer.entry(named)
        if entry is None or _agrees(text, entry, mention, home):
            mention.unit = named
            if entry is not None and entry.rank:
                mention.level = entry.rank
            return
    organ = organ_of(_unplaced(mention, gazetteer))
    owner = mention.owner or (home.county if mention.level == "county" else "")
    matches = []
    for entry in gazetteer.entries:
        if entry.level in LEVELS or entry.rank != mention.level:
            continue
        if mention.level == "county" and entry.county != owner:
            continue
        if any(organ_of(form, entry, city) == organ for form in entry.forms()):
            matches.append(entry.name)
    if len(matches) == 1 and (mention.level != "county" or owner):
        mention.unit = matches[0]
        return
    mention.candidates = candidates(mention, gazetteer, owner)


def candidates(mention: Mention, gazetteer: Gazetteer, owner: str = "", limit: int = 5
               ) -> list[str]:
    """Likely registered units for an unresolved mention, best first: organs compared in
    short form (rapidfuzz ratio ≥ 60), units of the mention's level and county first."""
    city = next((e.name for e in gazetteer.entries if e.level == "city"), "")
    organ = organ_of(mention.text)
    choices: dict[str, str] = {}
    for entry in gazetteer.entries:
        if entry.level in LEVELS:
            choices[entry.name] = entry.name
        else:
            choices[entry.name] = organ_of(entry.name, entry, city)
    scored = process.extract(organ, choices, scorer=fuzz.ratio, score_cutoff=60, limit=None)

    def key(item):
        _choice, score, name = item
        entry = gazetteer.entry(name)
        same_level = entry is not None and entry.rank == mention.level
        same_owner = entry is not None and (not owner or entry.county == owner)
        return (-(same_level and same_owner), -same_level, -score, name)

    return [name for _c, _s, name in sorted(scored, key=key)][:limit]
