"""Actions on indicator values and targets (指标数据维护): the only code that writes them.

The web pages, the API, the CLI and the importers all call these functions. Every
write is checked against a :class:`~jiangping.orgs.scope.Scope`, refused while the
unit's ``indicators`` submission of that period is approved (locked), and runs in
one transaction.

Peer values (全省通报数据): the other cities of the province are org units of level
``city`` with ``is_home`` False. They lie outside every user's subtree, so they follow
their own rule: only the city office (and the operator/admin) writes them, always
with ``source = peer``; every logged-in user may read them, as they come from a
published provincial bulletin.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jiangping.indicators import formulas
from jiangping.indicators.models import Indicator, Source, Target, Value
from jiangping.intake.models import State, Submission
from jiangping.orgs.models import Level, OrgUnit
from jiangping.orgs.scope import Scope

FORM = "indicators"
BATCH_SIZE = 5000
IN_CHUNK = 900


# --- checks --------------------------------------------------------------------
def validate_period(period: str) -> str:
    try:
        formulas.parse_period(period)
    except (ValueError, TypeError):
        raise ValidationError(
            _("期间“%(period)s”格式不正确，应为“YYYY-MM”，如 2019-11。") % {"period": period}
        ) from None
    return period


def _decimal(value) -> Decimal:
    if isinstance(value, Decimal):
        result = value
    else:
        try:
            result = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            raise ValidationError(_("数值“%(value)s”不是有效的数字。") % {"value": value}) from None
    if not result.is_finite():
        raise ValidationError(_("数值“%(value)s”不是有效的数字。") % {"value": value})
    return result


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


def locked_pairs(unit_ids: Iterable[int], periods: Iterable[str]) -> set[tuple[int, str]]:
    """The (unit id, period) pairs whose ``indicators`` submission is approved (已审核锁定)."""
    unit_ids, periods = list(set(unit_ids)), list(set(periods))
    found: set[tuple[int, str]] = set()
    for chunk in _chunks(unit_ids):
        found.update(
            Submission.objects.filter(
                form=FORM, state=State.APPROVED, unit_id__in=chunk, period__in=periods
            ).values_list("unit_id", "period")
        )
    return found


def _refuse_locked(unit: OrgUnit, period: str) -> None:
    raise ValidationError(
        _("“%(unit)s”%(period)s 的指标数据已审核锁定，请先由市级管理员解锁。")
        % {"unit": unit.name, "period": period}
    )


def _chunks(items: Sequence, size: int = IN_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
) -> Value | None:
    """Set (or, with ``value=None``, delete) one monthly value (填报一个指标值)."""
    validate_period(period)
    require_value_write(scope, unit, source)
    if is_peer(unit):
        source = Source.PEER
    with transaction.atomic():
        if locked_pairs([unit.pk], [period]):
            _refuse_locked(unit, period)
        key = {"indicator": indicator, "unit": unit, "period": period}
        if value is None:
            Value.objects.filter(**key).delete()
            return None
        obj, _created = Value.objects.update_or_create(
            **key, defaults={"value": _decimal(value), "source": source, "updated_by": user}
        )
        return obj


def set_target(
    scope: Scope,
    *,
    indicator: Indicator,
    unit: OrgUnit,
    year: int,
    value: Decimal | None,
    user=None,
) -> Target | None:
    """Set (or delete) the annual target (下达年度目标) of one unit; city office only."""
    _require_target_write(scope, unit)
    year = _year(year)
    with transaction.atomic():
        key = {"indicator": indicator, "unit": unit, "year": year}
        if value is None:
            Target.objects.filter(**key).delete()
            return None
        obj, _created = Target.objects.update_or_create(
            **key, defaults={"value": _decimal(value)}
        )
        return obj


def _require_target_write(scope: Scope, unit: OrgUnit) -> None:
    if not scope.can_write:
        raise PermissionDenied(_("当前角色只能查看，不能修改数据。"))
    if not scope.is_city_office:
        raise PermissionDenied(_("年度目标由市级管理员下达。"))
    scope.require_write(unit)


def _year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 1900 <= year <= 2999:
        raise ValidationError(_("年度“%(year)s”不正确。") % {"year": year})
    return year


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


def upsert_values(
    scope: Scope, rows: Iterable[Sequence], *, user=None, source: str = Source.REPORTED
) -> tuple[int, int]:
    """Insert or update many values at once (批量导入); returns ``(created, updated)``.

    ``rows`` are ``(indicator, unit, period, value)`` with the indicator and unit as
    model instances or primary keys. A later row for the same key wins; rows with a
    ``None`` value are skipped. The scope is checked once per distinct unit and the
    lock once per distinct (unit, period); nothing is written if any check fails.
    """
    latest: dict[tuple[int, int, str], Decimal] = {}
    for indicator, unit, period, value in rows:
        if value is not None:
            latest[(_pk(indicator), _pk(unit), period)] = _decimal(value)
    if not latest:
        return 0, 0
    periods = {key[2] for key in latest}
    for period in periods:
        validate_period(period)
    unit_ids = {key[1] for key in latest}
    units = _load_units(unit_ids)
    missing = unit_ids - units.keys()
    if missing:
        raise ValidationError(_("组织机构不存在：%(ids)s") % {"ids": sorted(missing)})
    peer_ids = set()
    for unit in units.values():
        require_value_write(scope, unit, source)
        if is_peer(unit):
            peer_ids.add(unit.pk)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = user.pk if user is not None else None
    created = updated = 0
    with transaction.atomic(), connection.cursor() as cursor:
        locked = locked_pairs(unit_ids, periods) & {(k[1], k[2]) for k in latest}
        if locked:
            unit_id, period = min(locked)
            _refuse_locked(units[unit_id], period)
        for batch in _chunks(list(latest), BATCH_SIZE):
            rows = [
                (*key, latest[key], Source.PEER.value if key[1] in peer_ids else str(source),
                 now, user_id)
                for key in batch
            ]
            existing = _stored_keys(cursor, batch)
            fresh = [row for row in rows if row[:3] not in existing]
            stored = [row for row in rows if row[:3] in existing]
            if fresh:
                _insert_values(cursor, fresh)
            if stored:
                _update_values(cursor, stored)
            created += len(fresh)
            updated += len(stored)
    return created, updated


# The value rows below are (indicator id, unit id, period, value, source, updated,
# updated by), written by hand: building 100,000 model instances for ``bulk_create``
# costs most of an import's time. SQLite gets one-row statements through
# ``executemany`` (no round trips; its foreign-key checks of an ``ON CONFLICT`` upsert
# run several times slower than those of a plain INSERT); PostgreSQL gets one
# statement per batch over one array per column, as every statement is a round trip.
_KEY = ("indicator_id", "unit_id", "period")
_DATA = ("value", "source", "updated", "updated_by_id")


def _names(columns: Sequence[str], prefix: str = "") -> str:
    return ", ".join(prefix + connection.ops.quote_name(c) for c in columns)


def _matches(left: str, right: str) -> str:
    q = connection.ops.quote_name
    return " AND ".join(f"{left}.{q(c)} = {right}.{q(c)}" for c in _KEY)


def _on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _arrays(columns: Sequence[str], rows: Sequence[tuple]) -> tuple[str, list]:
    """The rows as the table ``s`` from one array parameter per column (PostgreSQL)."""
    types = {field.column: field.db_type(connection) for field in Value._meta.concrete_fields}
    arrays = ", ".join(f"CAST(%s AS {types[c]}[])" for c in columns)
    return (f"unnest({arrays}) AS s ({_names(columns)})",
            [list(column) for column in zip(*rows, strict=True)])


def _stored_keys(cursor, keys: Sequence[tuple[int, int, str]]) -> set:
    """The keys already stored, one index lookup each (on SQLite 3 parameters a key,
    within its limit of 32,766)."""
    table = connection.ops.quote_name(Value._meta.db_table)
    join = f"JOIN {table} AS v ON {_matches('v', 's')}"
    if _on_postgresql():
        source, params = _arrays(_KEY, keys)
        sql = f"SELECT {_names(_KEY, 's.')} FROM {source} {join}"  # noqa: S608
    else:
        params = [part for key in keys for part in key]
        rows = ", ".join(["(%s, %s, %s)"] * len(keys))
        sql = (f"WITH s ({_names(_KEY)}) AS (VALUES {rows}) "  # noqa: S608
               f"SELECT {_names(_KEY, 's.')} FROM s {join}")
    cursor.execute(sql, params)
    return set(cursor.fetchall())


def _insert_values(cursor, rows: list[tuple]) -> None:
    """Insert new keys. SQLite lets one writer in at a time (IMMEDIATE transactions), so
    no key can appear after :func:`_stored_keys`; on PostgreSQL another session may store
    one meanwhile, and it is then updated."""
    q = connection.ops.quote_name
    table, columns = q(Value._meta.db_table), (*_KEY, *_DATA)
    if _on_postgresql():
        source, params = _arrays(columns, rows)
        changed = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in _DATA)
        cursor.execute(
            f"INSERT INTO {table} ({_names(columns)}) SELECT * FROM {source} "  # noqa: S608
            f"ON CONFLICT ({_names(_KEY)}) DO UPDATE SET {changed}",
            params,
        )
    else:
        cursor.executemany(
            f"INSERT INTO {table} ({_names(columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            rows,
        )


def _update_values(cursor, rows: list[tuple]) -> None:
    q = connection.ops.quote_name
    table = q(Value._meta.db_table)
    if _on_postgresql():
        source, params = _arrays((*_KEY, *_DATA), rows)
        cursor.execute(
            f"UPDATE {table} AS v SET {', '.join(f'{q(c)} = s.{q(c)}' for c in _DATA)} "  # noqa: S608
            f"FROM {source} WHERE {_matches('v', 's')}",
            params,
        )
    else:
        cursor.executemany(
            f"UPDATE {table} SET {', '.join(f'{q(c)} = %s' for c in _DATA)} "  # noqa: S608
            f"WHERE {' AND '.join(f'{q(c)} = %s' for c in _KEY)}",
            [(*row[3:], *row[:3]) for row in rows],
        )


def upsert_targets(scope: Scope, rows: Iterable[Sequence], *, user=None) -> tuple[int, int]:
    """Insert or update many annual targets (批量下达目标); returns ``(created, updated)``.

    ``rows`` are ``(indicator, unit, year, value)``; ``user`` is accepted for the
    audit trail of callers and not stored on targets.
    """
    latest: dict[tuple[int, int, int], Decimal] = {}
    for indicator, unit, year, value in rows:
        if value is not None:
            latest[(_pk(indicator), _pk(unit), _year(year))] = _decimal(value)
    if not latest:
        return 0, 0
    unit_ids = {key[1] for key in latest}
    units = _load_units(unit_ids)
    if unit_ids - units.keys():
        raise ValidationError(
            _("组织机构不存在：%(ids)s") % {"ids": sorted(unit_ids - units.keys())}
        )
    for unit in units.values():
        _require_target_write(scope, unit)
    now = timezone.now()
    created = updated = 0
    with transaction.atomic():
        for batch in _chunks(list(latest), BATCH_SIZE):
            found = Target.objects.filter(
                indicator_id__in={k[0] for k in batch},
                unit_id__in={k[1] for k in batch},
                year__in={k[2] for k in batch},
            ).values_list("indicator_id", "unit_id", "year")
            existing = set(found) & set(batch)
            Target.objects.bulk_create(
                [Target(indicator_id=i, unit_id=u, year=y, value=latest[i, u, y], updated=now)
                 for i, u, y in batch],
                update_conflicts=True, unique_fields=["indicator", "unit", "year"],
                update_fields=["value", "updated"],
            )
            updated += len(existing)
            created += len(batch) - len(existing)
    return created, updated


# --- reads ---------------------------------------------------------------------
def _readable(scope: Scope, qs: QuerySet) -> QuerySet:
    if scope.root_path is None:
        return qs
    return qs.filter(
        Q(unit__path__startswith=scope.root_path)
        | Q(unit__level=Level.CITY, unit__is_home=False)
    )


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


def targets_for(
    scope: Scope,
    *,
    indicators: Iterable[Indicator] | None = None,
    units: Iterable[OrgUnit] | None = None,
    year: int | None = None,
) -> QuerySet[Target]:
    """The annual targets ``scope`` may read (查询年度目标)."""
    qs = scope.filter(Target.objects.all())
    if units is not None:
        units = list(units)
        for unit in units:
            scope.require_read(unit)
        qs = qs.filter(unit__in=units)
    if indicators is not None:
        qs = qs.filter(indicator__in=list(indicators))
    if year is not None:
        qs = qs.filter(year=_year(year))
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


def target_map(
    indicator_ids: Iterable[int], unit_ids: Iterable[int], year: int
) -> dict[tuple[int, int], Decimal]:
    """Annual targets keyed ``(indicator id, unit id)`` for one year, unscoped, set-based."""
    indicator_ids = list(set(indicator_ids))
    result: dict[tuple[int, int], Decimal] = {}
    for chunk in _chunks(list(set(unit_ids))):
        rows = Target.objects.filter(
            indicator_id__in=indicator_ids, unit_id__in=chunk, year=year
        ).values_list("indicator_id", "unit_id", "value")
        result.update(((i, u), v) for i, u, v in rows)
    return result
