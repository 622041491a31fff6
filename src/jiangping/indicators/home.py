"""What the indicators app adds to the navigation and the home page: the comparison and
data entry, the city office's month of submissions, a reporting unit's own month, and
the leader's ranking charts."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiangping.core.access import OFFICE, READERS, WRITERS
from jiangping.core.registry import HomeCard, NavEntry, register_card, register_nav
from jiangping.indicators import tables
from jiangping.indicators.comparison import comparison_table
from jiangping.indicators.models import Indicator
from jiangping.indicators.services import FORM, values_for
from jiangping.intake.models import State, Submission
from jiangping.intake.services import month_counts, month_status
from jiangping.orgs.models import Role

ECHARTS = "vendor/echarts/echarts.common.min.js"


def queue_card(request, scope, period):
    """本月数据报送与审核: the month's counters and the units waiting for a decision; kept
    in the page cache until the figures (submissions included) change."""
    if not scope.is_city_office:
        return None
    rows = month_status(scope, period, FORM)
    waiting = [row.unit for row in rows
               if row.submission is not None and row.submission.state == State.SUBMITTED]
    return {"queue": month_counts(scope, period, FORM, rows=rows), "waiting": waiting}


def scope_parts(request, scope, period) -> tuple:
    """What a card showing ``scope``'s figures depends on besides them: the scope."""
    return scope.cache_key


def unit_parts(request, scope, period) -> tuple:
    """What a card showing the user's own unit depends on besides the figures: the unit
    and the day (a submission not yet in turns late, 逾期, with the date)."""
    return (*scope.cache_key, request.user.unit_id,
            timezone.localdate().isoformat())


def own_month_card(request, scope, period):
    """本月指标数据: a reporting unit's submission of the month and how much is filled;
    kept in the page cache until the figures (values, submissions) change."""
    user = request.user
    if user.unit is None:
        return None
    # The unit's own submission (it is in its scope), with the trail that tells an unlock.
    submission = (Submission.objects.filter(unit_id=user.unit_id, period=period, form=FORM)
                  .select_related("unit").prefetch_related("events").first())
    return {
        "submission": submission,
        "filled": values_for(scope, units=[user.unit], periods=[period]).count(),
        "indicator_count": Indicator.objects.count(),
    }


def _ranking_charts(scope, period: str, unit_id: int | None) -> list[dict]:
    first = Indicator.objects.first()
    charts = []
    for tier in ("counties", "cities") if first is not None else ():
        # leaders see approved figures by default (DESIGN §10)
        table = comparison_table(scope, period, indicators=[first], tier=tier,
                                 approved_only=True)
        own = unit_id
        if tier == "cities":
            own = next((r.unit.pk for r in table.rows if r.unit.is_home), None)
        detail = tables.detail(table, first.code, own)
        if detail and table.rows:
            charts.append({"tier": tier, "chart": detail["chart"]})
    return charts


def ranking_card(request, scope, period):
    """指标比较: the links to the month's comparisons and the ranking charts of the first
    indicator of the catalog, among the counties and among the province's cities; kept
    in the page cache until the figures change."""
    return {"charts": _ranking_charts(scope, period, request.user.unit_id)}


register_nav(
    NavEntry("indicators.compare", _("指标比较"), "indicators:compare", roles=READERS,
             order=10),
    NavEntry("indicators.entry", _("数据填报"), "indicators:entry", roles=WRITERS, order=20),
)
register_card(
    HomeCard("indicators.queue", "indicators/_home_queue.html", queue_card, roles=OFFICE,
             order=20, cached=scope_parts),
    HomeCard("indicators.own_month", "indicators/_home_own_month.html", own_month_card,
             roles=frozenset({Role.REPORTER}), order=20, cached=unit_parts),
    HomeCard("indicators.ranking", "indicators/_home_ranking.html", ranking_card,
             roles=frozenset({Role.LEADER}), order=20, scripts=(ECHARTS,),
             cached=unit_parts),
)
