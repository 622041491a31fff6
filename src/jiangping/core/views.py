"""The home page: what each role needs first (DESIGN §1)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jiangping.core.periods import default_period
from jiangping.indicators import tables
from jiangping.indicators.comparison import comparison_table
from jiangping.indicators.models import Indicator
from jiangping.indicators.services import FORM, values_for
from jiangping.intake.services import month_counts, month_status
from jiangping.orgs.models import Role
from jiangping.orgs.scope import Scope
from jiangping.tasks.reminders import mark_read, notifications_for
from jiangping.tasks.services import open_tasks, task_counts


@login_required
def home(request):
    user = request.user
    scope = Scope.for_user(user)
    period = default_period()
    is_admin = user.is_superuser or user.role == Role.ADMIN
    context = {"period": period, "is_admin": is_admin, "scope": scope}
    if scope.is_city_office:
        context["queue"] = month_counts(scope, period, FORM)
    if user.role == Role.REPORTER:
        context["submission"] = next(
            (row.submission for row in month_status(scope, period, FORM)
             if row.unit.pk == user.unit_id), None)
        context["filled"] = values_for(scope, units=[user.unit], periods=[period]).count()
        context["indicator_count"] = Indicator.objects.count()
    if scope.is_city_office or user.role == Role.LEADER:
        context["task_counts"] = task_counts(scope)
    if user.role == Role.REPORTER:
        context["open_tasks"] = open_tasks(scope)[:5]
    if user.role == Role.LEADER:
        context["charts"] = _headline_charts(scope, period, user)
    unread = notifications_for(user)
    context["notifications"] = list(unread[:5])
    if context["notifications"]:
        context["unread_count"] = unread.count()
    return render(request, "core/home.html", context)


@login_required
@require_POST
def read_notifications(request):
    """全部标为已读: the home page's notices card."""
    mark_read(request.user)
    return redirect("home")


def _headline_charts(scope: Scope, period: str, user) -> list[dict]:
    """The ranking charts of the first indicator of the catalog, counties and cities."""
    first = Indicator.objects.first()
    if first is None:
        return []
    charts = []
    for tier in ("counties", "cities"):
        # leaders see approved figures by default (DESIGN §10)
        table = comparison_table(scope, period, indicators=[first], tier=tier, approved_only=True)
        own = user.unit_id
        if tier == "cities":
            own = next((r.unit.pk for r in table.rows if r.unit.is_home), None)
        detail = tables.detail(table, first.code, own)
        if detail and table.rows:
            charts.append({"tier": tier, "chart": detail["chart"]})
    return charts
