"""The text diff of two bulletin versions (版本比较), line by line of
:meth:`Bulletin.text <jiangping.bulletins.document.Bulletin.text>`: side by side for the
page, unified for the API. Pure: no Django import."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Row:
    """One row of a side-by-side diff. ``kind``: ``"same"``, ``"changed"`` (both sides),
    ``"removed"`` (left only), ``"added"`` (right only) or ``"skip"`` (``skipped``
    unchanged lines left out); line numbers are 1-based, ``None`` on an empty side."""

    kind: Literal["same", "changed", "removed", "added", "skip"]
    left_no: int | None = None
    left: str = ""
    right_no: int | None = None
    right: str = ""
    skipped: int = 0


def side_by_side(old: str, new: str, *, context: int = 2) -> list[Row]:
    """The rows of ``old`` → ``new`` with ``context`` unchanged lines around each change;
    ``[]`` when the texts are equal."""
    a, b = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    rows: list[Row] = []
    consumed = 0  # lines of ``old`` shown or skipped so far
    for group in matcher.get_grouped_opcodes(context):
        if group[0][1] > consumed:
            rows.append(Row("skip", skipped=group[0][1] - consumed))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [Row("same", i + 1, a[i], j + 1, b[j])
                         for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
            elif tag == "delete":
                rows += [Row("removed", i + 1, a[i]) for i in range(i1, i2)]
            elif tag == "insert":
                rows += [Row("added", None, "", j + 1, b[j]) for j in range(j1, j2)]
            else:
                for k in range(max(i2 - i1, j2 - j1)):
                    i, j = i1 + k, j1 + k
                    rows.append(Row("changed" if i < i2 and j < j2 else
                                    ("removed" if i < i2 else "added"),
                                    i + 1 if i < i2 else None, a[i] if i < i2 else "",
                                    j + 1 if j < j2 else None, b[j] if j < j2 else ""))
            consumed = i2
    if rows and len(a) > consumed:
        rows.append(Row("skip", skipped=len(a) - consumed))
    return rows


def unified(old: str, new: str, *, old_name: str = "a", new_name: str = "b",
            context: int = 2) -> str:
    """``old`` → ``new`` as a unified diff (``---``/``+++`` headers, ``@@`` hunks); ``""``
    when the texts are equal."""
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), fromfile=old_name,
                                 tofile=new_name, n=context, lineterm="")
    return "\n".join(lines)
