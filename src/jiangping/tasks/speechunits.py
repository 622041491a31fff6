"""Unit mentions in a speech, minute or bulletin (讲话中的单位): found by their form,
registered or not, and resolved to a registered unit only when name and level agree.

Pure Python, no Django: the registry is passed in as :class:`UnitEntry` rows. A mention is
written as a level prefix (市/县/区/镇/乡, or a place name such as 东山县) + an organ + a suffix
(局/委/办/中心/管委会/指挥部/公司/部门/站/所/队 …), as a bare organ with a known stem (住建局,
财政局), as a list sharing one suffix (国土、住建部门), or as a collective form (各镇, 各县(市、区),
县直各部门, 相关部门). A bare organ is the home unit's (the unit whose text it is: a county's
住建局 in a county's minute). The rules and their limits are described in docs/tasks.md.
"""

from __future__ import annotations

import re
from itertools import pairwise

from jiangping.tasks.unitresolve import (
    DEFAULT_SYNONYMS,
    LEVEL_OF_CHAR,
    LEVELS,
    Gazetteer,
    Home,
    Mention,
    UnitEntry,
    infer_home,
    level_of_name,
    resolve,
)

__all__ = ["DEFAULT_SYNONYMS", "Gazetteer", "Home", "Mention", "UnitEntry", "find_mentions",
           "infer_home"]

HAN = r"\u4e00-\u9fff"

