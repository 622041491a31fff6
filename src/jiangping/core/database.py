"""The database as an operator meets it (数据库状态): initialised or not, and what a
failure of it means, in Chinese, for the command line, the pages and the API alike.

A command that needs the database asks :func:`initialised` before its first query, so a
refused run leaves no empty SQLite file behind (SQLite creates the file on connecting).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

# How long a client is asked to wait before retrying a busy database (seconds).
RETRY_AFTER = 5


def sqlite_file(alias: str = DEFAULT_DB_ALIAS) -> Path | None:
    """The file of a SQLite database, ``None`` for another engine or an in-memory one."""
    settings = connections[alias].settings_dict
    if connections[alias].vendor != "sqlite":
        return None
    name = str(settings.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    return Path(name)


def exists(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """False when connecting would create the database: a SQLite file not there yet."""
    path = sqlite_file(alias)
    return path is None or path.exists()


def initialised(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether ``jiangping migrate`` (or ``demo``) has built the database's tables; asked
    without creating a SQLite file that is not there."""
    if not exists(alias):
        return False
    connection = connections[alias]
    with connection.cursor() as cursor:
        return "django_migrations" in connection.introspection.table_names(cursor)


def not_initialised_message() -> str:
    return _("数据库尚未初始化，请先运行 jiangping migrate（或 jiangping demo）。")


@dataclass(frozen=True)
class Trouble:
    """What a database failure means to the person who met it: ``message`` in Chinese,
    ``busy`` when retrying shortly may succeed (a lock held by another writer), and the
    HTTP ``status`` that tells it (503 busy or unavailable, 500 otherwise)."""

    message: str
    busy: bool = False
    status: int = 500


# (pgcode, text fragment of a SQLite or driver message) → kind
_BUSY_CODES = {"40001", "40P01", "55P03", "57014"}  # serialization, deadlock, lock, timeout
_BUSY_TEXT = ("database is locked", "database table is locked", "lock timeout",
              "deadlock detected", "could not serialize")
_READ_ONLY_CODES = {"25006"}
_READ_ONLY_TEXT = ("readonly database", "read-only", "read only")
_FULL_CODES = {"53100"}
_FULL_TEXT = ("database or disk is full", "no space left")
_DOWN_CODES = {"57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006",
               "3D000"}
_DOWN_TEXT = ("unable to open database file", "could not connect", "connection refused",
              "connection to server", "server closed the connection", "the database system",
              "terminating connection", "connection already closed")
_MISSING_CODES = {"42P01"}
_MISSING_TEXT = ("no such table",)


def _code(exc: BaseException) -> str:
    cause = exc.__cause__ or exc
    return str(getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None) or "")


def trouble(exc: BaseException) -> Trouble:
    """The meaning of a database failure (:class:`django.db.DatabaseError`)."""
    code, text = _code(exc), str(exc).lower()

    def matches(codes, fragments) -> bool:
        return code in codes or any(fragment in text for fragment in fragments)

    if matches(_BUSY_CODES, _BUSY_TEXT):
        return Trouble(_("数据库正忙：其他用户正在写入同一批数据，请稍后重试。"), busy=True,
                       status=503)
    if matches(_READ_ONLY_CODES, _READ_ONLY_TEXT):
        return Trouble(_("数据库当前只读，无法写入；请联系系统管理员检查数据库文件的权限。"),
                       status=503)
    if matches(_FULL_CODES, _FULL_TEXT):
        return Trouble(_("数据库所在磁盘空间已满，无法写入；请联系系统管理员。"), status=503)
    if matches(_MISSING_CODES, _MISSING_TEXT):
        return Trouble(not_initialised_message(), status=503)
    if matches(_DOWN_CODES, _DOWN_TEXT):
        return Trouble(_("无法连接数据库，请稍后重试；如果问题一直存在，请联系系统管理员。"),
                       status=503)
    return Trouble(_("数据库出错，操作未完成，未写入任何数据；错误已记录，请联系系统管理员。"))
