"""Figures changed under a writer's eyes (数据冲突): a person saves what they changed on
a page loaded earlier; a value someone else changed since is refused, never overwritten.
Checked by :mod:`jiangping.indicators.services` under the writers' lock."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from jiangping.indicators import bulk
from jiangping.indicators.models import Indicator
from jiangping.intake.normalize import fit_decimal


class Conflict(ValidationError):
    """Figures changed by someone else since the writer loaded them (数据冲突): nothing
    is written. ``current`` maps each conflicting (indicator id, unit id, period) to the
    value stored now (``None``: none)."""

    def __init__(self, messages: list[str], current: dict[tuple[int, int, str], Decimal | None]):
        super().__init__(messages)
        self.current = current


def _same(stored: Decimal | None, seen: Decimal | None) -> bool:
    if stored is None or seen is None:
        return stored is None and seen is None
    return bulk.unchanged(stored, fit_decimal(seen))


def _shown(value: Decimal | None) -> str:
    return _("空") if value is None else f"{value.normalize():f}"


def conflict_message(name: str, seen: Decimal | None, now: Decimal | None) -> str:
    return _("“%(indicator)s”已被他人修改（您看到的是 %(seen)s，现为 %(now)s），"
             "本项未保存；请核对后重新填写。") % {
        "indicator": name, "seen": _shown(seen), "now": _shown(now)}


def find_conflicts(seen: Mapping[tuple[int, int, str], Decimal | None]
                   ) -> dict[tuple[int, int, str], Decimal | None]:
    """The keys (indicator id, unit id, period) whose stored value is no longer the one
    seen, with the value stored now; run under
    :func:`~jiangping.indicators.services.serialise_writes`."""
    with connection.cursor() as cursor:
        stored = bulk.stored_values(cursor, list(seen))
    return {key: stored.get(key) for key, value in seen.items()
            if not _same(stored.get(key), value)}


def check_expected(unit, period: str, seen: Mapping[Indicator, Decimal | None]) -> None:
    """Refuse (:class:`Conflict`) unless each indicator's stored value of ``unit`` and
    ``period`` is still the one the writer saw."""
    indicators = {(ind.pk, unit.pk, period): ind for ind in seen}
    current = find_conflicts({key: seen[ind] for key, ind in indicators.items()})
    if current:
        raise Conflict([conflict_message(indicators[key].name, seen[indicators[key]], now)
                        for key, now in current.items()], current)
