"""Actions on indicator values and targets (指标数据维护): the only code that writes them.

The web pages, the API, the CLI and the importers all call these functions. Every
write is checked against a :class:`~jiangping.orgs.scope.Scope` and runs in one
transaction. A write is refused while the ``indicators`` submission of that period,
of the unit or of any unit above it, is approved (locked for everybody until the city
office unlocks it) or submitted (locked for the reporting units during the review;
the city office may still correct it). Numbers keep 6 decimals (rounded half up), at
most 13 integer digits and at most 15 significant digits, on SQLite and PostgreSQL alike:
SQLite keeps decimals as floating-point numbers, exact to 15 significant digits, so a
larger number is refused rather than stored as something else.

Peer values (全省通报数据): the other cities of the province are org units of level
``city`` with ``is_home`` False. They lie outside every user's subtree, so they follow
their own rule: only the city office (and the operator/admin) writes them, always
with ``source = peer``; every logged-in user may read them, as they come from a
published provincial bulletin.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jiangping.core.pagecache import figures_changed
from jiangping.core.periods import require_ended
from jiangping.indicators import approval, bulk, formulas
from jiangping.indicators.conflicts import (
    Conflict,
    check_expected,
    conflict_message,
    find_conflicts,
)
from jiangping.indicators.models import Indicator, Source, Value
from jiangping.indicators.monthlocks import (  # noqa: F401  (re-exported: the actions' API)
    FORM,
    serialise_writes,
    write_lock,
    write_locks,
)
from jiangping.intake.normalize import CellError, fit_decimal, parse_period
from jiangping.orgs.models import Level, OrgUnit
from jiangping.orgs.scope import Scope

BATCH_SIZE = 5000
IN_CHUNK = 900


# --- checks --------------------------------------------------------------------
def validate_period(period: str) -> str:
    """``period`` if it is a period written ``YYYY-MM`` that the importer accepts too (one
    rule: :func:`jiangping.intake.normalize.parse_period`, years 1900–2999)."""
    try:
        formulas.parse_period(period)
        parse_period(period)
    except (ValueError, TypeError, CellError):
        raise ValidationError(
            _("期间“%(period)s”格式不正确，应为“YYYY-MM”，如 2019-11。") % {"period": period}
        ) from None
    return period


def validate_written_period(period: str) -> str:
    """A period a value may be written for: well formed and over. Every figure is a
    month-end or year-to-date one (累计、余额、月度值), so a month that has not ended has
    none yet (:func:`jiangping.core.periods.require_ended`)."""
    validate_period(period)
    require_ended(period)
    return period


def _decimal(value) -> Decimal:
    """A number as stored: finite, rounded to 6 decimals, at most 13 integer digits and 15
    significant digits (:func:`~jiangping.intake.normalize.fit_decimal`)."""
    if isinstance(value, Decimal):
        result = value
    else:
        try:
            result = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            raise ValidationError(_("数值“%(value)s”不是有效的数字。") % {"value": value}) from None
    if not result.is_finite():
        raise ValidationError(_("数值“%(value)s”不是有效的数字。") % {"value": value})
    try:
        return fit_decimal(result)
    except CellError as exc:
        raise ValidationError(exc.message) from None


def is_peer(unit: OrgUnit) -> bool:
    """A peer city of the province (兄弟市), compared in the cities tier."""
    return unit.level == Level.CITY and not unit.is_home


def require_value_write(scope: Scope, unit: OrgUnit, source: str = Source.REPORTED) -> None:
    """Refuse (PermissionDenied) unless ``scope`` may write values of ``unit``."""
    if is_peer(unit) or source == Source.PEER:
        if not scope.can_write:
            raise PermissionDenied(_("当前角色只能查看，不能修改数据。"))
        if not scope.is_city_office:
            raise PermissionDenied(_("全省通报数据仅限市级管理员维护。"))
        if not is_peer(unit):
            scope.require_write(unit)
        return
    scope.require_write(unit)


def require_value_read(scope: Scope, unit: OrgUnit) -> None:
    """Refuse (PermissionDenied) unless ``scope`` may read values of ``unit``."""
    if not is_peer(unit):
        scope.require_read(unit)


def _chunks(items: Sequence, size: int = IN_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- what the writer saw ---------------------------------------------------------
UNSET = object()  # no expected value given: the write does not check what was there


def save_month(scope: Scope, *, unit: OrgUnit, period: str,
               changes: Mapping[Indicator, tuple[Decimal | None, Decimal | None]],
               user=None) -> int:
    """Save a unit's month as a person edited it (月度填报): ``changes`` maps each indicator
    the person changed to ``(seen, new)``, the value shown when the page was loaded and
    the one entered (``None``: empty). Indicators not changed are left alone, whoever
    wrote them since; a value someone else changed since it was seen is a
    :class:`Conflict` and nothing is written. Returns how many values were saved."""
    if not changes:
        return 0
    validate_period(period)
    require_value_write(scope, unit)
    with transaction.atomic():
        serialise_writes({unit.pk: unit}, [(unit.pk, period)])
        lock = write_lock(scope, unit, period)
        if lock:
            raise ValidationError(lock)
        check_expected(unit, period, {ind: seen for ind, (seen, _n) in changes.items()})
        upsert_values(scope, [(ind, unit, period, new) for ind, (_s, new) in changes.items()
                              if new is not None], user=user)
        for ind, (_seen, new) in changes.items():
            if new is None:
                set_value(scope, indicator=ind, unit=unit, period=period, value=None, user=user)
    return len(changes)


# --- single writes -------------------------------------------------------------
def set_value(
    scope: Scope,
    *,
    indicator: Indicator,
    unit: OrgUnit,
    period: str,
    value: Decimal | None,
    user=None,
    source: str = Source.REPORTED,
    expected=UNSET,
) -> Value | None:
    """Set (or, with ``value=None``, delete) one monthly value (填报一个指标值); a value
    for a month that has not ended is refused, deleting one is not.

    ``expected``: the value the writer last saw (``None``: none); if the stored value is
    another, someone changed it since, and the write is refused (:class:`Conflict`)."""
    if value is None:
        validate_period(period)
    else:
        validate_written_period(period)
    require_value_write(scope, unit, source)
    if is_peer(unit):
        source = Source.PEER
    with transaction.atomic():
        serialise_writes({unit.pk: unit}, [(unit.pk, period)])
        lock = write_lock(scope, unit, period)
        if lock:
            raise ValidationError(lock)
        key = {"indicator": indicator, "unit": unit, "period": period}
        if expected is not UNSET:
            check_expected(unit, period, {indicator: expected})
        figures_changed()
        if value is None:
            Value.objects.filter(**key).delete()
            approval.refresh_data_months([period])
            return None
        obj, _created = Value.objects.update_or_create(
            **key, defaults={"value": _decimal(value), "source": source, "updated_by": user}
        )
        approval.refresh_data_months([period])
        return obj


# --- bulk writes ---------------------------------------------------------------
def _pk(obj) -> int:
    return obj if isinstance(obj, int) else obj.pk


def _load_units(unit_ids: Iterable[int]) -> dict[int, OrgUnit]:
    units: dict[int, OrgUnit] = {}
    for chunk in _chunks(list(unit_ids)):
        units.update(
            (u.pk, u)
            for u in OrgUnit.objects.filter(pk__in=chunk).only(
                "name", "path", "level", "is_home"
            )
        )
    return units


def _at_row(error: Exception, index: int) -> Exception:
    """``error`` marked with the position of the row it refuses (see :func:`upsert_values`)."""
    error.row = index
    return error


@dataclass
class _Batch:
    """Rows of a bulk write once checked outside any lock: the latest value of each key,
    the first row of each (unit id, period) and the units written."""

    latest: dict[tuple[int, int, str], Decimal]
    first: dict[tuple[int, str], int]
    first_of_period: dict[str, int]
    units: dict[int, OrgUnit]
    peer_ids: set[int]


def _checked(scope: Scope, rows: list[Sequence], source: str) -> _Batch | None:
    """What :func:`upsert_values` checks before it locks anything: numbers, months that
    have ended, units that exist and that ``scope`` may write. ``None``: nothing to write."""
    latest: dict[tuple[int, int, str], Decimal] = {}
    first: dict[tuple[int, str], int] = {}  # (unit id, period) → its first row
    for index, (indicator, unit, period, value) in enumerate(rows):
        if value is not None:
            if not isinstance(indicator, int):
                indicator = indicator.pk
            if not isinstance(unit, int):
                unit = unit.pk
            try:
                latest[(indicator, unit, period)] = _decimal(value)
            except ValidationError as exc:
                raise _at_row(exc, index) from None
            first.setdefault((unit, period), index)
    if not latest:
        return None
    first_of_unit: dict[int, int] = {}
    first_of_period: dict[str, int] = {}
    for (unit_id, period), index in first.items():
        first_of_unit.setdefault(unit_id, index)
        first_of_period.setdefault(period, index)
    for period, index in sorted(first_of_period.items(), key=lambda item: item[1]):
        try:
            validate_written_period(period)
        except ValidationError as exc:
            raise _at_row(exc, index) from None
    units = _load_units(first_of_unit)
    missing = sorted(first_of_unit.keys() - units.keys(), key=first_of_unit.get)
    if missing:
        raise _at_row(ValidationError(_("组织机构不存在：%(ids)s") % {"ids": missing}),
                      first_of_unit[missing[0]])
    peer_ids = set()
    for unit in sorted(units.values(), key=lambda unit: first_of_unit[unit.pk]):
        try:
            require_value_write(scope, unit, source)
        except PermissionDenied as exc:
            raise _at_row(exc, first_of_unit[unit.pk]) from None
        if is_peer(unit):
            peer_ids.add(unit.pk)
    return _Batch(latest, first, first_of_period, units, peer_ids)


def _refuse_locked(scope: Scope, batch: _Batch) -> None:
    locks = write_locks(scope, batch.units, batch.first_of_period)
    locked = sorted(locks.keys() & batch.first.keys(), key=batch.first.get)
    if locked:
        raise _at_row(ValidationError(locks[locked[0]]), batch.first[locked[0]])


@dataclass
class StagedValues:
    """Values checked and staged for :func:`merge_values` (:func:`stage_values`)."""

    staged: bulk.Staged | None = None
    rows: int = 0  # rows given so far, to number a refusal's row across batches
    first: dict[tuple[int, str], int] = field(default_factory=dict)
    first_of_period: dict[str, int] = field(default_factory=dict)
    units: dict[int, OrgUnit] = field(default_factory=dict)

    def add(self, batch: _Batch, offset: int) -> None:
        for pair, index in batch.first.items():
            self.first.setdefault(pair, offset + index)
        for period, index in batch.first_of_period.items():
            self.first_of_period.setdefault(period, offset + index)
        self.units.update(batch.units)


def _staged_rows(batch: _Batch, source: str) -> list[tuple]:
    peer, source = Source.PEER.value, str(source)
    peer_ids = batch.peer_ids
    return [(*key, value, peer if key[1] in peer_ids else source)
            for key, value in batch.latest.items()]


def stage_values(scope: Scope, rows: Iterable[Sequence], *, source: str = Source.REPORTED,
                 into: StagedValues | None = None, table: bool = True) -> StagedValues:
    """Check ``rows`` as :func:`upsert_values` does and stage them for
    :func:`merge_values`, after the rows staged ``into`` (an import stages batch by
    batch: its keys are distinct across batches, a later row of a key within a batch
    wins). Reads and stages only: takes no writers' lock. Raises what
    :func:`upsert_values` raises before it locks, ``row`` counted over all batches."""
    rows = rows if isinstance(rows, list) else list(rows)
    into = into if into is not None else StagedValues()
    offset, into.rows = into.rows, into.rows + len(rows)
    try:
        batch = _checked(scope, rows, source)
    except (ValidationError, PermissionDenied) as exc:
        if getattr(exc, "row", None) is not None:
            exc.row += offset
        raise
    if batch is None:
        return into
    with connection.cursor() as cursor:
        into.staged = bulk.stage(cursor, _staged_rows(batch, source), into.staged,
                                 table=table)
    into.add(batch, offset)
    return into


def merge_values(scope: Scope, staged: StagedValues, *, user=None,
                 expected: tuple[list[Sequence], Mapping[int, Decimal | None]] | None = None,
                 ) -> tuple[int, int]:
    """Write the values staged by :func:`stage_values` in one short transaction: the
    writers' locks of their unit-months (:func:`serialise_writes`), the month locks
    checked again (an approval may have come meanwhile), the writer's ``expected``
    values (rows and positions, see :func:`upsert_values`), then one set-based merge
    (:func:`jiangping.indicators.bulk.merge`) and the months index. Returns
    ``(created, updated)``; raises as :func:`upsert_values` does."""
    if staged.staged is None:
        return 0, 0
    user_id = user.pk if user is not None else None
    with connection.cursor() as cursor:
        with transaction.atomic():
            serialise_writes(staged.units, staged.first)
            # stamped once the lock is held: a write never predates a decision it waited for
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            _refuse_locked(scope, staged)
            if expected:
                _check_rows(*expected)
            created, updated = bulk.merge(cursor, staged.staged, now, user_id)
            if created:
                approval.refresh_data_months(staged.first_of_period)
            if created or updated:
                figures_changed()
        bulk.unstage(cursor, staged.staged)
    return created, updated


def upsert_values(
    scope: Scope, rows: Iterable[Sequence], *, user=None, source: str = Source.REPORTED,
    expected: Mapping[int, Decimal | None] | None = None,
) -> tuple[int, int]:
    """Insert or update many values at once (批量导入); returns ``(created, updated)``.

    ``rows`` are ``(indicator, unit, period, value)`` with the indicator and unit as
    model instances or primary keys. A later row for the same key wins; rows with a
    ``None`` value are skipped, and so are values equal to the stored ones (counted
    neither created nor updated). The scope is checked once per distinct unit and the
    lock once per distinct (unit, period); nothing is written if any check fails. The
    refusal (ValidationError or PermissionDenied) carries ``row``: the 0-based position
    in ``rows`` of the first row it refuses, so that a caller can name it (第N项).

    ``expected`` maps positions in ``rows`` to the value the writer saw there (``None``:
    none); if any stored value is another, nothing is written (:class:`Conflict`, whose
    ``rows`` lists the positions refused, in order).

    The rows are checked and staged (:func:`stage_values`) before the transaction; the
    writers' locks are held only for :func:`merge_values`.
    """
    rows = rows if isinstance(rows, list) else list(rows)
    staged = stage_values(scope, rows, source=source, table=False)
    return merge_values(scope, staged, user=user,
                        expected=(rows, expected) if expected else None)


def preview_values(scope: Scope, rows: Iterable[Sequence], *,
                   source: str = Source.REPORTED) -> tuple[int, int]:
    """What :func:`upsert_values` would do with ``rows``, by reading only (试运行): the
    same checks and refusals, and ``(created, updated)`` counted against the stored
    values; takes no writers' lock and writes nothing."""
    rows = rows if isinstance(rows, list) else list(rows)
    batch = _checked(scope, rows, source)
    if batch is None:
        return 0, 0
    _refuse_locked(scope, batch)
    created = updated = 0
    with connection.cursor() as cursor:
        for keys in _chunks(list(batch.latest), BATCH_SIZE):
            stored = bulk.stored_values(cursor, keys)
            for key in keys:
                before = stored.get(key)
                if before is None:
                    created += 1
                elif not bulk.unchanged(before, batch.latest[key]):
                    updated += 1
    return created, updated


