"""The home page: what each role needs first (DESIGN §1)."""

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from jiangping.core.periods import default_period
from jiangping.indicators import tables
from jiangping.indicators.comparison import comparison_table
from jiangping.indicators.models import Indicator
from jiangping.indicators.services import FORM, values_for
from jiangping.intake.history import UNLOCKED, queue_key
from jiangping.intake.models import State
from jiangping.intake.services import MISSING, UnitMonth, month_status
from jiangping.orgs.models import Role
from jiangping.orgs.scope import Scope


@login_required
def home(request):
    user = request.user
    scope = Scope.for_user(user)
    period = default_period()
    is_admin = user.is_superuser or user.role == Role.ADMIN
    context = {"period": period, "is_admin": is_admin, "scope": scope}
    if scope.is_city_office:
        context["queue"] = _queue_summary(month_status(scope, period, FORM))
    if user.role == Role.REPORTER:
        context["submission"] = next(
            (row.submission for row in month_status(scope, period, FORM)
             if row.unit.pk == user.unit_id), None)
        context["filled"] = values_for(scope, units=[user.unit], periods=[period]).count()
        context["indicator_count"] = Indicator.objects.count()
    if user.role == Role.LEADER:
        context["charts"] = _headline_charts(scope, period, user)
    return render(request, "core/home.html", context)


def _queue_summary(rows: list[UnitMonth]) -> list[tuple[str, str, int]]:
    """How many units are in each state (unlocked apart from returned), the units that
    have not filed last."""
    counts = Counter(queue_key(row.submission, row.state) for row in rows)
    summary = []
    for state in State:
        summary.append((state.value, state.label, counts[state.value]))
        if state == State.RETURNED and counts[UNLOCKED]:
            summary.append((UNLOCKED, _("已解锁"), counts[UNLOCKED]))
    summary.append((MISSING, _("未填报"), counts[MISSING]))
    return summary


def _headline_charts(scope: Scope, period: str, user) -> list[dict]:
    """The ranking charts of the first indicator of the catalog, counties and cities."""
    first = Indicator.objects.first()
    if first is None:
        return []
    charts = []
    for tier in ("counties", "cities"):
        table = comparison_table(scope, period, indicators=[first], tier=tier)
        own = user.unit_id
        if tier == "cities":
            own = next((r.unit.pk for r in table.rows if r.unit.is_home), None)
        detail = tables.detail(table, first.code, own)
        if detail and table.rows:
            charts.append({"tier": tier, "chart": detail["chart"]})
    return charts
