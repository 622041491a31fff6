"""Which unit-months a scope may not write (数据锁定), and the writers' locks of values.

A unit's values of a period are locked by the ``indicators`` submission of that period,
of the unit or of any unit above it: approved locks them for everybody until the city
office unlocks it, submitted for the reporting units during the review. Writers of the
same unit-months wait for each other (:func:`serialise_writes`). Used by the actions of
:mod:`jiangping.indicators.services`, which re-exports these names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _

from jiangping.core.periods import period_label
from jiangping.intake.locks import serialise
from jiangping.intake.models import State, Submission
from jiangping.orgs.models import OrgUnit
from jiangping.orgs.scope import Scope

FORM = "indicators"
IN_CHUNK = 900


def write_locks(
    scope: Scope, units: Mapping[int, object], periods: Iterable[str]
) -> dict[tuple[int, str], str]:
    """Why ``scope`` may not write each locked (unit id, period) pair (数据锁定), set-based.

    ``units`` maps unit ids to units (anything with ``name`` and ``path``). A pair is
    locked by the ``indicators`` submission of that period of the unit itself or of
    any unit above it (approving a county locks its townships and villages): approved
    locks it for everybody, submitted for everybody but the city office.
    """
    periods = list(set(periods))
    chains = {unit_id: _ancestor_ids(unit.path) for unit_id, unit in units.items()}
    below: dict[int, list[int]] = {}
    for unit_id, chain in chains.items():
        for ancestor in chain:
            below.setdefault(ancestor, []).append(unit_id)
    states = [State.APPROVED] if scope.is_city_office else [State.APPROVED, State.SUBMITTED]
    found = []
    for chunk in _chunked(list(below)):
        found += Submission.objects.filter(
            form=FORM, state__in=states, unit_id__in=chunk, period__in=periods
        ).values_list("unit_id", "period", "state", "unit__name")
    locks: dict[tuple[int, str], str] = {}
    # approved last, so that its reason wins over a submission below it
    for owner_id, period, state, owner in sorted(found, key=lambda row: row[2] == State.APPROVED):
        for unit_id in below[owner_id]:
            locks[unit_id, period] = _lock_message(units[unit_id].name, owner, period, state,
                                                   scope.is_city_office)
    return locks


def _ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _lock_message(unit: str, owner: str, period: str, state: str, office: bool) -> str:
    """Why a unit's month is locked and whom to turn to: the city office, which unlocks,
    is sent to the queue; everybody else to the city office (市督查室)."""
    names = {"unit": unit, "owner": owner, "period": period_label(period)}
    if state == State.APPROVED:
        if unit == owner:
            locked = _("“%(unit)s”%(period)s的指标数据已审核锁定") % names
        else:
            locked = _("“%(unit)s”%(period)s的指标数据已随“%(owner)s”的填报审核锁定") % names
        if office:
            return locked + _("，请先在“审核”页面解锁“%(owner)s”%(period)s的报送。") % names
        return locked + _("；如需修改，请联系市督查室解锁。")
    if unit == owner:
        return _("“%(unit)s”%(period)s的指标数据已报送，审核期间不能修改；"
                 "如需修改，请联系市督查室退回。") % names
    return _("“%(unit)s”%(period)s的指标数据已随“%(owner)s”的填报报送，审核期间不能修改；"
             "如需修改，请联系市督查室退回。") % names


def write_lock(scope: Scope, unit: OrgUnit, period: str) -> str | None:
    """Why ``scope`` may not change ``unit``'s values of ``period`` now, or ``None``."""
    return write_locks(scope, {unit.pk: unit}, [period]).get((unit.pk, period))


def serialise_writes(units: Mapping[int, object], pairs: Iterable[tuple[int, str]]) -> None:
    """Hold, until the transaction commits, the right to write the (unit id, period)
    ``pairs`` (:func:`jiangping.intake.locks.serialise`): taken before the lock check and
    before stored values are read, so that neither changes under the write."""
    pairs = set(pairs)
    above = {(ancestor, period) for unit_id, period in pairs
             for ancestor in _ancestor_ids(units[unit_id].path) if ancestor != unit_id}
    serialise(FORM, pairs, above)


def _chunked(items: list, size: int = IN_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]
