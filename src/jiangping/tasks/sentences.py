"""Sentences of a speech and the headings above them (分句与标题层级).

Pure Python, no Django. A sentence ends at 。；！？ (a closing quote or bracket right after
belongs to it) or a line break; a list of items opened by a colon (会议议定：1.… 2.…) or
written inline (…，二是…) is cut before each item, so each numbered item (1. / （1） / ① /
一是) starts a sentence of its own and restarts the heading context.
"""

from __future__ import annotations

import re
from itertools import pairwise

SENTENCE_END = "。；;！!？?"
CLOSERS = "”’」』）)》〕】\""
CN_NUM = "一二三四五六七八九十"
# Heading markers by level: 一、 （一） 1. （1）/① and 一是/一要.
HEADINGS = [
    (1, re.compile(rf"^[{CN_NUM}]+、")),
    (2, re.compile(rf"^[（(][{CN_NUM}]+[）)]")),
    (3, re.compile(r"^\d{1,2}[.．、](?!\d)")),
    (4, re.compile(r"^(?:[（(]\d{1,2}[）)]|[①-⑳])")),
    (5, re.compile(rf"^[{CN_NUM}]+(?:是|要)(?!否|不是|指|因为)")),
]
ITEM_LEVELS = (3, 4, 5)
# Where a run is cut before an item: after a colon any item, after a comma 二是…十是, and
# 1./（1）/① right after a sentence end on the same line.
ITEM_START = re.compile(
    rf"(?<=[：:])\s*(?=\d{{1,2}}[.．、](?!\d)|[（(]\d{{1,2}}[）)]|[①-⑳]|[{CN_NUM}]是|"
    rf"[（(][{CN_NUM}]+[）)])"
    rf"|(?<=[，,])(?=[二三四五六七八九十]是(?!否|不是|指))"
    r"|(?<=[。；;])\s*(?=\d{1,2}[.．](?!\d)|[（(]\d{1,2}[）)]|[①-⑳])"
)


# A parenthesis naming the units of the item before it: (牵头单位：…；配合单位：…).
UNIT_NOTE = re.compile(r"^[（(](?:牵头|责任|主责|配合|协办|参与)(?:单位|部门)[：:]")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text``: ended by 。；！？ (kept, with a closing quote or
    bracket right after it) or a line break, cut before inline items (see the module),
    surrounding whitespace left out. A ； inside brackets does not end a sentence, and a
    unit note in brackets right after a sentence (（牵头单位：…）) belongs to it."""
    cuts = {0, len(text)}
    depth = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        if ch == "\n":
            depth = 0
            cuts.add(i)
            cuts.add(i + 1)
        elif ch in SENTENCE_END and not (depth and ch in "；;"):
            j = i + 1
            while j < len(text) and text[j] in CLOSERS:
                j += 1
            cuts.add(j)
            i = j - 1
        i += 1
    cuts.update(m.end() for m in ITEM_START.finditer(text))
    out: list[tuple[int, int]] = []
    bounds = sorted(cuts)
    for a, b in pairwise(bounds):
        piece = text[a:b]
        stripped = piece.strip()
        if stripped and stripped.strip(SENTENCE_END + CLOSERS):
            lead = len(piece) - len(piece.lstrip())
            span = (a + lead, a + lead + len(stripped))
            if out and UNIT_NOTE.match(stripped) and "\n" not in text[out[-1][1]:span[0]]:
                out[-1] = (out[-1][0], span[1])
            else:
                out.append(span)
    return out


def starts_line(text: str, start: int) -> bool:
    """Whether the sentence at ``start`` opens a line or an item list (after a colon)."""
    before = text[:start].rstrip(" \t\u3000")
    return not before or before.endswith(("\n", "：", ":"))


def heading_of(sentence: str, line_start: bool) -> tuple[int, str] | None:
    """(level, heading text) when the sentence opens with a heading marker: 一、 （一） at the
    start of a line, 1. （1） ① 一是/二要 anywhere (they start a sentence only where an
    item starts); the text runs to the first comma or colon."""
    for level, marker in HEADINGS:
        if (line_start or level in ITEM_LEVELS) and marker.match(sentence):
            return level, re.split(r"[，,：:]", sentence)[0].rstrip(SENTENCE_END + CLOSERS)
    return None


def marker_end(sentence: str) -> int:
    """Where the text after a heading or item marker begins (0 without a marker)."""
    for _level, marker in HEADINGS:
        m = marker.match(sentence)
        if m:
            return m.end()
    return 0
