"""Normalising a speech or document before rules read it (文本清洗).

Pure text rules, no Django: Unicode NFC, half-width digits where a number is
meant, removal of the pinyin that web converters put after Han characters
(``建設(shè)`` → ``建設``), and Traditional → Simplified with OpenCC.

An annotation is removed only when it is a real Mandarin syllable, lowercase,
written with tone marks, a tone digit or no tone, *and* a reading of the Han
character right before it according to pypinyin. Everything else in
parentheses is text: ``各縣(市、區)``, ``X省(X)``, ``(GDP)``, ``咖啡(café)``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

# Combining marks of the four tones, and the diaeresis of ü.
TONE_MARKS = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}
DIAERESIS = "\u0308"

HAN = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\U00030000-\U0003134f]"
)
# Something in ASCII or full-width parentheses that may be a syllable; whether it is
# one, and a reading of the character before it, is decided in Python.
ANNOTATION = re.compile(
    r"[(（] ?([a-z:\u00e0-\u00fc\u0100-\u01ff\u1e3f\u0300-\u036f]{1,8}[0-5]?) ?[)）]"
)

FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# Full-width decimal point between digits, per cent / per mille sign after a digit.
NUMBER_POINT = re.compile(r"(?<=\d)[．。](?=\d)")
NUMBER_PERCENT = re.compile(r"(?<=\d)％")


@dataclass(frozen=True)
class Removal:
    """A pinyin annotation taken out of the text (删除的注音).

    ``position`` is the offset of the annotated character, ``start``/``end`` the span of
    the removed ``(…)`` — both in the NFC form of the input."""

    position: int
    char: str
    annotation: str
    start: int
    end: int


@dataclass(frozen=True)
class CleanResult:
    text: str
    removals: list[Removal] = field(default_factory=list)


@lru_cache(maxsize=8192)
def syllable_key(written: str) -> tuple[str, int | None] | None:
    """``shè``/``she4``/``she`` → ``("she", 4)``/``("she", 4)``/``("she", None)``;
    ``lǜ``/``lv4``/``lu:4`` → ``("lv", 4)``. Neutral tone (digit 5 or 0) is 5.
    None when the spelling cannot be a syllable (uppercase, two tones, stray marks)."""
    tone = None
    letters: list[str] = []
    if written[-1:] in ("0", "1", "2", "3", "4", "5"):
        tone = 5 if written[-1] in "05" else int(written[-1])
        written = written[:-1]
    for ch in unicodedata.normalize("NFD", written):
        if ch in TONE_MARKS:
            if tone is not None or not letters:
                return None
            tone = TONE_MARKS[ch]
        elif ch == DIAERESIS:
            if not letters or letters[-1] != "u":
                return None
            letters[-1] = "v"
        elif "a" <= ch <= "z":
            letters.append(ch)
        elif ch == ":" and letters and letters[-1] == "u":
            letters[-1] = "v"
        else:
            return None
    if not letters:
        return None
    return "".join(letters), tone


@cache
def syllables() -> frozenset[str]:
    """Every toneless syllable pypinyin knows (``zhong``, ``lv``, ``hng`` …), built once."""
    from pypinyin.pinyin_dict import pinyin_dict

    found = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            key = syllable_key(reading)
            if key:
                found.add(key[0])
    return frozenset(found)


@lru_cache(maxsize=4096)
def readings(char: str) -> frozenset[tuple[str, int]]:
    """The readings of one character as (toneless, tone), every heteronym included:
    行 → {("xing", 2), ("hang", 2), …}. A toneless reading counts as neutral (5)."""
    from pypinyin import Style, pinyin

    found = set()
    for style in (Style.TONE, Style.TONE3):
        for reading in pinyin(char, style=style, heteronym=True, errors="ignore")[0:1]:
            for written in reading:
                key = syllable_key(written)
                if key:
                    found.add((key[0], key[1] or 5))
    return frozenset(found)


def is_reading(annotation: str, char: str) -> bool:
    """Whether ``annotation`` is a Mandarin syllable and a reading of ``char``; an
    annotation without tone matches a reading of any tone."""
    key = syllable_key(annotation)
    if key is None or key[0] not in syllables():
        return False
    body, tone = key
    return any(body == b and (tone is None or tone == t) for b, t in readings(char))


def normalize_width(text: str) -> str:
    """Full-width digits to ASCII, and the full-width point and per cent sign that
    belong to a number (``１２．５％`` → ``12.5%``). Length is kept, character for
    character; Chinese numerals are left alone (一是、十二五 are words)."""
    text = text.translate(FULL_WIDTH_DIGITS)
    text = NUMBER_POINT.sub(lambda m: "." if m.group() == "．" else m.group(), text)
    return NUMBER_PERCENT.sub("%", text)


def strip_annotations(text: str) -> CleanResult:
    """Remove the pinyin annotations of ``text`` (already NFC). An annotation counts
    after the character it follows *in the cleaned text*, so ``設(shè)(shè)`` loses both."""
    out: list[str] = []
    removals: list[Removal] = []
    # The input offset of each character kept so far, parallel to ``out``.
    origin: list[int] = []
    pos = 0
    for match in ANNOTATION.finditer(text):
        start, end = match.span()
        out.extend(text[pos:start])
        origin.extend(range(pos, start))
        pos = start
        before = out[-1] if out else ""
        if before and HAN.fullmatch(before) and is_reading(match.group(1), before):
            removals.append(Removal(origin[-1], before, match.group(1), start, end))
            pos = end
    out.extend(text[pos:])
    return CleanResult("".join(out), removals)


# OpenCC's t2s keeps 著 where Simplified writes the particle or verb 着 (著力, 围绕著,
# 紧盯著). After conversion every 著 becomes 着 except in the words where Simplified keeps
# 著 (著作, 显著, 著名 …): the table below, as whole words around the character.
KEEP_ZHU = (
    "著作|著名|著称|著述|著录|著者|著书|著文|著有|著说|著译|显著|卓著|昭著|名著|原著|论著|专著|"
    "编著|巨著|遗著|译著|合著|拙著|新著|大著|土著|撰著|所著|鸿著|宏著|杰著|佳著"
)
ZHU = re.compile(rf"(?P<keep>{KEEP_ZHU})|著")


def fix_zhu(text: str) -> str:
    """著 → 着 outside the words in which Simplified writes 著 (``KEEP_ZHU``):
    著力 → 着力, 围绕著 → 围绕着; 著作权, 成效显著, 著名 stay."""
    return ZHU.sub(lambda m: m.group() if m["keep"] else "着", text)


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified (繁转简) with OpenCC's phrase-aware ``t2s``, then 著 → 着
    where Simplified writes 着 (:func:`fix_zhu`). Length is kept."""
    return fix_zhu(_t2s().convert(text)) if text else text


def clean(text: str, *, simplified: bool = True) -> CleanResult:
    """NFC, number widths, pinyin annotations out, then Simplified unless told not to.
    Removal offsets refer to the NFC input."""
    text = normalize_width(unicodedata.normalize("NFC", text))
    result = strip_annotations(text)
    if simplified:
        return CleanResult(to_simplified(result.text), result.removals)
    return result


def chinese_number(text: str) -> Decimal | None:
    """A quantity written in Chinese numerals or mixed (数字转换): ``一百二十`` → 120,
    ``1.5万`` → 15000, ``两千`` → 2000, ``一点五`` → 1.5. None when it is not a number.
    For quantities already extracted from a sentence, never for whole text."""
    import cn2an

    text = normalize_width(unicodedata.normalize("NFC", text.strip()))
    if not text:
        return None
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
