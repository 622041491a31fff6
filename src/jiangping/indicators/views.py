"""Pages of the indicators app: the month's comparison (指标比较) and a unit's data entry
(数据填报). Views read the query, call the services and render; nothing is computed here."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiangping.core.access import READERS, roles_allowed
from jiangping.core.pagecache import cached_fragment
from jiangping.core.periods import (
    data_periods,
    default_period,
    has_ended,
    offered_periods,
    period_label,
    reporting_periods,
)
from jiangping.core.text import join_sentences
from jiangping.indicators import approval, services, tables
from jiangping.indicators import warnings as plausibility_warnings
from jiangping.indicators.comparison import comparison_table
from jiangping.indicators.forms import CompareQuery, EntryQuery, ValuesForm
from jiangping.indicators.formulas import previous_period
from jiangping.indicators.imports import REPORTING_LEVELS
from jiangping.indicators.models import Indicator
from jiangping.intake import services as intake
from jiangping.intake.models import Submission
from jiangping.orgs.models import OrgUnit
from jiangping.orgs.scope import Scope

TIER_LABELS = {"counties": gettext_lazy("县（市、区）"), "cities": gettext_lazy("全省各市")}


def _query_error(request, form, template="indicators/bad_query.html"):
    errors = [e for field in form.errors.values() for e in field]
    return render(request, template, {"errors": errors}, status=400)


@roles_allowed(READERS)
def compare(request):
    """Units × indicators for one month, one indicator in full, and its ranking chart.

    The body (or the focus panel an htmx request asks for) is rendered once per month,
    scope and options and kept in the cache until the figures change
    (:mod:`jiangping.core.pagecache`): the morning of the review, the same table is
    asked for by everybody."""
    scope = Scope.for_user(request.user)
    catalog = list(Indicator.objects.only("code", "name", "unit", "sort_order"))
    query = CompareQuery(request.GET, codes=[i.code for i in catalog])
    if not query.is_valid():
        return _query_error(request, query)
    period = query.cleaned_data["period"] or default_period()
    tier = query.cleaned_data["tier"] or "counties"
    chosen = query.cleaned_data["ind"]
    can_choose = approval.may_choose_shown(request.user, scope)
    show = approval.shown_set(request.user, scope, query.cleaned_data["show"])
    target = request.headers.get("HX-Target")
    fragment = ("indicators/_focus.html" if target == "focus-panel"
                else "indicators/_compare_body.html")
    # Everything the fragment depends on besides the figures and the language.
    parts = (fragment, period, tier, tuple(chosen), show, query.cleaned_data["focus"],
             can_choose, scope.root_path, request.user.unit_id, target == "focus-panel")

    def render_fragment() -> str:
        context = _compare_context(scope, catalog, period, tier, chosen, show, can_choose,
                                   query.cleaned_data["focus"], request.user, target)
        return render_to_string(fragment, context, request)

    body = cached_fragment("compare", parts, render_fragment)
    if target in ("focus-panel", "compare-body"):
        return HttpResponse(body)
    return render(request, "indicators/compare.html", {"body": body})


def _compare_context(scope, catalog, period, tier, chosen, show, can_choose, focus, user,
                     target) -> dict:
    table = comparison_table(scope, period, indicators=chosen or None, tier=tier,
                             approved_only=show == approval.SHOW_APPROVED)
    codes = [c.indicator.code for c in table.columns]
    if focus not in codes:
        focus = codes[0] if codes else None
    own = _own_row(table, user)
    picked = [("ind", c) for c in chosen]
    if can_choose:
        picked.append(("show", show))
    base_qs = urlencode([("period", period), ("tier", tier), *picked])
    kept = [("focus", focus)] if focus else []
    return {
        "period": period,
        "periods": offered_periods(period),
        "tier": tier,
        "tiers": TIER_LABELS,
        "tier_links": {
            t: "?" + urlencode([("period", period), ("tier", t), *picked, *kept])
            for t in TIER_LABELS
        },
        "all_link": "?" + urlencode([("period", period), ("tier", tier),
                                     *[p for p in picked if p[0] == "show"], *kept]),
        "show": show,
        "approved_only": show == approval.SHOW_APPROVED,
        "can_choose_shown": can_choose,
        "catalog": catalog,
        "chosen": set(chosen),
        "focus": focus,
        "base_qs": base_qs,
        "table": table,
        "overview": tables.overview(table, focus, own),
        "detail": tables.detail(table, focus, own) if focus else None,
        # A focus-panel swap also refreshes the toolbar's focus and tier links (hx-swap-oob),
        # so a later change of month or tier keeps the chosen indicator.
        "oob": target == "focus-panel",
    }


def _own_row(table, user) -> int | None:
    """The row to highlight: the user's own unit, or the home city among the cities."""
    if table.tier == "cities":
        return next((r.unit.pk for r in table.rows if r.unit.is_home), None)
    return user.unit_id


def _entry_units(scope: Scope):
    return scope.units().filter(level__in=REPORTING_LEVELS).order_by("level", "sort_order", "code")


