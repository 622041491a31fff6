"""Writers of the same figures, one at a time (写入互斥).

A unit's figures of one period and form are written by the entry form, the API and
imports, and frozen by the submission's state (报送, 审核通过). Whoever checks that state
or reads the stored figures before writing must keep that reading true until its
transaction commits, or two writers mix their files and an import approved-over commits
after the approval. :func:`serialise` is taken at the start of such a transaction, before
anything is read:

- a write of unit U, period P takes (form, U, P) exclusively and (form, A, P) shared for
  every unit A above U (approving a county freezes its townships);
- a change of a submission's state (submit, approve, return, unlock) takes (form, U, P)
  exclusively;
- a write of many unit-periods at once (an import) takes the whole form exclusively
  instead of thousands of keys; every other writer takes the form shared. An import
  reads, checks and stages its rows before, and takes the lock only for its merge
  (:mod:`jiangping.intake.engine`).

On PostgreSQL these are transaction-level advisory locks, taken in one global order
(form lock first, then keys sorted) so that two writers cannot deadlock on them. On SQLite
every write transaction already begins IMMEDIATE and holds the database's write lock
until it commits, which serialises writers; nothing more is taken there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db import connection

# Beyond this many unit-periods a write locks the whole form (PostgreSQL's lock table is
# small: max_locks_per_transaction × max_connections slots are shared by every session).
MAX_KEYS = 200
WHOLE_FORM = "*"


def lock_key(form: str, unit_id: int | str, period: str) -> int:
    """A stable signed 64-bit advisory-lock key of (form, unit, period)."""
    digest = hashlib.blake2b(f"jiangping\0{form}\0{unit_id}\0{period}".encode(),
                             digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def serialise(form: str, own: Iterable[tuple[int, str]],
              above: Iterable[tuple[int, str]] = ()) -> None:
    """Wait for, then hold until commit, the right to write ``own`` (unit id, period)
    pairs of ``form`` whose state depends on the ``above`` pairs. Must run inside the
    transaction that writes."""
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("serialise() must run inside the writing transaction")
    own = set(own)
    above = set(above) - own
    modes: dict[int, bool] = {}  # key → exclusive
    if len(own) + len(above) > MAX_KEYS:
        _take([(lock_key(form, WHOLE_FORM, WHOLE_FORM), True)])
        return
    for unit_id, period in above:
        modes.setdefault(lock_key(form, unit_id, period), False)
    for unit_id, period in own:
        modes[lock_key(form, unit_id, period)] = True
    _take([(lock_key(form, WHOLE_FORM, WHOLE_FORM), False), *sorted(modes.items())])


def _take(locks: list[tuple[int, bool]]) -> None:
    """Take ``locks`` (key, exclusive) in the order given, in one statement: the rows are
    fed to the lock functions in ordinality order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN t.x THEN pg_advisory_xact_lock(t.k)"
            " ELSE pg_advisory_xact_lock_shared(t.k) END"
            " FROM (SELECT k, x FROM unnest(%s::bigint[], %s::boolean[])"
            " WITH ORDINALITY AS u(k, x, n) ORDER BY n) AS t",
            [[key for key, _x in locks], [exclusive for _k, exclusive in locks]],
        )
