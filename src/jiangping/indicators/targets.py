"""Annual targets (年度目标): indicator × unit × year, set by the city office.

Actions that write targets (one or a batch, serialised with other writers of the same unit
and year) and the reads every page and the API use. A target is a Decimal in the
indicator's unit of measure, above zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jiangping.core.pagecache import figures_changed
from jiangping.indicators import bulk
from jiangping.indicators.models import Indicator, Target
from jiangping.indicators.services import (
    BATCH_SIZE,
    _chunks,
    _decimal,
    _load_units,
    _pk,
)
from jiangping.intake.locks import serialise
from jiangping.orgs.models import OrgUnit
from jiangping.orgs.scope import Scope

TARGETS = "targets"  # the writers' lock of annual targets (unit, year)


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
    require_target_write(scope, unit)
    year = _year(year)
    with transaction.atomic():
        serialise(TARGETS, [(unit.pk, str(year))])
        key = {"indicator": indicator, "unit": unit, "year": year}
        if value is None:
            Target.objects.filter(**key).delete()
            return None
        obj, _created = Target.objects.update_or_create(
            **key, defaults={"value": clean_target(value)}
        )
        return obj


def require_target_write(scope: Scope, unit: OrgUnit) -> None:
    """Refuse (PermissionDenied) unless ``scope`` may set ``unit``'s targets: city office."""
    if not scope.can_write:
        raise PermissionDenied(_("当前角色只能查看，不能修改数据。"))
    if not scope.is_city_office:
        raise PermissionDenied(_("年度目标由市级管理员下达。"))
    scope.require_write(unit)


def clean_target(value) -> Decimal:
    """An annual target as stored; refused unless above zero (完成率 divides by it)."""
    result = _decimal(value)
    if result <= 0:
        raise ValidationError(_("年度目标“%(value)s”须大于零。") % {"value": value})
    return result


def _year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 1900 <= year <= 2999:
        raise ValidationError(_("年度“%(year)s”不正确。") % {"year": year})
    return year


def _checked_targets(scope: Scope, rows: Iterable[Sequence]) -> dict[tuple[int, int, int],
                                                                     Decimal]:
    """The latest target of each (indicator id, unit id, year) of ``rows``, once the
    numbers, years, units and the scope's right to write them are checked."""
    latest: dict[tuple[int, int, int], Decimal] = {}
    for indicator, unit, year, value in rows:
        if value is not None:
            latest[(_pk(indicator), _pk(unit), _year(year))] = clean_target(value)
    if not latest:
        return latest
    unit_ids = {key[1] for key in latest}
    units = _load_units(unit_ids)
    if unit_ids - units.keys():
        raise ValidationError(
            _("组织机构不存在：%(ids)s") % {"ids": sorted(unit_ids - units.keys())}
        )
    for unit in units.values():
        require_target_write(scope, unit)
    return latest


def _stored_targets(keys: list[tuple[int, int, int]]) -> dict[tuple[int, int, int], Decimal]:
    found = Target.objects.filter(
        indicator_id__in={k[0] for k in keys},
        unit_id__in={k[1] for k in keys},
        year__in={k[2] for k in keys},
    ).values_list("indicator_id", "unit_id", "year", "value")
    return {(i, u, y): v for i, u, y, v in found}


def upsert_targets(scope: Scope, rows: Iterable[Sequence], *, user=None) -> tuple[int, int]:
    """Insert or update many annual targets (批量下达目标); returns ``(created, updated)``.

    ``rows`` are ``(indicator, unit, year, value)``; ``user`` is accepted for the
    audit trail of callers and not stored on targets. Targets equal to the stored ones
    are left alone and counted neither created nor updated. The rows are checked before
    the transaction that locks and writes.
    """
    latest = _checked_targets(scope, rows)
    if not latest:
        return 0, 0
    created = updated = 0
    with transaction.atomic():
        serialise(TARGETS, {(unit_id, str(year)) for _i, unit_id, year in latest})
        now = timezone.now()
        for batch in _chunks(list(latest), BATCH_SIZE):
            stored = _stored_targets(batch)
            writes = [key for key in batch if not bulk.unchanged(stored.get(key), latest[key])]
            Target.objects.bulk_create(
                [Target(indicator_id=i, unit_id=u, year=y, value=latest[i, u, y], updated=now)
                 for i, u, y in writes],
                update_conflicts=True, unique_fields=["indicator", "unit", "year"],
                update_fields=["value", "updated"],
            )
            changed = sum(1 for key in writes if key in stored)
            updated += changed
            created += len(writes) - changed
        if created or updated:
            figures_changed()
    return created, updated


def preview_targets(scope: Scope, rows: Iterable[Sequence]) -> tuple[int, int]:
    """What :func:`upsert_targets` would do with ``rows`` (试运行), by reading only: the
    same refusals and ``(created, updated)``; takes no lock and writes nothing."""
    latest = _checked_targets(scope, rows)
    created = updated = 0
    for batch in _chunks(list(latest), BATCH_SIZE):
        stored = _stored_targets(batch)
        for key in batch:
            before = stored.get(key)
            if before is None:
                created += 1
            elif not bulk.unchanged(before, latest[key]):
                updated += 1
    return created, updated


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