# Organ stems a speech writes without prefix or before a shared suffix (住建局, 国土、住建部门).
STEMS = (
    "发改|发展改革|经发|经信|工信|教育|教体|科技|公安|民政|司法|财政|人社|人力资源和社会保障|"
    "自然资源和规划|自然资源|国土资源|国土|规划|生态环境|环保|住建|住房和城乡建设|城管|城市管理|"
    "综合执法|交通运输|交通|水利|水务|农业农村|农业|农经|林业|林草|畜牧|商务|文旅|文广旅|文化和旅游|"
    "卫健|卫生健康|退役军人事务|应急管理|应急|审计|国资|市场监管|广电|体育|统计|医保|医疗保障|信访|"
    "乡村振兴|扶贫|脱贫攻坚|行政审批|政务服务|数据|大数据|金融|税务|气象|供电|消防|粮食|能源|"
    "住房保障|招商|投促|机关事务|外事|民宗|档案|编办|督查|督办|公积金|融媒体|电力|烟草|邮政|"
    "征收|拆迁|房管|不动产|工商联|残联|妇联|总工会|团委|发展规划"
)
SUFFIXES = (
    "领导小组办公室|领导小组|管理委员会|委员会|管委会|指挥部|办公室|办事处|服务中心|中心|分局|局|委|"
    "办|公司|集团|部门|支队|大队|中队|站|所|队|院|厅|署|银行|供销社|处|室|"
    "(?:宣传|组织|统战|武装|人武|社会工作)部"
)
# Words a unit name never crosses (the run of a name stops before them).
STOP_WORDS = (
    "要|的|在|对|把|将|为|与|及|等|由|请|会同|配合|牵头|负责|协助|并|抓|向|和|以|于|已|从|给|是|了|"
    "就|按|经研究|经审议|督促|指导|做好|加快|推进|完成|确保|积极|主动|认真|切实|报|同意|提交|拟定|关于|组织|"
    "全力|尽快|抓紧|务必|必须|联合|协调|各|有关|相关|中|上|下|个|年|月|日|这|该|其|所有|责成|责令|"
    "副|常委|书记|主任|高度|共同|主要"
)
# 和 inside an organ name (自然资源和规划局), not joining two units.
NAME_AND_NEXT = "规划|城乡|社会|旅游|信息|改革|科技|技术|体育|广电|水利|林业"
NAME_AND = f"和(?={NAME_AND_NEXT})"
LIST_AND = f"[、及]|和(?!{NAME_AND_NEXT})"
NAME_CHAR = rf"(?:{NAME_AND}|(?!{STOP_WORDS})[{HAN}A-Za-z])"
ORGAN = rf"{NAME_CHAR}{{1,10}}?(?:{SUFFIXES})"
# A level prefix, not the end of a word (城市, 全县, 园区, 乡镇, 城乡 …).
PREFIX = {
    "市": "(?<![城都全本各该超门我])市(?!场)",
    "县": "(?<![全各本该郡我])县",
    "旗": "(?<![全各本该我红国党锦彩])旗",
    "区": r"(?<![全各本该园城社开发新景辖市小街老山矿林牧我片湾景库灾疫])区",
    "镇": "(?<![城乡全各本该小重集古名])镇",
    "乡": "(?<![城全各本该下农家故返老他异])乡",
}
PREFIXED = re.compile(
    "(?P<prefix>" + "|".join(PREFIX.values()) + ")"
    rf"(?P<organ>(?:委|政府|人民政府|人大|政协)(?:办公室|办)?(?!{NAME_CHAR}|常委|书记|副)"
    rf"|(?!市(?!场)|[县区旗镇乡]){ORGAN})"
)
BARE = re.compile(
    rf"(?P<organ>(?:{STEMS})(?:{SUFFIXES}))"
    rf"|(?P<zone>{NAME_CHAR}{{0,6}}?(?:工业园区|产业园区|开发区|经开区|高新区|园区|新区)"
    r"(?:管委会|管理委员会))"
    rf"|(?<![{HAN}A-Za-z0-9])(?P<named>{NAME_CHAR}{{2,12}}?(?:指挥部|公司|集团|管委会))"
)
# Several stems sharing one suffix: 国土、住建部门 · 发改、财政、住建等部门.
SHARED = re.compile(
    rf"(?P<prefix>{PREFIX['市']}|{PREFIX['县']}|{PREFIX['区']}|{PREFIX['旗']})?"
    rf"(?P<stems>(?:{STEMS})(?:(?:{LIST_AND})(?:{STEMS}))+)(?P<tail>等?)(?P<suffix>部门|单位|局)"
)
# A place written as the subject or in a list (东山县要…, 由西河区牵头, 城关镇、河口镇): a name
# of two to four characters ending in 县/区/市/旗/镇/乡/街道, not a common word.
PLACE = re.compile(
    rf"(?:(?<![{HAN}])|(?<=由)|(?<=请)|(?<=、)|(?<=和)|(?<=及)|(?<=会同)|(?<=配合)|(?<=督促)|"
    r"(?<=要求)|(?<=责成)|(?<=责令)|(?<=希望))"
    rf"(?P<place>(?:(?!{STOP_WORDS}|全|本|我|各|希望)[{HAN}]){{1,4}}?(?:县|区|市|旗|镇|乡|街道))"
    r"(?=要|牵头|负责|务必|必须|须|需|在|于|、|和|及|等|配合|会同|，|,|切实|全力|抓紧|尽快|积极|"
    r"主动|加快|做好|共同|分别|作为|对照|力争|确保)"
)
PLACE_WORDS = re.compile(
    r"^(?:城区|市区|县区|园区|景区|社区|片区|辖区|小区|库区|灾区|城市|城镇|乡镇|城乡|地区|山区|矿区|"
    r"牧区|林区|新区|老区|郊区|街区|校区|厂区|工业区|开发区|示范区|功能区|保护区|试验区|自贸区|"
    r"县市|市县|县市区|区县|省市|市区县|农村|城关|都市|超市|股市|城区街道)$"
)


# The name of an unregistered place right before 县住建局/镇人民政府 (平罗县住建局): two to four
# name characters after a boundary.
PLACE_BEFORE = re.compile(
    rf"(?:(?<![{HAN}])|(?<=由)|(?<=请)|(?<=、)|(?<=和)|(?<=及)|(?<=会同)|(?<=配合)|(?<=督促)|"
    rf"(?<=要求)|(?<=责成)|(?<=责令)|(?<=同意)|(?<=希望))"
    rf"(?:(?!{STOP_WORDS}|全|本|我|各|希望)[{HAN}]){{2,4}}$"
)


# What makes a unit one above the city (省自然资源厅, 国家发改委, 中央…).
UPPER = re.compile(r"(?<![节反全本该外各我])(?:省|国家|中央|自治区)$")


# A unit listed after another or after 牵头单位：, written without a known stem (国土房管局,
# 黄埔区政府): any name ending in an organ suffix, up to the next list separator or the cue
# after the list (要, 负责, 牵头 …); a unit above the city (省…, 国家…) is read apart.
LISTED = re.compile(
    rf"(?!省|国家|中央|自治区)(?:{NAME_CHAR}){{1,10}}?(?:{SUFFIXES}|政府|人民政府)"
    r"(?=[、，,；;。)）和及等]|要|负责|牵头|配合|会同|协助|共同|分别|$)")
