"""What the orgs app adds to the home page: a village cadre's own area (驻村工作区).

The poverty register (households, visits, measures) will add its own cards for the
cadre's villages; until then this card says where the cadre works and what the area
will hold, so that a cadre's home page is never blank.
"""


from jiangping.core.registry import HomeCard, register_card
from jiangping.orgs.models import Role


def area_card(request, scope, period):
    """驻村工作区: the cadre's unit with the units above it, and those below it."""
    unit = request.user.unit
    if unit is None:
        return None
    chain = [unit]
    while chain[-1].parent_id is not None and chain[-1].parent.parent_id is not None:
        chain.append(chain[-1].parent)
    return {"area": unit, "chain": chain[::-1], "below": list(scope.units().exclude(pk=unit.pk))}


register_card(HomeCard("orgs.area", "orgs/_home_area.html", area_card,
                       roles=frozenset({Role.CADRE}), order=20))