def _check_rows(rows: list[Sequence], expected: Mapping[int, Decimal | None]) -> None:
    seen = {(_pk(rows[i][0]), _pk(rows[i][1]), rows[i][2]): (i, value)
            for i, value in sorted(expected.items())}
    current = find_conflicts({key: value for key, (_i, value) in seen.items()})
    if current:
        refused = sorted((seen[key][0], key) for key in current)
        conflict = Conflict([conflict_message(getattr(rows[i][0], "name", str(key[0])),
                                              seen[key][1], current[key])
                             for i, key in refused], current)
        conflict.rows = [i for i, _key in refused]
        raise conflict


# --- reads ---------------------------------------------------------------------
def _readable(scope: Scope, qs: QuerySet) -> QuerySet:
    """``qs`` (values) narrowed to the units ``scope`` reads: its subtree and the peer
    cities. The units are a subquery of ids, so that the values are found unit by unit
    through the (unit, period) index rather than by reading a whole month and joining
    each row's unit (at province scale: 8 ms against 0.1 ms for a county's month)."""
    if scope.root_path is None:
        return qs
    units = OrgUnit.objects.filter(Q(path__subtree=scope.root_path)
                                   | Q(level=Level.CITY, is_home=False))
    return qs.filter(unit__in=units.values("pk"))