LIST_OPENERS = re.compile(r"(?:[、和及]|(?:单位|部门)[：:])$")
COLLECTIVE = re.compile(
    r"各县[(（]市[)）]、?区|各县[(（]市、区[)）]|各县[(（]区[)）]|各县市区|各县区|各区县"
    r"|各县[(（]市[)）]|各乡镇[(（]街道[)）]|各乡[(（]镇[)）]|各乡镇|各镇[(（]街道[)）]|各镇|各乡|各街道"
    r"|各开发区|各园区|各功能区|各村[(（]社区[)）]|各村"
    r"|[市县区旗]直各部门|[市县区旗]直各单位|[市县区旗]直有关单位|[市县区旗]直有关部门"
    r"|[市县区旗]直相关部门|[市县区旗]级各部门|[市县区旗]级有关部门|[市县区旗]级相关部门"
    r"|各级各有关部门|各地区|各地|各区县[(（]市[)）]|各区[(（]市[)）]县(?:政府)?"
    r"|(?:各|有关|相关)(?:投资开发)?企业|相关责任单位"
    r"|各有关单位|各有关部门|各相关单位|各相关部门|各级各部门|各部门|各单位|各成员单位"
    r"|各责任单位|各牵头单位|各项目单位|各职能部门"
    r"|(?<!上级)(?<!省)(?:有关部门|相关部门|有关单位|相关单位)|(?<!以上)(?<!各)责任单位"
)
COLLECTIVE_LEVEL = [
    (re.compile(r"^各(?:县|区县)"), "county"), (re.compile(r"^各(?:乡|镇|街道|村)"), "township"),
    (re.compile(r"^市"), "city"), (re.compile(r"^[县区旗]"), "county"),
]
TRIM_TAIL = re.compile(r"等$")


def _registry_mentions(sentence: str, gazetteer: Gazetteer) -> list[tuple[int, int, str]]:
    registry = gazetteer.pattern()
    if not registry:
        return []
    return [(m.start(), m.end(), m.group()) for m in registry.finditer(sentence)]


def find_mentions(sentence: str, gazetteer: Gazetteer, home: Home | None = None
                  ) -> list[Mention]:
    """Every unit mention of ``sentence``, leftmost-longest, in text order: registered
    forms, collective forms, prefixed and bare organs, shared suffixes. A bare organ
    right after a prefixed one in a list (县住建局、财政局) takes its level."""
    home = home or infer_home("", gazetteer)
    found: list[tuple[int, int, int, Mention]] = []
    for start, end, text in _registry_mentions(sentence, gazetteer):
        found.append((start, -(end - start), 0, Mention(start, end, text)))
    for m in COLLECTIVE.finditer(sentence):
        found.append((m.start(), -len(m.group()), 1,
                      Mention(m.start(), m.end(), m.group(), collective=True)))
    for m in SHARED.finditer(sentence):
        prefix = m["prefix"] or ""
        pos = m.start("stems")
        for stem in re.split(LIST_AND, m["stems"]):
            at = sentence.index(stem, pos)
            begin = m.start() if at == m.start("stems") else at
            stop = m.end() if at + len(stem) == m.end("stems") else at + len(stem)
            found.append((begin, -(stop - begin) - 100, 1,
                          Mention(begin, stop, f"{prefix}{stem}{m['suffix']}")))
            pos = at + len(stem)
    for m in PLACE.finditer(sentence):
        place = m["place"]
        if not PLACE_WORDS.match(place):
            level = "township" if place[-1] in "镇乡" or place.endswith("街道") else "county"
            found.append((m.start("place"), -len(place), 2,
                          Mention(m.start("place"), m.end("place"), place, level=level)))
    for m in PREFIXED.finditer(sentence):
        found.append((m.start(), -len(m.group()), 2, Mention(m.start(), m.end(), m.group())))
    for m in BARE.finditer(sentence):
        found.append((m.start(), -len(m.group()), 3, Mention(m.start(), m.end(), m.group())))
    mentions: list[Mention] = []
    taken = -1
    for start, _length, _priority, mention in sorted(found, key=lambda f: f[:3]):
        if start >= taken:
            mentions.append(mention)
            taken = mention.end
    mentions = _listed(sentence, mentions)
    mentions = _extend_places(sentence, mentions, gazetteer)
    _lists(sentence, mentions, gazetteer)
    for mention in mentions:
        if UPPER.search(sentence, 0, mention.start) and not mention.collective:
            # 省自然资源厅, 国家发改委: a unit above the city, never resolved to ours.
            mention.start -= len(UPPER.search(sentence, 0, mention.start).group())
            mention.text = sentence[mention.start:mention.end]
            mention.candidates = []
            continue
        mention.level = _level_of(mention, home)
        resolve(mention, gazetteer, home)
    return mentions


