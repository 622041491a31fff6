"""What the reviews app adds to the navigation and the home page: 考核排名, and the latest
published ranking — each group's first places and the lists for the city office and the
leaders (the leader dashboard), a unit's own score, rank and gap for the units."""

from django.utils.translation import gettext_lazy as _

from jiangping.core.access import READERS
from jiangping.core.registry import HomeCard, NavEntry, register_card, register_nav
from jiangping.reviews.models import Run, Status

LISTED = 3


def ranking_card(request, scope, period):
    """考核排名: the latest published month — the first units of each group and the red and
    black lists; a unit's own line for a unit's users. Rendered once per unit and kept
    in the page cache (the result of every unit is not read on each home page)."""
    latest = (Run.objects.filter(status=Status.PUBLISHED).order_by("-period", "-version")
              .values("pk", "period").first())
    if latest is None:
        return None
    return {"run": latest, **_summary(latest["pk"], _own_code(request))}


def _own_code(request) -> str | None:
    return getattr(getattr(request.user, "unit", None), "code", None)


def ranking_parts(request, scope, period) -> tuple:
    """What the card depends on besides the published versions (a version computed or
    published changes the figures version): the user's unit, whose line it shows."""
    return (_own_code(request),)


def _summary(pk: int, own_code: str | None) -> dict:
    result = Run.objects.values_list("result", flat=True).get(pk=pk)
    units = result["units"]
    names = {u["unit"]: u["name"] for u in units}
    own = next((u for u in units if u["unit"] == own_code), None)
    groups: dict[str, list[dict]] = {}
    for unit in units:
        if unit["rank"] is not None and unit["rank"] <= LISTED:
            groups.setdefault(unit["group"], []).append(unit)
    order = list(dict.fromkeys(u["group"] for u in units))
    return {
        "own": own, "groups": sorted(groups.items(), key=lambda g: order.index(g[0])),
        "red": "、".join(names[c] for c in result.get("red_list", [])),
        "black": "、".join(names[c] for c in result.get("black_list", [])),
    }


register_nav(
    NavEntry("reviews.page", _("考核排名"), "reviews:page", roles=READERS, order=50,
             current=("reviews:",)),
)
register_card(
    HomeCard("reviews.ranking", "reviews/_home_ranking.html", ranking_card, roles=READERS,
             order=30, cached=ranking_parts),
)
