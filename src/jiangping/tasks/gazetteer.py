"""The gazetteer of unit names (单位名录) for speech decomposition, built from the org
registry, and the registry units a proposal maps to; used by ``jiangping tasks propose``,
the speech page, the propose API and the demo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import DatabaseError
from django.db.models import Q

from jiangping.core import database
from jiangping.orgs.models import Level, OrgUnit, UnitGroup, home_city
from jiangping.tasks.proposals import Gazetteer, Proposal, UnitEntry, propose
from jiangping.tasks.speech import Row, row_of

GAZETTEER_LEVELS = (Level.CITY, Level.COUNTY, Level.DEPARTMENT, Level.TOWNSHIP)


def unit_entries(units: Iterable[OrgUnit]) -> list[UnitEntry]:
    """The extractor's view of ``units``: each with its level and, for a department or
    township under a county-level unit, that unit's full name (found on the path)."""
    units = list(units)
    counties = dict(OrgUnit.objects.filter(level=Level.COUNTY).values_list("pk", "name"))
    entries = []
    for unit in units:
        county = ""
        if unit.level in (Level.DEPARTMENT, Level.TOWNSHIP):
            ancestors = [int(pk) for pk in unit.path.strip("/").split("/")[:-1] if pk]
            county = next((counties[pk] for pk in reversed(ancestors) if pk in counties), "")
        entries.append(UnitEntry(unit.name, unit.short_name, unit.synonyms, unit.level, county))
    return entries


def registry_gazetteer() -> Gazetteer:
    """Unit names of the home city's subtree (the city, county-level units, departments,
    townships) with their levels, as the rules of :mod:`jiangping.tasks.proposals` read
    them. Without a database (not yet migrated) only the forms of unit names are
    recognised; a SQLite file not created yet is left uncreated."""
    if not database.exists():
        return Gazetteer.build([])
    try:
        home = home_city()
        units = OrgUnit.objects.filter(level__in=GAZETTEER_LEVELS)
        if home:
            units = units.filter(Q(path__subtree=home.path) | Q(level=Level.DEPARTMENT))
        else:
            units = units.exclude(level=Level.CITY)
        return Gazetteer.build(unit_entries(units))
    except DatabaseError:
        return Gazetteer.build([])


def current_calendar():
    """The working-day calendar the office keeps (``jiangping.tasks.holidays``) when that
    module is installed, else None (the default calendar)."""
    try:
        from jiangping.tasks.holidays import current_calendar as kept
    except ImportError:
        return None
    try:
        return kept()
    except DatabaseError:
        return None


def registry_rows(proposals: Sequence[Proposal], units: Iterable[OrgUnit]) -> list[Row]:
    """The confirmation rows of ``proposals`` against ``units`` (the assignable units):
    names and short names map to their unit, 各县(市、区) to every county-level unit but
    the functional zones, as :func:`jiangping.tasks.speech.row_of` describes."""
    by_name: dict[str, int] = {}
    counties = []
    for unit in units:
        by_name.setdefault(unit.short_name, unit.pk)
        by_name[unit.name] = unit.pk
        if unit.level == Level.COUNTY and unit.group != UnitGroup.ZONE:
            counties.append(unit.pk)
    by_name.pop("", None)
    return [row_of(proposal, by_name, counties) for proposal in proposals]


def propose_json(text: str, day: dt.date, home: str | None = None
                 ) -> tuple[list[Proposal], dict]:
    """The proposals of ``text`` against the registry for a meeting on ``day``, and their
    ``tasks propose`` JSON (DESIGN §13) as given by the CLI and the API. ``home`` is the
    full name of the unit whose text it is (None: inferred from the text)."""
    _normal, proposals = propose(text, day, registry_gazetteer(), home=home,
                                 calendar=current_calendar())
    return proposals, {"date": day.isoformat(), "tasks": [p.as_dict() for p in proposals]}
