"""The gazetteer of unit names (单位名录) for speech decomposition, built from the org
registry; used by ``jiangping tasks propose`` and the speech page."""

from __future__ import annotations

from django.db import DatabaseError
from django.db.models import Q

from jiangping.orgs.models import Level, OrgUnit
from jiangping.tasks.proposals import Gazetteer

GAZETTEER_LEVELS = (Level.COUNTY, Level.DEPARTMENT, Level.TOWNSHIP)


def registry_gazetteer() -> Gazetteer:
    """Unit names of the home city's subtree (county-level units, departments, townships)
    as the rules of :mod:`jiangping.tasks.proposals` read them. Without a database
    (not yet migrated) only the generic unit forms are recognised."""
    try:
        home = OrgUnit.objects.filter(is_home=True).first()
        units = OrgUnit.objects.filter(level__in=GAZETTEER_LEVELS)
        if home:
            units = units.filter(Q(path__startswith=home.path) | Q(level=Level.DEPARTMENT))
        return Gazetteer.build(list(units.values_list("name", "short_name", "synonyms")))
    except DatabaseError:
        return Gazetteer.build([])
