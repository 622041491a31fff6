"""The holiday calendar page (节假日安排): a year's off days and make-up workdays, which
the city office and the admin add to and delete from. Every change goes through
:mod:`jiangping.tasks.holidays`; the year's notice as a whole comes in through the
import form ``holidays``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangping.core.access import OFFICE, roles_allowed
from jiangping.orgs.scope import Scope
from jiangping.tasks import holidays
from jiangping.tasks.forms import HolidayForm, HolidayYearQuery
from jiangping.tasks.models import DayKind


def _year_url(year: int) -> str:
    return f"{reverse('tasks:holidays')}?year={year}"


@roles_allowed(OFFICE)
def holiday_year(request):
    """节假日安排: the days of one year (default: the next one from November on, when
    the State Council publishes it; else this year), with who entered it and when."""
    query = HolidayYearQuery(request.GET)
    if not query.is_valid():
        errors = [e for field in query.errors.values() for e in field]
        return render(request, "indicators/bad_query.html", {"errors": errors}, status=400)
    today = timezone.localdate()
    year = query.cleaned_data["year"] or (today.year + 1 if today.month >= 11 else today.year)
    return _render(request, year, HolidayForm(initial={"kind": DayKind.OFF}))


def _render(request, year: int, form, status: int = 200):
    record, days = holidays.year_days(year)
    return render(request, "tasks/holidays.html", {
        "year": year, "record": record, "days": days, "form": form,
        "off": sum(day.kind == DayKind.OFF for day in days),
        "work": sum(day.kind == DayKind.WORK for day in days),
    }, status=status)


@roles_allowed(OFFICE)
@require_POST
def holiday_set(request):
    """Add or change one day; back to its year's page."""
    form = HolidayForm(request.POST)
    year = timezone.localdate().year
    if form.is_valid():
        data = form.cleaned_data
        try:
            holidays.set_day(Scope.for_user(request.user), data["date"], data["kind"],
                             data["name"], user=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已保存 %(date)s。") % {"date": data["date"].isoformat()})
            return redirect(_year_url(data["date"].year))
        year = data["date"].year
    return _render(request, year, form, status=422)


@roles_allowed(OFFICE)
@require_POST
def holiday_delete(request):
    """Delete one day (it becomes an ordinary day of its year)."""
    try:
        day = dt.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        messages.error(request, _("日期“%(date)s”格式不正确，应为 YYYY-MM-DD。")
                       % {"date": request.POST.get("date", "")[:20]})
        return redirect("tasks:holidays")
    if holidays.delete_day(Scope.for_user(request.user), day, user=request.user):
        messages.success(request, _("已删除 %(date)s。") % {"date": day.isoformat()})
    return redirect(_year_url(day.year))