def values_for(
    scope: Scope,
    *,
    indicators: Iterable[Indicator] | None = None,
    units: Iterable[OrgUnit] | None = None,
    periods: Iterable[str] | None = None,
) -> QuerySet[Value]:
    """The values ``scope`` may read, optionally narrowed (查询指标值).

    Naming a unit outside the scope raises PermissionDenied rather than returning
    an empty result, so a refused request is never mistaken for missing data.
    """
    qs = _readable(scope, Value.objects.all())
    if units is not None:
        units = list(units)
        for unit in units:
            require_value_read(scope, unit)
        qs = qs.filter(unit__in=units)
    if indicators is not None:
        qs = qs.filter(indicator__in=list(indicators))
    if periods is not None:
        periods = [validate_period(p) for p in periods]
        qs = qs.filter(period__in=periods)
    return qs


def value_map(
    indicator_ids: Iterable[int], unit_ids: Iterable[int], periods: Iterable[str]
) -> dict[tuple[int, int, str], Decimal]:
    """Stored values keyed ``(indicator id, unit id, period)``, unscoped, set-based.

    For computations (comparison table, metrics, assessment) whose callers decide
    what to show; one query per 900 units.
    """
    indicator_ids, periods = list(set(indicator_ids)), list(set(periods))
    result: dict[tuple[int, int, str], Decimal] = {}
    for chunk in _chunks(list(set(unit_ids))):
        rows = Value.objects.filter(
            indicator_id__in=indicator_ids, unit_id__in=chunk, period__in=periods
        ).values_list("indicator_id", "unit_id", "period", "value")
        result.update(((i, u, p), v) for i, u, p, v in rows)
    return result