def _entry_unit(scope: Scope, user, code: str) -> OrgUnit:
    if code:
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            raise Http404(_("单位不存在。"))
        scope.require_read(unit)
        return unit
    if user.unit is not None and user.unit.level in REPORTING_LEVELS:
        return user.unit
    unit = _entry_units(scope).first()
    if unit is None:
        raise Http404(_("没有可填报的单位。"))
    return unit


@roles_allowed(READERS)
def entry(request):
    """A unit's values for one month: prefilled, saved through the service, then submitted."""
    scope = Scope.for_user(request.user)
    query = EntryQuery(request.GET)
    if not query.is_valid():
        return _query_error(request, query)
    unit = _entry_unit(scope, request.user, query.cleaned_data["unit"])
    period = query.cleaned_data["period"] or default_period()
    submission = Submission.objects.filter(unit=unit, period=period, form=services.FORM).first()
    lock = services.write_lock(scope, unit, period) if scope.can_write else None
    if lock is None and scope.can_write and not has_ended(period):
        lock = _("%(period)s尚未结束，月份结束后才能填报该月数据。") % {
            "period": period_label(period)}
    locked = submission is not None and submission.locked
    editable = scope.can_write and scope.contains(unit) and lock is None
    indicators = list(Indicator.objects.all())
    current = _values(scope, unit, period)
    previous = _values(scope, unit, previous_period(period))

    form = ValuesForm(request.POST or None, indicators=indicators, current=current,
                      previous=previous, editable=editable,
                      warnings=_warnings(unit, period, indicators)
                      if current and request.method != "POST" else None)
    if request.method == "POST":
        if not editable:
            if lock is not None:
                messages.error(request, lock)
                return redirect(_entry_url(unit, period))
            raise PermissionDenied(_("当前角色只能查看，不能修改数据。"))
        if form.is_valid():
            changed = form.save(scope, unit=unit, period=period, user=request.user)
            if changed is not None:
                if "submit" in request.POST:
                    _submit(request, scope, unit, period)
                else:
                    messages.success(request, _("已保存 %(n)s 项数据。") % {"n": changed})
                return redirect(_entry_url(unit, period))
        if form.conflicts:
            messages.error(request, _(
                "%(n)s 项数据在您打开页面后已被他人修改，本次未保存任何数据；"
                "请核对标出的数值后再保存。") % {"n": form.conflicts})
        else:
            messages.error(request, _("保存失败，请按提示修改后重试。"))
    return render(request, "indicators/entry.html", {
        "form": form,
        "unit": unit,
        # The city office and read-only roles (leaders) look at any unit they may read.
        "units": _entry_units(scope) if scope.is_city_office or scope.root_path is None
        or not scope.can_write else None,
        "read_only": not scope.can_write,
        "period": period,
        "periods": _entry_periods(unit, period),
        "submission": submission,
        "locked": locked,
        "lock": lock,
        "editable": editable,
        "approved": approval.unit_month_approved(unit, period) if current else True,
        "unlock_url": _queue_row_url(unit, period) if scope.is_city_office else None,
    }, status=400 if request.method == "POST" else 200)


def _warnings(unit: OrgUnit, period: str, indicators) -> dict[int, list[str]]:
    """The plausibility warnings of the unit's stored figures of the month, by indicator:
    shown beside each value, never blocking the save."""
    found = plausibility_warnings.warnings_for([unit.pk], period, indicators)
    by_id = {ind.pk: ind for ind in indicators}
    return {indicator_id: [plausibility_warnings.message(w, by_id[indicator_id]) for w in ws]
            for (indicator_id, _unit), ws in found.items()}


def _submit(request, scope: Scope, unit: OrgUnit, period: str) -> None:
    try:
        submission = intake.open_submission(scope, unit, period, services.FORM, request.user)
        intake.submit(scope, submission, request.user)
    except ValidationError as error:
        messages.error(request, join_sentences(error.messages))
    else:
        messages.success(request, _("已报送，等待市级审核。"))


def _values(scope: Scope, unit: OrgUnit, period: str) -> dict:
    rows = services.values_for(scope, units=[unit], periods=[period])
    return dict(rows.values_list("indicator_id", "value"))


def _entry_periods(unit: OrgUnit, period: str) -> list[str]:
    """The months to report (up to the latest complete one), any month with data or with a
    submission, and the month shown, newest first. Submissions are read through indexes:
    those of the months after the newest with data, and the unit's own; not every unit's
    submission of every month, which the months with data already hold."""
    newest = max(data_periods(), default="")
    forms = Submission.objects.filter(form=services.FORM)
    recent = forms.filter(period__gt=newest).values_list("period", flat=True)
    own = forms.filter(unit=unit).values_list("period", flat=True)
    return reporting_periods(recent, own, [period])


def _entry_url(unit: OrgUnit, period: str) -> str:
    return reverse("indicators:entry") + "?" + urlencode({"period": period, "unit": unit.code})


def _queue_row_url(unit: OrgUnit, period: str) -> str:
    """The unit's row of the month's approval queue, where the city office unlocks."""
    return (reverse("intake:queue") + "?" + urlencode({"period": period})
            + f"#row-{unit.code}")
