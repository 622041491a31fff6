"""The home page: what each role needs first (DESIGN §1)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import gettext as _

from jiangping.core.periods import default_period
from jiangping.indicators import tables
from jiangping.indicators.comparison import comparison_table
from jiangping.indicators.models import Indicator, Value
from jiangping.indicators.services import FORM
from jiangping.intake.models import State, Submission
from jiangping.orgs.models import Level, Role
from jiangping.orgs.scope import Scope


@login_required
def home(request):
    user = request.user
    scope = Scope.for_user(user)
    period = default_period()
    is_admin = user.is_superuser or user.role == Role.ADMIN
    context = {"period": period, "is_admin": is_admin, "scope": scope}
    if scope.is_city_office:
        context["queue"] = _queue_summary(scope, period)
    if user.role == Role.REPORTER:
        context["submission"] = Submission.objects.filter(
            unit=user.unit, period=period, form=FORM).first()
        context["filled"] = Value.objects.filter(unit=user.unit, period=period).count()
        context["indicator_count"] = Indicator.objects.count()
    if user.role == Role.LEADER:
        context["charts"] = _headline_charts(scope, period, user)
    return render(request, "core/home.html", context)


def _queue_summary(scope: Scope, period: str) -> list[tuple[str, str, int]]:
    counts = dict(
        scope.filter(Submission.objects.filter(period=period, form=FORM))
        .values_list("state").annotate(n=Count("id")).order_by()
    )
    missing = (
        scope.units().filter(level=Level.COUNTY)
        .exclude(submissions__period=period, submissions__form=FORM).count()
    )
    summary = [(state.value, state.label, counts.get(state.value, 0)) for state in State]
    summary.append(("missing", _("未填报"), missing))
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
