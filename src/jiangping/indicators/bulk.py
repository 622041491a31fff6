"""Hand-written bulk SQL for monthly values (批量写入指标值), used by the actions only.

A write of many values is staged, then merged:

- :func:`stage` loads the rows (indicator id, unit id, period, value, source) into a
  temporary table of the connection: PostgreSQL through ``COPY`` (psycopg 3), SQLite
  through ``executemany``. It reads nothing of the values table and, outside a
  transaction, takes no writers' lock: a caller stages first, then opens the
  transaction that locks and merges. A few rows (an entry form, an API call) skip the
  table: one array per column on PostgreSQL, a ``VALUES`` list on SQLite.
- :func:`merge` writes the staged rows set-based, stamping them with the time and the
  user: PostgreSQL in one ``INSERT … SELECT … ON CONFLICT DO UPDATE``; SQLite in one
  ``UPDATE … FROM`` of the changed keys and one ``INSERT … SELECT`` of the new ones
  (its foreign-key checks of an ``ON CONFLICT`` upsert run several times slower than
  those of a plain INSERT, and the two statements count created and updated exactly).
  A value equal to the stored one is left alone and counted neither.

Nothing here checks scope or locks: :mod:`jiangping.indicators.services` does that
before it calls these functions.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from jiangping.indicators.models import Value

KEY = ("indicator_id", "unit_id", "period")
STAGED = (*KEY, "value", "source")
STAMP = ("updated", "updated_by_id")
STAGE_TABLE = "jiangping_staged_values"
# Up to this many rows go to PostgreSQL as arrays rather than through the staging table.
ARRAY_ROWS = 1000
# SQLite keeps a decimal column as a floating-point number; Django reads it back with
# 15 significant digits, and so do we when comparing a stored value with a new one.
_SQLITE_READ = decimal.Context(prec=15)


def _names(columns: Sequence[str], prefix: str = "") -> str:
    return ", ".join(prefix + connection.ops.quote_name(c) for c in columns)


def _matches(left: str, right: str) -> str:
    q = connection.ops.quote_name
    return " AND ".join(f"{left}.{q(c)} = {right}.{q(c)}" for c in KEY)


def _on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _types() -> dict[str, str]:
    return {field.column: field.db_type(connection) for field in Value._meta.concrete_fields}


def _arrays(columns: Sequence[str], rows: Sequence[tuple]) -> tuple[str, list]:
    """The rows as the table ``s`` from one array parameter per column (PostgreSQL)."""
    types = _types()
    arrays = ", ".join(f"CAST(%s AS {types[c]}[])" for c in columns)
    return (f"unnest({arrays}) AS s ({_names(columns)})",
            [list(column) for column in zip(*rows, strict=True)])


def _as_decimal(stored) -> Decimal:
    if isinstance(stored, Decimal):
        return stored
    if isinstance(stored, float):
        return _SQLITE_READ.create_decimal_from_float(stored)
    return Decimal(stored)


def read_back(value: Decimal) -> Decimal:
    """``value`` as the database gives it back once written: on SQLite through a
    floating-point number read with 15 significant digits, on PostgreSQL unchanged."""
    if _on_postgresql():
        return value
    return _SQLITE_READ.create_decimal_from_float(float(value))


def unchanged(stored: Decimal | None, value: Decimal) -> bool:
    """Whether writing ``value`` over ``stored`` (as read back) would change nothing."""
    return stored is not None and (stored == value or stored == read_back(value))


def stored_values(cursor, keys: Sequence[tuple[int, int, str]]) -> dict[tuple, Decimal]:
    """The stored value of every key already in the table, one index lookup each (on
    SQLite 3 parameters a key, within its limit of 32,766)."""
    table = connection.ops.quote_name(Value._meta.db_table)
    join = f"JOIN {table} AS v ON {_matches('v', 's')}"
    value = connection.ops.quote_name("value")
    if _on_postgresql():
        source, params = _arrays(KEY, keys)
        sql = f"SELECT {_names(KEY, 's.')}, v.{value} FROM {source} {join}"  # noqa: S608
    else:
        params = [part for key in keys for part in key]
        rows = ", ".join(["(%s, %s, %s)"] * len(keys))
        sql = (f"WITH s ({_names(KEY)}) AS (VALUES {rows}) "  # noqa: S608
               f"SELECT {_names(KEY, 's.')}, v.{value} FROM s {join}")
    cursor.execute(sql, params)
    return {(i, u, p): _as_decimal(v) for i, u, p, v in cursor.fetchall()}


# --- stage, then merge ------------------------------------------------------------
@dataclass(frozen=True)
class Staged:
    """Where :func:`stage` put the rows: the SQL naming them as the table ``s`` (with a
    ``WITH`` clause before the statement, on SQLite) and its parameters."""

    source: str
    params: list
    rows: int
    prefix: str = ""

    def statement(self, sql: str, stamp: list) -> tuple[str, list]:
        """``sql`` (which selects ``stamp`` before naming ``s``) with its parameters."""
        if self.prefix:
            return f"{self.prefix} {sql}", [*self.params, *stamp]
        return sql, [*stamp, *self.params]


def stage(cursor, rows: Sequence[tuple], into: Staged | None = None,
          table: bool = False) -> Staged:
    """Load ``rows`` (indicator id, unit id, period, value as Decimal, source), one per
    key, into the connection's staging table; reads nothing and locks no value. Returns
    what :func:`merge` and :func:`unstage` take. ``into``: rows staged before (with
    ``table``), which these join: batch by batch, a long import keeps no rows in memory.
    Without it the table starts empty, and a few rows skip it unless ``table``."""
    if into is not None and into.params:
        raise ValueError("rows can join only rows staged in the table")
    if into is None and not table and len(rows) <= ARRAY_ROWS:
        if _on_postgresql():
            source, params = _arrays(STAGED, rows)
            return Staged(source, params, len(rows))
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
        return Staged("s", [part for row in rows for part in row], len(rows),
                      f"WITH s ({_names(STAGED)}) AS (VALUES {values})")
    q = connection.ops.quote_name
    table = q(STAGE_TABLE)
    if into is None:
        if _on_postgresql():
            types = _types()
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} "
                f"({', '.join(f'{q(c)} {types[c]}' for c in STAGED)})")
            cursor.execute(f"TRUNCATE {table}")
        else:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} (indicator_id integer, "
                "unit_id integer, period text, value decimal, source text)")
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    if _on_postgresql():
        with cursor.copy(f"COPY {table} ({_names(STAGED)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        with _temporary_writes(cursor):
            cursor.executemany(f"INSERT INTO {table} VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
                               rows)
    return Staged(f"{table} AS s", [], len(rows) + (into.rows if into else 0))


@contextmanager
def _temporary_writes(cursor):
    """On SQLite outside a transaction: one deferred transaction around writes to the
    connection's temporary tables, rather than one per row. It takes no lock of the
    database file (a temporary table is the connection's own), unlike Django's
    transactions here, which begin IMMEDIATE."""
    if connection.in_atomic_block:
        yield
        return
    cursor.execute("BEGIN DEFERRED")
    try:
        yield
    except BaseException:
        cursor.execute("ROLLBACK")
        raise
    cursor.execute("COMMIT")


def unstage(cursor, staged: Staged) -> None:
    """Empty the staging table (it lives as long as the connection)."""
    if staged.params or not staged.rows:
        return
    table = connection.ops.quote_name(STAGE_TABLE)
    cursor.execute(f"TRUNCATE {table}" if _on_postgresql()
                   else f"DELETE FROM {table}")  # noqa: S608


def merge(cursor, staged: Staged, now, user_id: int | None) -> tuple[int, int]:
    """Write the staged rows stamped ``now`` (as adapted for the database) and
    ``user_id``: new keys inserted, changed values updated, equal ones left alone.
    Returns ``(created, updated)``. Runs inside the transaction that holds the writers'
    locks."""
    q = connection.ops.quote_name
    table = q(Value._meta.db_table)
    columns = _names((*STAGED, *STAMP))
    picked = f"{_names(STAGED, 's.')}, %s, %s"
    value = q("value")
    stamp = [now, user_id]
    if _on_postgresql():
        # A row this statement inserted has no deleting transaction yet (xmax 0); a row
        # it updated has (this one).
        changed = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in ("value", "source", *STAMP))
        cursor.execute(*staged.statement(
            f"WITH w AS (INSERT INTO {table} AS v ({columns}) "  # noqa: S608
            f"SELECT {picked} FROM {staged.source} "
            f"ON CONFLICT ({_names(KEY)}) DO UPDATE SET {changed} "
            f"WHERE v.{value} <> excluded.{value} RETURNING (v.xmax = 0) AS fresh) "
            "SELECT count(*) FILTER (WHERE fresh), count(*) FILTER (WHERE NOT fresh) FROM w",
            stamp))
        created, updated = cursor.fetchone()
        return created, updated
    # Python's sqlite3 gives no row count of a statement that starts with WITH. Both value
    # columns have NUMERIC affinity: a staged figure converts as the stored one did, so
    # ``<>`` tells changed figures as unchanged() does.
    counter = connection.connection
    set_changed = ", ".join(f"{q(c)} = s.{q(c)}" for c in ("value", "source"))
    before = counter.total_changes
    cursor.execute(*staged.statement(
        f"UPDATE {table} AS v SET {set_changed}, {q('updated')} = %s, "  # noqa: S608
        f"{q('updated_by_id')} = %s FROM {staged.source} "
        f"WHERE {_matches('v', 's')} AND v.{value} <> s.{value}",
        stamp))
    updated = counter.total_changes - before
    before = counter.total_changes
    cursor.execute(*staged.statement(
        f"INSERT INTO {table} ({columns}) SELECT {picked} FROM {staged.source} "  # noqa: S608
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} AS v WHERE {_matches('v', 's')})",
        stamp))
    return counter.total_changes - before, updated
