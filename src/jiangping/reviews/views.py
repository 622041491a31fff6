"""Pages of the monthly review (讲评): the ranking by group with each unit's items, a
unit's scorecard with explanations and its gap analysis, the year's result from the
published months (年度结果), and computing and publishing the month (the city office,
seeing the difference first)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiangping.core.access import OFFICE, READERS, roles_allowed
from jiangping.core.periods import default_period, offered_periods
from jiangping.orgs.models import OrgUnit
from jiangping.orgs.scope import Scope
from jiangping.reviews import services
from jiangping.reviews.models import Exemption, Run, Status
from jiangping.reviews.scheme import KIND_NAMES

PERIOD = r"^\d{4}-(0[1-9]|1[0-2])$"


class PeriodQuery(forms.Form):
    period = forms.RegexField(regex=PERIOD, required=False,
                              error_messages={"invalid": "期间应为 YYYY-MM。"})


def _period(request) -> str:
    query = PeriodQuery(request.GET or request.POST)
    if not query.is_valid():
        raise Http404(_("期间无效。"))
    return query.cleaned_data["period"] or default_period()


def _groups(run: Run) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = {}
    for unit in run.result["units"]:
        groups.setdefault(unit["group"], []).append(unit)
    return list(groups.items())


def _names(run: Run, codes: list[str]) -> str:
    names = {u["unit"]: u["name"] for u in run.result["units"]}
    return "、".join(names.get(code, code) for code in codes)


def _lists(run: Run) -> list[tuple[str, str]]:
    shown = [(_("红榜"), run.result.get("red_list", [])),
             (_("黑榜"), run.result.get("black_list", [])),
             (_("流动红旗"), run.result.get("lists", {}).get("red_flag", [])),
             (_("黄旗"), run.result.get("lists", {}).get("yellow_flag", [])),
             (_("表态发言"), run.result.get("speakers", [])),
             (_("约谈"), run.result.get("lists", {}).get("escalation", []))]
    return [(label, _names(run, codes)) for label, codes in shown if codes]


@roles_allowed(READERS)
def review_page(request):
    """考核排名: the month's ranking by group; the city office also sees the draft."""
    scope = Scope.for_user(request.user)
    period = _period(request)
    run = services.visible_run(scope, period)
    published = Run.objects.filter(period=period, status=Status.PUBLISHED) \
        .order_by("-version").first()
    own = request.user.unit.code if getattr(request.user, "unit", None) else None
    groups = [(name, units, json.dumps(services.ranking_chart(run, name, own),
                                       ensure_ascii=False))
              for name, units in _groups(run)] if run else []
    return render(request, "reviews/review.html", {
        "period": period, "periods": offered_periods(period), "run": run,
        "published": published, "groups": groups,
        "lists": _lists(run) if run else [], "can_compute": scope.is_city_office,
        "own": own,
        "exemptions": (Exemption.objects.filter(period=period).select_related("unit")
                       if scope.is_city_office else []),
        "units": ([(u["unit"], u["name"]) for u in run.result["units"]]
                  if run and scope.is_city_office else []),
    })


class YearQuery(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)


MISSING_REASONS = {"absent": gettext_lazy("未参加考核"), "excluded": gettext_lazy("不参与排名"),
                   "unpublished": gettext_lazy("未发布")}


@roles_allowed(READERS)
def year_page(request):
    """年度结果: the published months of the year combined by the scheme's weights; like
    published months, seen by every user."""
    query = YearQuery(request.GET)
    if not query.is_valid():
        raise Http404(_("年度无效。"))
    year = query.cleaned_data["year"] or int(default_period()[:4])
    try:
        data = services.year_result(year)
    except ValidationError as error:
        data, problem = None, " ".join(error.messages)
    else:
        problem = ""
    groups: dict[str, list[dict]] = {}
    for unit in (data or {}).get("units", []):
        absent = [_("%(month)d月（%(why)s）") % {"month": int(m["period"][5:]),
                                                "why": MISSING_REASONS[m["reason"]]}
                  for m in unit["months_missing"] if m["reason"] != "unpublished"]
        groups.setdefault(unit["group"], []).append({**unit, "absent": "、".join(absent)})
    years = sorted({int(p[:4]) for p in Run.objects.filter(status=Status.PUBLISHED)
                    .values_list("period", flat=True).distinct()} | {year}, reverse=True)
    own = request.user.unit.code if getattr(request.user, "unit", None) else None
    return render(request, "reviews/year.html", {
        "year": year, "years": years, "data": data, "problem": problem,
        "groups": list(groups.items()), "own": own,
        "published": [int(p[5:]) for p in (data or {}).get("months_published", [])],
    })