def _listed(sentence: str, mentions: list[Mention]) -> list[Mention]:
    """Add the units of a list that no other form recognises: after a mention and 、/和/及,
    or after 牵头单位：/配合单位：, a name ending in an organ suffix (国土房管局, 黄埔区政府)."""
    changed = True
    while changed:
        changed = False
        starts = [m.end for m in mentions]
        starts += [m.end() for m in re.finditer(r"(?:单位|部门)[：:]", sentence)]
        for at in sorted(set(starts)):
            if at < len(sentence) and sentence[at] in "、和及" and at in [m.end for m in mentions]:
                at += 1
            elif not LIST_OPENERS.search(sentence[:at]):
                continue
            m = LISTED.match(sentence, at)
            if not m or any(x.start <= at < x.end for x in mentions):
                continue
            inside = [x for x in mentions if at <= x.start < m.end()]
            if any(x.end > m.end() for x in inside):
                continue
            mentions = sorted([x for x in mentions if x not in inside]
                              + [Mention(at, m.end(), m.group())], key=lambda x: x.start)
            changed = True
            break
    return mentions


def _extend_places(sentence: str, mentions: list[Mention], gazetteer: Gazetteer
                   ) -> list[Mention]:
    """A registered place right before a 县…/区… organ names its owner: 东山县 + 住建局."""
    out: list[Mention] = []
    for mention in mentions:
        prev = out[-1] if out else None
        if (prev and prev.end == mention.start and not mention.collective
                and (entry := gazetteer.entry(gazetteer.canonical(prev.text)))
                and entry.level in LEVELS and not gazetteer.entry(
                    gazetteer.canonical(mention.text))):
            organ = mention.text
            if organ[:1] in LEVEL_OF_CHAR and LEVEL_OF_CHAR[organ[:1]] == entry.level \
                    and prev.text.endswith(organ[:1]):
                organ = organ[1:]
            out[-1] = Mention(prev.start, mention.end, prev.text + organ,
                              level=entry.level, owner=entry.name)
            continue
        place = PLACE_BEFORE.search(sentence, 0, mention.start)
        if (place and mention.text[:1] in LEVEL_OF_CHAR and PREFIXED.match(mention.text)
                and (not prev or prev.end <= place.start())
                and place.group()[-1] not in LEVEL_OF_CHAR):
            name = place.group() + mention.text[0]
            mention = Mention(place.start(), mention.end, place.group() + mention.text,
                              level=LEVEL_OF_CHAR[mention.text[0]], owner=name)
        out.append(mention)
    return out


def _lists(sentence: str, mentions: list[Mention], gazetteer: Gazetteer) -> None:
    """Give bare organs listed after a prefixed one (县住建局、财政局、统计局) its level."""
    level, owner = "", ""
    for prev, mention in pairwise(mentions):
        if prev.text[:1] in LEVEL_OF_CHAR and PREFIXED.match(prev.text):
            level, owner = LEVEL_OF_CHAR[prev.text[0]], prev.owner
        elif prev.owner:
            level, owner = prev.level, prev.owner
        elif not prev.level:
            level = ""
        joined = sentence[prev.end:mention.start] in ("、", "和", "及", "与")
        if (joined and level and not mention.collective and not mention.level
                and mention.text[:1] not in LEVEL_OF_CHAR and not mention.text.endswith("政府")):
            mention.level, mention.owner = level, owner
        elif not joined:
            level = ""


def _level_of(mention: Mention, home: Home) -> str:
    if mention.level:
        return mention.level
    text = mention.text
    if mention.collective:
        for pattern, level in COLLECTIVE_LEVEL:
            if pattern.match(text):
                return level
        return home.level
    if text[:1] in LEVEL_OF_CHAR and PREFIXED.match(text):
        return LEVEL_OF_CHAR[text[0]]
    if text.endswith("政府"):
        return level_of_name(text) or home.level
    return home.level


