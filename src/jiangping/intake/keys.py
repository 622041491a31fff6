"""Duplicate natural keys within one file (重复行检查), in flat memory.

Keys seen so far live in a private temporary SQLite database on disk (the
standard library's, not the project database), so a file of a million rows needs
no more memory than one of a thousand. A clean batch costs one ``executemany``;
only a batch that contains a repeat is looked at key by key.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence


class KeyTracker:
    def __init__(self, width: int):
        self._db = sqlite3.connect("")
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        names = ", ".join(f"k{i}" for i in range(width))
        self._db.execute(
            f"CREATE TABLE seen ({names}, row INTEGER, PRIMARY KEY ({names})) WITHOUT ROWID"
        )
        # Only placeholders and generated column names go into these statements.
        self._insert = "INSERT OR IGNORE INTO seen VALUES (" + "?, " * width + "?)"  # noqa: S608
        where = " AND ".join(f"k{i} IS ?" for i in range(width))
        self._select = "SELECT row FROM seen WHERE " + where  # noqa: S608

    def add(self, keys: Sequence[tuple], rows: Sequence[int]) -> list[tuple[int, int]]:
        """Record ``keys`` (one per row number); return ``(index, first row)`` of repeats."""
        before = self._db.total_changes
        self._db.executemany(self._insert, [(*key, row) for key, row in zip(keys, rows,
                                                                            strict=True)])
        if self._db.total_changes - before == len(keys):
            return []
        repeats = []
        for index, (key, row) in enumerate(zip(keys, rows, strict=True)):
            first = self._db.execute(self._select, key).fetchone()[0]
            if first != row:
                repeats.append((index, first))
        return repeats

    def close(self) -> None:
        self._db.close()
