"""What the office types into a bulletin (通报的输入): the paragraphs of the problems and
next steps, the 文号, the 成文日期 and the issuer (落款). :mod:`~jiangping.bulletins.services`
checks every input here, so the page, the API and the CLI accept and refuse the same text.

Typed text is normalised to NFC. Invisible format characters (zero-width spaces and
joiners, bidi overrides and isolates, the byte-order mark, soft hyphens: Unicode category
Cf) are removed, since a document never shows them. Control characters (C0 but tab and line
breaks, DEL, C1), lone surrogates and noncharacters cannot be written to a DOCX, encoded as
UTF-8 or stored by PostgreSQL: they are refused, naming the field, the paragraph and the
code point. A line break splits paragraphs, whether typed in the page's text box or inside
an item of the API's list; in a one-line field it is a space.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jiangping.intake.normalize import quote

EDITABLE = ("problems", "actions")  # the closing sections' keys: 存在问题, 下步工作
MAX_PARAGRAPHS = 20
MAX_PARAGRAPH_CHARS = 500
MAX_NUMBER_CHARS = 100
MAX_ISSUER_CHARS = 200
MIN_YEAR, MAX_YEAR = 2000, 2099  # a 成文日期 outside these years is a typing error

_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")
_SPACE_CONTROLS = frozenset("\t\r\n")
# An ordinal the office may have typed before a paragraph: the document adds its own.
# 一、 and 1、 only when no other numeral follows (一、二季度 and 1、2月 are text), 1. only
# when no digit follows (1.5亿元 is a figure).
_NUMERALS = "一二三四五六七八九十"
_ORDINAL = re.compile(
    rf"^\s*(?:[{_NUMERALS}]+是要?|[（(](?:[{_NUMERALS}]+|\d+)[)）]|[{_NUMERALS}]+、(?![{_NUMERALS}])"
    r"|\d+(?:[.．](?!\d)|、(?!\d)|[)）])|[\u2460-\u2473\u2474-\u2487\u2488-\u249b\u3251-\u325f])"
    r"\s*[，,、：:]?\s*")
# A Chinese sentence ends with full-width ！ and ？ (the composer ends a paragraph with 。
# unless it ends with one of 。；！？).
_HALF_WIDTH_END = re.compile(r"([!?])$")
_HAN = re.compile("[\u3400-\u9fff]")
_FULL_WIDTH = {"!": "！", "?": "？"}
_DATE = re.compile(r"^([0-9]{4})(?:年([0-9]{1,2})月([0-9]{1,2})日"
                   r"|([-/.])([0-9]{1,2})\4([0-9]{1,2}))$")


def _labels() -> dict[str, str]:
    return {"problems": _("存在问题"), "actions": _("下步工作")}


def _code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def _refusal(char: str) -> str | None:
    """Why ``char`` cannot be kept, or ``None``."""
    point = ord(char)
    if 0xD800 <= point <= 0xDFFF or 0xFDD0 <= point <= 0xFDEF or (point & 0xFFFE) == 0xFFFE:
        return _("无效的字符")
    if char not in _SPACE_CONTROLS and unicodedata.category(char) == "Cc":
        return _("不可见的控制字符")
    return None


def typed_text(text: str, where: str) -> str:
    """``text`` as stored: format characters (Cf) removed, then NFC. ``where`` names the
    place in a refusal (``文号``, ``存在问题第2段``). Raises :class:`ValidationError` for a
    control character (but tab, CR, LF), a lone surrogate or a noncharacter, naming its
    code point: ``文号含有不可见的控制字符（U+0000），请删除后重新输入。``"""
    kept = []
    for char in text:
        reason = _refusal(char)
        if reason is not None:
            raise ValidationError(_("%(where)s含有%(reason)s（%(point)s），请删除后重新输入。")
                                  % {"where": where, "reason": reason,
                                     "point": _code_point(char)})
        if unicodedata.category(char) != "Cf":
            kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _lines(given: list[str] | str) -> list[str]:
    items = [given] if isinstance(given, str) else list(given)
    return [line for item in items for line in _LINE_BREAK.split(str(item))]


def clean_paragraphs(given: list[str] | str, label: str) -> list[str]:
    """The office's paragraphs of a closing section (``label``: 存在问题 or 下步工作), from
    a list of items or a text; every line break (in a text or inside an item) starts a new
    paragraph. Each is checked and normalised (:func:`typed_text`), trimmed, its typed
    ordinal (一是、一是要、一、（一）、1.、1）、①) removed, a half-width ! or ? ending a
    Chinese sentence made full-width (！？); blank ones are dropped. Raises
    :class:`ValidationError` naming the paragraph (第N段, counted among those kept) with a
    refused character or too long, or the section with too many."""
    out: list[str] = []
    for line in _lines(given):
        where = _("%(label)s第%(n)d段") % {"label": label, "n": len(out) + 1}
        text = typed_text(line, where).replace("\t", " ").strip()
        text = _ORDINAL.sub("", text, count=1).strip()
        if _HAN.search(text):
            text = _HALF_WIDTH_END.sub(lambda m: _FULL_WIDTH[m[1]], text)
        if not text:
            continue
        if len(text) > MAX_PARAGRAPH_CHARS:
            raise ValidationError(_("%(where)s超过%(max)d字：%(value)s")
                                  % {"where": where, "max": MAX_PARAGRAPH_CHARS,
                                     "value": quote(text)})
        out.append(text)
    if len(out) > MAX_PARAGRAPHS:
        raise ValidationError(_("%(label)s最多%(max)d段，现有%(n)d段。")
                              % {"label": label, "max": MAX_PARAGRAPHS, "n": len(out)})
    return out


def clean_edits(edits: dict | None) -> dict:
    """``{"problems": [...], "actions": [...]}`` with each list cleaned
    (:func:`clean_paragraphs`); a key without paragraphs is left out (the section is then
    drafted from the data). Raises :class:`ValidationError` for another key."""
    labels = _labels()
    unknown = sorted(set(edits or {}) - set(EDITABLE))
    if unknown:
        raise ValidationError(_("只能修改存在问题（problems）和下步工作（actions）的段落，"
                                "不能修改“%(keys)s”。") % {"keys": quote("、".join(unknown))})
    out = {}
    for key in EDITABLE:
        cleaned = clean_paragraphs((edits or {}).get(key) or [], labels[key])
        if cleaned:
            out[key] = cleaned
    return out


def clean_line(value: str | None, label: str, limit: int) -> str | None:
    """A one-line field (文号, 发文机关): checked (:func:`typed_text`), runs of white space
    (line breaks included) as one space, trimmed; ``None`` for ``None`` or nothing typed.
    Raises :class:`ValidationError` naming ``label`` when longer than ``limit``."""
    if value is None:
        return None
    text = " ".join(typed_text(str(value), label).split())
    if len(text) > limit:
        raise ValidationError(_("%(label)s超过%(max)d字：%(value)s")
                              % {"label": label, "max": limit, "value": quote(text)})
    return text or None


def date_text(day: dt.date) -> str:
    """A date as a bulletin prints it: ``2026-12-05`` → ``2026年12月5日``."""
    return f"{day.year}年{day.month}月{day.day}日"  # document text: never translated


def parse_date(value: str) -> dt.date:
    """A 成文日期 as typed: ``2026年12月5日``, ``2026-12-05``, ``2026/12/5`` or
    ``2026.12.5`` (full-width digits and white space allowed). Raises
    :class:`ValidationError` naming the value for another shape, a day that does not
    exist (2026-02-30) or a year outside 2000–2099."""
    label = _("成文日期")
    shown = typed_text(str(value), label).strip()
    text = "".join(unicodedata.normalize("NFKC", shown).split())
    match = _DATE.match(text)
    if match is None:
        raise ValidationError(_("%(label)s“%(value)s”无法识别，应写作2026年12月5日、"
                                "2026-12-05或2026/12/5。")
                              % {"label": label, "value": quote(shown)})
    year, month, day = (int(g) for g in (match[1], match[2] or match[5], match[3] or match[6]))
    named = {"label": label, "value": quote(shown), "y": year, "m": month, "d": day}
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(_("%(label)s“%(value)s”的年份应在%(low)d年至%(high)d年之间。")
                              % {**named, "low": MIN_YEAR, "high": MAX_YEAR})
    if not 1 <= month <= 12:
        raise ValidationError(_("%(label)s“%(value)s”不是存在的日期：没有%(m)d月。") % named)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(_("%(label)s“%(value)s”不是存在的日期：%(y)d年%(m)d月没有%(d)d日。")
                              % named) from None


def clean_date(value: str | None) -> str | None:
    """A 成文日期 as printed (``2026年12月5日``, :func:`parse_date`); ``None`` for ``None``
    or nothing typed."""
    if value is None or not str(value).strip():
        return None
    return date_text(parse_date(value))
