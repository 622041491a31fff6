"""The SQLite file holds sessions and password hashes: only its owner may read it.

SQLite creates the database with the process umask (usually world-readable 0644) and
gives its ``-wal`` and ``-shm`` companions the database file's mode. Each new
connection makes the three owner-only (0600), as the key files in the data dir are.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

OWNER_ONLY = 0o600
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def restrict(path: str | os.PathLike) -> None:
    """Make the SQLite file at ``path`` and its companions owner-only, if they exist."""
    for suffix in SQLITE_COMPANIONS:
        target = Path(f"{os.fspath(path)}{suffix}")
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
            if mode & 0o077:
                target.chmod(mode & 0o700 | OWNER_ONLY)
        except FileNotFoundError:
            continue
        except PermissionError:
            # Someone else's file (a shared deployment): their choice, not ours to force.
            continue


def on_connection_created(sender, connection, **kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    restrict(name)