@roles_allowed(READERS)
def scorecard(request, code: str):
    """一个单位的考核得分: each item with its explanation, the points lost, the gap."""
    scope = Scope.for_user(request.user)
    period = _period(request)
    unit = OrgUnit.objects.filter(code=code).first()
    run = services.visible_run(scope, period)
    entry = services.unit_entry(run, code) if run and unit else None
    if entry is None:
        raise Http404(_("没有该单位本月的考核结果。"))
    scheme = services.check_scheme(run.scheme.text)
    items = []
    for item in entry["items"]:
        defined = scheme.item(item["item"])
        items.append({**item, "name": defined.name, "section": defined.section,
                      "kind": KIND_NAMES[defined.kind], "weight": defined.weight})
    trend = services.score_trend(code, period)
    chart = json.dumps({"title": _("近12个月得分与位次"), "months": [t["period"] for t in trend],
                        "scores": [float(t["score"]) for t in trend],
                        "ranks": [t["rank"] for t in trend],
                        "score_label": _("得分"), "rank_label": _("位次")}, ensure_ascii=False)
    return render(request, "reviews/scorecard.html", {
        "period": period, "run": run, "unit": unit, "entry": entry, "items": items,
        "trend": trend, "chart": chart if len(trend) > 1 else None,
    })


@roles_allowed(OFFICE)
@require_POST
def compute(request):
    """计算: the city office computes the month (a draft, or a new version after one was
    published)."""
    scope = Scope.for_user(request.user)
    period = _period(request)
    try:
        run = services.compute(scope, period, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if run.status == Status.PUBLISHED:
            messages.info(request, _("数据和方案未变，结果与已发布的第%(v)d版相同。")
                          % {"v": run.version})
        else:
            messages.success(request, _("已计算第%(v)d版（草稿），发布前仅市级可见。")
                             % {"v": run.version})
    return redirect(f"{reverse('reviews:page')}?period={period}")


@roles_allowed(OFFICE)
def publish(request):
    """发布: shows what changed against the published version, then publishes."""
    scope = Scope.for_user(request.user)
    if not scope.is_city_office:
        raise PermissionDenied
    period = _period(request)
    draft = Run.objects.filter(period=period, status=Status.DRAFT).first()
    if request.method == "POST":
        try:
            run = services.publish(scope, period, request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已发布%(period)s第%(v)d版。")
                             % {"period": period, "v": run.version})
        return redirect(f"{reverse('reviews:page')}?period={period}")
    return render(request, "reviews/publish.html", {"period": period, "draft": draft})


class ExemptionForm(forms.Form):
    period = forms.RegexField(regex=PERIOD)
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.all(), to_field_name="code")
    reason = forms.CharField(max_length=300, required=False)
    remove = forms.BooleanField(required=False)


@roles_allowed(OFFICE)
@require_POST
def exempt(request):
    """黑榜免责: the office exempts a unit from the month's black list (or withdraws it)."""
    scope = Scope.for_user(request.user)
    form = ExemptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("免责信息不完整：请选择单位。"))
        return redirect(reverse("reviews:page"))
    data = form.cleaned_data
    try:
        if data["remove"]:
            services.remove_exemption(scope, data["period"], data["unit"])
        else:
            services.set_exemption(scope, data["period"], data["unit"], data["reason"],
                                   request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已保存。请重新计算本月，使免责生效。"))
    return redirect(f"{reverse('reviews:page')}?period={data['period']}")
