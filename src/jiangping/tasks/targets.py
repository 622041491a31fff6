"""Quantitative targets of a sentence (量化目标), each with the indicator it is about.

Pure Python, no Django. A target is a quantity — a number or a placeholder (X) with its
measure word or unit (%, 个百分点, 亩, 个, 户, 人, 公里, 亿元 …) — read back to the start of
its clause: the verb run right before the quantity (增长, 下降, 不低于, 签约 …) and the subject
before it (一般公共预算收入增长6%, PM10环比下降X%: subject "PM10"). Without a subject before
the verb, the words between verb and quantity are the subject (签约亿元以上项目3个: "亿元以上
项目"); without a verb, a subject is required and the quantity must be written in digits or X
(报征土地1135亩, 储备项目X个). Chinese numerals count only right after a verb (下降两个百分点).
"""

from __future__ import annotations

import re

MEASURES = (
    "个百分点|%|‰|万亩|亩|平方公里|万平方米|平方米|立方米|万千瓦|千瓦|万个|个|亿元|万元|元|"
    "万户|户|万人次|人次|万人|人|公里|千米|万吨|吨|家|项|套|所|座|辆|件|条|处|名|场|批|台|"
    "栋|间|张|头|只|倍|宗|篇|种|株|棵|万|亿"
)
QUANTITY = re.compile(
    r"(?<![\d.\-—~第])(?<!\d至)"
    r"(?P<value>\d+(?:\.\d+)?|[XxＸ×]+|[零一二三四五六七八九十百千两]+)"
    rf"(?P<unit>{MEASURES})"
    r"(?!工作日|月|日|号|年|季度|小时|天|周|时|分|[\d])"
)
# Verbs of change and comparison, written right before the quantity (增长6%, 不低于95%).
VERBS = (
    "下降|降低|减少|压减|压降|提高|提升|增长|增加|达到|控制在|不低于|不少于|不超过|不高于|"
    "低于|高于|超过|完成|突破|新增|净增|实现|稳定在|保持在|至少|降至|减至|增至"
)
# 提高到45%, 下降至3%: the verb with its 到/至.
VERB_RUN = re.compile(rf"(?:{VERBS})+(?:到|至)?$")
# Actions opening what is counted (完成支出, 新建村卫生室, 签约亿元以上项目): the verb, not
# the subject. 报征土地 and 签约项目 are things counted and keep their verb.
ACTIONS = re.compile(
    r"^(?:至少|完成|新建|改建|扩建|新开工|开工|谋划|改造|建成|竣工|实施|推进|引进|招引|新增|净增|培育|"
    r"打造|创建|落地|发放|安置|累计|力争|争取|签约(?!项目))+(?![率量额数值])"
)
# Where the reading back stops: punctuation and the words that open a directive.
CLAUSE_STOP = re.compile(
    r"[，。；：,;:、！？!?（）()《》“”]|要求|要|确保|力争|务必|必须|推动|促进|使|让|并|其中|"
    r"全年|年内|当月|当年"
)
# A modal between the subject and its verb (森林覆盖率要提高到45%).
MODAL = re.compile(r"(?:要|必须|务必|确保|力争)$")
# A quantity not to be reached is no target (年底前无法完成…的8项工作).
NEGATION = re.compile(r"无法|未能|没有|不能|尚未|未")
# A physical measure right before a noun is a size, not a target (80万吨乙烯项目).
CAPACITY = re.compile(
    r"^(?:万吨|吨|万千瓦|千瓦|万平方米|平方米|立方米|平方公里|公里|千米|万亩|亩)$")
ABOUT = re.compile(r"以上|以下|以内|左右|上下|多|余")
# A time phrase is no subject (秋季开学前完成12所: the subject is read after the quantity).
WHEN = re.compile(r"(?:前|之前|以前|之后|期间)$")
# The thing counted, written after the quantity (建成12所学校).
NOUN_AFTER = re.compile(
    rf"[\u4e00-\u9fff]{{1,8}}?(?=[，。；、,;！？]|$|{CLAUSE_STOP.pattern})")
SUBJECT_TRIM_HEAD = re.compile(
    r"^(?:\d+[-—~至]\d+月份?|(?:\d{1,2}|[一二三四五六七八九十]{1,2})月份?|全[市县区旗]|的|将|把|对|在|和|及|与|且|同时|分别|至少|累计|共计|共|总计)+")
SUBJECT_TRIM_TAIL = re.compile(
    r"(?:环比|同比|较上年同期|较去年同期|比上年同期|较上年|较去年|比上年|比去年|分别|累计|"
    r"至少|总量|均|要|的)+$"
)


def _clause_start(sentence: str, end: int, blanks: list[tuple[int, int]]) -> int:
    start = 0
    for m in CLAUSE_STOP.finditer(sentence, 0, end):
        start = max(start, m.end())
    for _a, b in blanks:
        if b <= end:
            start = max(start, b)
    return start


def _subject(text: str) -> str:
    text = SUBJECT_TRIM_TAIL.sub("", SUBJECT_TRIM_HEAD.sub("", text.strip()))
    return "" if WHEN.search(text) else text[-16:]


def find_targets(sentence: str, blanks: list[tuple[int, int]] = ()) -> list[dict]:
    """The targets of ``sentence``, in order: ``{"text", "subject", "verb", "value" (str,
    None for a placeholder), "unit", "placeholder"}``. ``blanks`` are spans (units,
    deadlines) the subject may not reach back across."""
    out = []
    for m in QUANTITY.finditer(sentence):
        if any(a <= m.start() < b for a, b in blanks):
            continue
        value = m["value"]
        placeholder = bool(re.fullmatch(r"[XxＸ×]+", value))
        begin = _clause_start(sentence, m.start(), list(blanks))
        head = sentence[begin:m.start()]
        if NEGATION.search(head) or (CAPACITY.match(m["unit"]) and \
                re.match(r"[\u4e00-\u9fff]", sentence[m.end():m.end() + 1]) and \
                not CLAUSE_STOP.match(sentence, m.end()) and not ABOUT.match(sentence, m.end())):
            continue
        run = VERB_RUN.search(head)
        if run:
            verb, verb_at = run.group(), begin + run.start()
            phrase = _subject(head[:run.start()])
            if phrase:
                verb_at = begin + head.rfind(phrase, 0, run.start())
            elif run.start() == 0 and (modal := MODAL.search(sentence, 0, begin)):
                # 森林覆盖率要提高到45%: the subject is read before the 要.
                before = _clause_start(sentence, modal.start(), list(blanks))
                phrase = _subject(sentence[before:modal.start()])
                if phrase:
                    verb_at = sentence.rfind(phrase, before, modal.start())
            action = ACTIONS.match(phrase)
            subject = phrase[action.end():] if action else phrase
        else:
            if not placeholder and not value[0].isdigit():
                continue  # Chinese numerals only right after a verb (下降两个百分点)
            phrase = _subject(head)
            action = ACTIONS.match(phrase)
            verb = action.group() if action else ""
            subject = phrase[action.end():] if action else phrase
            verb_at = begin + head.rfind(phrase) if phrase else m.start()
        if not subject and verb:
            after = NOUN_AFTER.match(sentence[m.end():])
            subject = after.group() if after else ""
        if not verb and (not subject or m["unit"] in ("万", "亿")):
            continue
        out.append({
            "text": sentence[verb_at:m.end()],
            "subject": subject,
            "verb": verb,
            "value": None if placeholder else value,
            "unit": m["unit"],
            "placeholder": placeholder,
        })
    return out
