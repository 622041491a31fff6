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
from jiangping.tasks.forms import assignable_units
from jiangping.tasks.proposals import Gazetteer, Proposal, UnitEntry, propose
from jiangping.tasks.speech import Row, row_of
from jiangping.tasks.speech import proposal_units as speech_mentions

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
    """The working-day calendar the office keeps (:mod:`jiangping.tasks.holidays`; the
    package's calendar without a database)."""
    from jiangping.tasks.holidays import current_calendar as kept

    if not database.exists():  # a SQLite file not created yet is left uncreated
        return None
    try:
        return kept()
    except DatabaseError:
        return None


def speech_units(proposals: Sequence[Proposal], home: OrgUnit | None = None) -> list[OrgUnit]:
    """The units the speech page's pickers offer: the assignable ones (county-level
    units and city departments), every unit a mention resolved to or was likely to be,
    and, for a county's text, that county's departments and townships. Parents are
    loaded (the pickers name a county's units after their county)."""
    names = {name for proposal in proposals for mention in speech_mentions(proposal)
             for name in (mention.get("unit"), *mention.get("candidates", ())) if name}
    wanted = Q(pk__in=assignable_units().values("pk")) | Q(
        name__in=names, level__in=(Level.COUNTY, Level.DEPARTMENT, Level.TOWNSHIP))
    if home is not None and home.level == Level.COUNTY:
        wanted |= Q(parent=home, level__in=(Level.DEPARTMENT, Level.TOWNSHIP))
    order = {Level.COUNTY: 0, Level.DEPARTMENT: 1, Level.TOWNSHIP: 2}
    units = OrgUnit.objects.filter(wanted).select_related("parent")
    return sorted(units, key=lambda u: (u.parent.level != Level.CITY if u.parent else True,
                                        order.get(u.level, 3), u.sort_order, u.code))


def registry_rows(proposals: Sequence[Proposal], units: Iterable[OrgUnit],
                  home: OrgUnit | None = None) -> list[Row]:
    """The confirmation rows of ``proposals`` against ``units`` (the units the rows can
    assign), as :func:`jiangping.tasks.speech.row_of` describes: 各县(市、区) stands for
    every county-level unit but the functional zones, 各开发区 for the zones, and 各乡镇
    for the townships of ``home`` when the text is a county's."""
    by_name: dict[str, int] = {}
    collectives: dict[str, list[int]] = {"counties": [], "zones": [], "townships": []}
    for unit in units:
        by_name[unit.name] = unit.pk
        if unit.level == Level.COUNTY:
            collectives["zones" if unit.group == UnitGroup.ZONE else "counties"].append(unit.pk)
        elif (unit.level == Level.TOWNSHIP and home is not None
              and home.level == Level.COUNTY and unit.parent_id == home.pk):
            collectives["townships"].append(unit.pk)
    return [row_of(proposal, by_name, collectives) for proposal in proposals]


def propose_json(text: str, day: dt.date, home: str | None = None
                 ) -> tuple[list[Proposal], dict]:
    """The proposals of ``text`` against the registry for a meeting on ``day``, and their
    ``tasks propose`` JSON (DESIGN §13) as given by the CLI and the API. ``home`` is the
    full name of the unit whose text it is (None: inferred from the text)."""
    _normal, proposals = propose(text, day, registry_gazetteer(), home=home,
                                 calendar=current_calendar())
    return proposals, {"date": day.isoformat(), "tasks": [p.as_dict() for p in proposals]}
