"""Hand-written bulk SQL for monthly values (批量写入指标值), used by the actions only.

The value rows are (indicator id, unit id, period, value, source, updated, updated
by), written by hand: building 100,000 model instances for ``bulk_create`` costs most
of an import's time. SQLite gets one-row statements through ``executemany`` (no round
trips; its foreign-key checks of an ``ON CONFLICT`` upsert run several times slower
than those of a plain INSERT); PostgreSQL gets one statement per batch over one array
per column, as every statement is a round trip.

Nothing here checks scope or locks: :mod:`jiangping.indicators.services` does that
before it calls these functions.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import Decimal

from django.db import connection

from jiangping.indicators.models import Value

KEY = ("indicator_id", "unit_id", "period")
DATA = ("value", "source", "updated", "updated_by_id")
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


def _arrays(columns: Sequence[str], rows: Sequence[tuple]) -> tuple[str, list]:
    """The rows as the table ``s`` from one array parameter per column (PostgreSQL)."""
    types = {field.column: field.db_type(connection) for field in Value._meta.concrete_fields}
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


def insert_values(cursor, rows: list[tuple]) -> None:
    """Insert new keys. SQLite lets one writer in at a time (IMMEDIATE transactions), so
    no key can appear after :func:`stored_values`; on PostgreSQL another session may store
    one meanwhile, and it is then updated."""
    q = connection.ops.quote_name
    table, columns = q(Value._meta.db_table), (*KEY, *DATA)
    if _on_postgresql():
        source, params = _arrays(columns, rows)
        changed = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in DATA)
        cursor.execute(
            f"INSERT INTO {table} ({_names(columns)}) SELECT * FROM {source} "  # noqa: S608
            f"ON CONFLICT ({_names(KEY)}) DO UPDATE SET {changed}",
            params,
        )
    else:
        cursor.executemany(
            f"INSERT INTO {table} ({_names(columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            rows,
        )


def update_values(cursor, rows: list[tuple]) -> None:
    q = connection.ops.quote_name
    table = q(Value._meta.db_table)
    if _on_postgresql():
        source, params = _arrays((*KEY, *DATA), rows)
        cursor.execute(
            f"UPDATE {table} AS v SET {', '.join(f'{q(c)} = s.{q(c)}' for c in DATA)} "  # noqa: S608
            f"FROM {source} WHERE {_matches('v', 's')}",
            params,
        )
    else:
        cursor.executemany(
            f"UPDATE {table} SET {', '.join(f'{q(c)} = %s' for c in DATA)} "  # noqa: S608
            f"WHERE {' AND '.join(f'{q(c)} = %s' for c in KEY)}",
            [(*row[3:], *row[:3]) for row in rows],
        )