def refused_rows(scope: Scope, rows: Sequence[Sequence], *,
                 source: str = Source.REPORTED) -> tuple[dict[int, str], bool]:
    """Every row of ``rows`` (as :func:`upsert_values` takes them, with model instances)
    that ``scope`` may not write, by its 0-based position, with the reason: a unit
    outside the scope, a locked month. The flag tells whether any is a matter of
    permission rather than of a lock. Lets a batch name every refused item, not only
    the first; :func:`upsert_values` checks again as it writes."""
    refusals: dict[int, str] = {}
    denied: dict[int, str | None] = {}
    forbidden = False
    for index, (_indicator, unit, _period, _value) in enumerate(rows):
        if unit.pk not in denied:
            try:
                require_value_write(scope, unit, source)
            except PermissionDenied as exc:
                denied[unit.pk] = str(exc)
            else:
                denied[unit.pk] = None
        if denied[unit.pk]:
            refusals[index] = denied[unit.pk]
            forbidden = True
    units = {unit.pk: unit for _i, unit, _p, _v in rows}
    locks = write_locks(scope, units, {period for _i, _u, period, _v in rows})
    for index, (_indicator, unit, period, _value) in enumerate(rows):
        if index not in refusals and (unit.pk, period) in locks:
            refusals[index] = locks[unit.pk, period]
    return refusals, forbidden
