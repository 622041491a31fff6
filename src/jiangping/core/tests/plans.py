"""Query plans for tests: record the statements a piece of code runs, and find those that
read a whole table (a cost that grows with the table, i.e. with history).

SQLite: ``EXPLAIN QUERY PLAN``; a ``SCAN`` step (of the table or of one of its indexes)
reads it all, a ``SEARCH`` step reads a range of an index. PostgreSQL: ``EXPLAIN (FORMAT
JSON)`` with ``enable_seqscan`` off for the statement, so that the planner takes an index
whenever one can answer even on a small test table: a ``Seq Scan`` left is a table no index
can answer, and so is an index scan whose condition does not hold the index's first column
(PostgreSQL then reads the whole index, filtering on the later columns).
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction


@dataclass
class Recorded:
    """The SELECT statements run inside :func:`recording`, with their parameters."""

    statements: list[tuple[str, tuple]] = field(default_factory=list)

    def reading(self, table: str) -> list[tuple[str, tuple]]:
        return [(sql, params) for sql, params in self.statements if f'"{table}"' in sql]


@contextmanager
def recording():
    """Record the SELECT statements the block runs (``with recording() as recorded:``)."""
    recorded = Recorded()

    def wrapper(execute, sql, params, many, context):
        if not many and sql.lstrip().upper().startswith("SELECT"):
            recorded.statements.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield recorded


def _names(sql: str, table: str) -> set[str]:
    """The table's name and the aliases Django gives it in ``sql`` (``"t" U0``)."""
    return {table, *re.findall(rf'"{re.escape(table)}"\s+([A-Z]\d+)\b', sql)}


def _sqlite_scans(sql: str, params: tuple, table: str) -> list[str]:
    names = _names(sql, table)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        steps = [row[-1] for row in cursor.fetchall()]
    return [step for step in steps
            if step.startswith("SCAN ") and step.split()[1].strip('"') in names]


def _pg_nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _pg_nodes(child)


def _leading_column(cursor, index: str) -> str:
    cursor.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
        " WHERE c.relname = %s", [index])
    row = cursor.fetchone()
    return row[0] if row else ""


def _postgres_scans(sql: str, params: tuple, table: str) -> list[str]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        document = cursor.fetchone()[0]
        plan = document if isinstance(document, list) else json.loads(document)
        full = []
        for node in _pg_nodes(plan[0]["Plan"]):
            if node.get("Relation Name") != table:
                continue
            kind = node["Node Type"]
            if kind == "Seq Scan":
                full.append(f"Seq Scan on {table}")
                continue
            # An index condition on a column after the first still reads the whole index.
            probes = ([node] if kind in ("Index Scan", "Index Only Scan") else
                      [n for n in _pg_nodes(node) if n["Node Type"] == "Bitmap Index Scan"])
            for probe in probes:
                leading = _leading_column(cursor, probe["Index Name"])
                if not re.search(rf"\b{leading}\b", probe.get("Index Cond", "")):
                    full.append(f"{probe['Node Type']} on {table} using {probe['Index Name']}"
                                f" without its first column {leading}")
    return full


def full_scans(recorded: Recorded, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    """``(statement, plan step)`` for every recorded statement that reads the whole of one
    of ``tables`` (module doc); an empty list when each is answered by an index."""
    explain = _sqlite_scans if connection.vendor == "sqlite" else _postgres_scans
    found = []
    for table in tables:
        for sql, params in recorded.reading(table):
            found.extend((sql, step) for step in explain(sql, params, table))
    return found
