"""Pages of the tasks app (督查督办): the board, a task with its progress and close-out,
a new task, and the deadline calendar. Every change goes through
:mod:`jiangping.tasks.services`; views read the input, call them and render."""

from __future__ import annotations

import calendar as months
import datetime as dt
import json
import os
from collections import defaultdict
from dataclasses import asdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Q, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiangping.core.access import EVERYONE, OFFICE, roles_allowed
from jiangping.core.pagecache import cached_fragment
from jiangping.core.paging import page_of
from jiangping.orgs.models import OrgUnit
from jiangping.orgs.scope import Scope
from jiangping.tasks import services, speech
from jiangping.tasks.confirm import confirm_speech
from jiangping.tasks.display import board_row, detail_urls, source_kinds
from jiangping.tasks.forms import (
    BoardQuery,
    DecisionForm,
    MonthQuery,
    ProgressForm,
    ProposalFormSet,
    SpeechForm,
    TaskForm,
    text_homes,
)
from jiangping.tasks.gazetteer import (
    current_calendar,
    registry_gazetteer,
    registry_rows,
    speech_units,
)
from jiangping.tasks.models import OPEN_STATUSES, Status, Task, TaskProgress
from jiangping.tasks.progress import attach as attach_progress
from jiangping.tasks.progress import reports_prefetch
from jiangping.tasks.proposals import propose
from jiangping.tasks.reminders import mark_read
from jiangping.tasks.workdays import Calendar

ACTIONS = {
    "request": services.request_close,
    "approve": services.approve_close,
    "reject": services.reject_close,
}
DONE_MESSAGES = {
    "request": gettext_lazy("已申请销号，等待市级审核。"),
    "approve": gettext_lazy("已同意销号。"),
    "reject": gettext_lazy("已退回销号申请。"),
}



def _board_order(today: dt.date) -> Case:
    """Overdue first (as shown on ``today``), then open, done, and closed last; sorted by
    the database, so that the board can be shown a page at a time."""
    return Case(
        When(services.status_q(Status.OVERDUE, today), then=Value(0)),
        When(status__in=OPEN_STATUSES, then=Value(1)),
        When(status=Status.DONE, then=Value(2)),
        default=Value(3),
    )


def _bad_query(request, form):
    errors = [e for field in form.errors.values() for e in field]
    return render(request, "indicators/bad_query.html", {"errors": errors}, status=400)


def _shown(task: Task, today: dt.date, calendar: Calendar | None = None) -> Task:
    """Attach what the pages show beside the stored fields: the status as of ``today``
    (an open task past its deadline is overdue even before :func:`mark_overdue` ran) and
    the days and working days left."""
    task.shown_status = services.shown_status(task, today)
    task.shown_label = Status(task.shown_status).label
    task.overdue = task.shown_status == Status.OVERDUE
    task.days_left = task.workdays_left = None
    if task.deadline is not None and task.status not in (Status.DONE, Status.CLOSED):
        task.days_left = (task.deadline - today).days
        task.workdays_left = (calendar or current_calendar()).workdays_between(
            today, task.deadline)
        task.days_late = max(0, -task.days_left)
    return task


@roles_allowed(EVERYONE)
def board(request):
    """督办事项: the tasks of the user's scope, filtered by status, unit and deadline.

    The page's body is kept in the page cache per scope, filter, page and day until a task
    changes (every task write changes the figures version): on review day many users open
    the same board."""
    scope = Scope.for_user(request.user)
    query = BoardQuery(request.GET)
    if not query.is_valid():
        return _bad_query(request, query)
    today = timezone.localdate()
    filters = query.cleaned_data
    parts = (*scope.cache_key, today.isoformat(),
             tuple(sorted((k, str(v)) for k, v in filters.items() if v)),
             request.GET.get("page", "")[:12])
    body = cached_fragment("tasks-board", parts, lambda: render_to_string(
        "tasks/_board_body.html", _board_context(request, scope, filters, today), request))
    return render(request, "tasks/board.html", {"body": body})


def _board_context(request, scope: Scope, filters: dict, today) -> dict:
    visible = services.tasks_for(scope)
    # The units with a visible task, read by primary key (not every unit joined to tasks).
    co_units = Task.co_units.through.objects.filter(task__in=visible.values("pk"))
    units = OrgUnit.objects.filter(
        Q(pk__in=visible.values("lead_unit")) | Q(pk__in=co_units.values("orgunit"))
    ).order_by("level", "sort_order", "code")
    tasks = visible.prefetch_related("co_units", reports_prefetch())
    holidays = current_calendar()
    status, code, due = (filters[k] for k in ("status", "unit", "due"))
    if status:
        tasks = tasks.filter(services.status_q(status, today))
    if code:
        co_tasks = Task.co_units.through.objects.filter(orgunit__code=code).values("task")
        tasks = tasks.filter(Q(lead_unit__code=code) | Q(pk__in=co_tasks))
    if due:
        tasks = tasks.filter(deadline__lte=due)
    page = page_of(tasks.order_by(_board_order(today), "deadline", "pk"), request.GET.get("page"))
    # Progress (the lead's report, co-units' beside it) of this page's tasks only.
    url, kinds = detail_urls(), source_kinds()
    shown = [board_row(attach_progress(_shown(task, today, holidays)), url, kinds)
             for task in page]
    return {
        "tasks": shown,
        "page": page,
        "counts": services.task_counts(scope, today),
        "units": list(units),
        "query": filters,
        "today": today,
        "can_create": scope.is_city_office,
    }


def _task_or_404(scope: Scope, pk: int) -> Task:
    return get_object_or_404(services.tasks_for(scope).prefetch_related("co_units"), pk=pk)


def _permissions(scope: Scope, task: Task) -> dict[str, bool]:
    """Which forms the page offers; the services check the same again on submit."""
    return {
        "report": task.status != Status.CLOSED and any(
            services.acts_for(scope, unit) for unit in (task.lead_unit, *task.co_units.all())),
        "request": services.acts_for(scope, task.lead_unit)
        and task.status in (*OPEN_STATUSES, Status.OVERDUE),
        "decide": scope.is_city_office and task.status == Status.DONE,
    }


def _detail_context(scope: Scope, task: Task) -> dict:
    attach_progress(_shown(task, timezone.localdate()))
    return {
        "task": task,
        "can": _permissions(scope, task),
        "events": task.events.select_related("by"),
    }


@roles_allowed(EVERYONE)
def detail(request, pk: int, form: ProgressForm | None = None, status: int = 200):
    """A task: source, units, deadline, target, progress history and audit trail."""
    scope = Scope.for_user(request.user)
    task = _task_or_404(scope, pk)
    return render(request, "tasks/detail.html", {
        **_detail_context(scope, task),
        "progress": task.progress.select_related("unit", "reported_by"),
        "form": form or ProgressForm(),
    }, status=status)


@roles_allowed(EVERYONE)
@require_POST
def progress(request, pk: int):
    """报送进展 from the lead unit or a co-unit, with an optional evidence file."""
    scope = Scope.for_user(request.user)
    task = _task_or_404(scope, pk)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.report_progress(scope, task, request.user, form.cleaned_data["text"],
                                     form.cleaned_data["percent"],
                                     form.cleaned_data["evidence"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("进展已报送。"))
            return redirect("tasks:detail", pk=task.pk)
    return detail(request, pk, form=form, status=422)


@roles_allowed(EVERYONE)
@require_POST
def decide(request, pk: int, action: str):
    """申请销号 (lead unit), 同意销号 or 退回 (city office); answers htmx with the status
    panel and, out of band, the audit trail."""
    scope = Scope.for_user(request.user)
    task = _task_or_404(scope, pk)
    form = DecisionForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        try:
            ACTIONS[action](scope, task, request.user, form.cleaned_data["comment"])
        except ValidationError as error:
            errors = error.messages
    else:
        errors = [e for field in form.errors.values() for e in field]
    if request.headers.get("HX-Request"):
        task = _task_or_404(scope, pk)
        return render(request, "tasks/_decided.html", {
            **_detail_context(scope, task), "errors": errors, "oob": True,
        }, status=422 if errors else 200)
    for error in errors:
        messages.error(request, error)
    if not errors:
        messages.success(request, DONE_MESSAGES[action])
    return redirect("tasks:detail", pk=task.pk)


@roles_allowed(EVERYONE)
def evidence(request, pk: int):
    """The evidence file of a progress report, for those who see its task."""
    scope = Scope.for_user(request.user)
    report = get_object_or_404(
        TaskProgress.objects.filter(task__in=services.tasks_for(scope).values("pk")), pk=pk)
    if not report.evidence:
        raise Http404(_("没有佐证材料。"))
    return FileResponse(report.evidence.open("rb"), as_attachment=True,
                        filename=os.path.basename(report.evidence.name))


@roles_allowed(OFFICE)
def new(request):
    """交办: the city office assigns a new task."""
    scope = Scope.for_user(request.user)
    scope.require_city_office()
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.create_task(scope, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("督办事项已交办。"))
            return redirect("tasks:detail", pk=task.pk)
    return render(request, "tasks/new.html", {"form": form},
                  status=422 if request.method == "POST" else 200)


def _speech_rows(proposals, units: list[OrgUnit], home: OrgUnit | None) -> list[dict]:
    """The confirmation rows prefilled from the proposals (see :func:`registry_rows`)."""
    rows = []
    for row in map(asdict, registry_rows(proposals, units, home)):
        # A sentence naming no unit at all is mostly exhortation: it starts unticked.
        rows.append({**row, "include": bool(row["mentions"]),
                     "unmatched": "、".join(row["unmatched"]),
                     "mentions": json.dumps(row["mentions"], ensure_ascii=False)})
    return rows


@roles_allowed(OFFICE)
def speech_page(request):
    """讲话分解: the city office pastes or uploads a speech, reviews the proposed tasks
    with their sentences marked in the text, maps the units the registry does not know,
    edits the rows and 确认立项 (all in one go)."""
    scope = Scope.for_user(request.user)
    scope.require_city_office()
    context = {"examples": speech.EXAMPLES}
    if request.method != "POST":
        loaded = speech.example(request.GET.get("example", ""))
        initial = {}
        if loaded:
            text, title, day = loaded
            initial = {"text": text, "source_title": title, "meeting_date": day}
        context["form"] = SpeechForm(initial=initial)
        return render(request, "tasks/speech.html", context)
    form = SpeechForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "tasks/speech.html", {**context, "form": form}, status=422)
    data = form.cleaned_data
    home = data.get("home")
    normal, proposals = propose(data["text"], data["meeting_date"], registry_gazetteer(),
                                home=home.name if home else None, calendar=current_calendar())
    units = speech_units(proposals, home)
    rows_kwargs = {"units": units, "parents": list(text_homes()), "home": home}
    status = 200
    if "confirm" in request.POST:
        # The proposals' initial values keep what the rows show beside their fields
        # (需指定牵头单位, milestones, notes) when a refused confirmation comes back.
        rows = ProposalFormSet(request.POST, initial=_speech_rows(proposals, units, home),
                               form_kwargs=rows_kwargs)
        errors: list[str] = []
        if rows.is_valid():
            try:
                created, learnt = confirm_speech(
                    scope, rows.included(), source_title=data["source_title"],
                    source_date=data["meeting_date"], user=request.user)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("已立项 %(n)d 项。") % {"n": len(created)})
                if learnt:
                    messages.info(request, _("已记住单位名称：%(names)s。") % {"names": "；".join(
                        _("“%(text)s”即%(unit)s") % {"text": text, "unit": unit.name}
                        for text, unit in learnt)})
                return redirect("tasks:board")
        status = 422
        context["errors"] = errors
    else:
        rows = ProposalFormSet(initial=_speech_rows(proposals, units, home),
                               form_kwargs=rows_kwargs)
    return render(request, "tasks/speech.html", {
        **context, "form": form, "rows": rows, "normal": normal,
        "segments": speech.segments(normal, proposals, data["meeting_date"]),
    }, status=status)


def _day_kind(day: dt.date, calendar: Calendar) -> str:
    """``rest`` (weekend), ``holiday`` (a public holiday on a weekday), ``makeup``
    (调休上班 on a weekend) or ``work``, on the office's holiday calendar."""
    working = calendar.is_workday(day)
    weekend = day.weekday() >= 5
    if working:
        return "makeup" if weekend else "work"
    return "rest" if weekend else "holiday"


@roles_allowed(EVERYONE)
def calendar(request):
    """A month of deadlines, with the non-working days (节假日、周末) shaded."""
    scope = Scope.for_user(request.user)
    query = MonthQuery(request.GET)
    if not query.is_valid():
        return _bad_query(request, query)
    today = timezone.localdate()
    first = query.cleaned_data["month"] or today.replace(day=1)
    weeks = months.Calendar().monthdatescalendar(first.year, first.month)
    by_day: dict[dt.date, list[Task]] = defaultdict(list)
    holidays = current_calendar()
    for task in services.tasks_for(scope).filter(deadline__range=(weeks[0][0], weeks[-1][-1])):
        by_day[task.deadline].append(_shown(task, today, holidays))
    last = first.replace(day=months.monthrange(first.year, first.month)[1])
    return render(request, "tasks/calendar.html", {
        "month": first,
        "previous": (first - dt.timedelta(days=1)).strftime("%Y-%m"),
        "next": (last + dt.timedelta(days=1)).strftime("%Y-%m"),
        "unknown_year": None if holidays.known(first.year) else first.year,
        "can_edit_holidays": scope.is_city_office,
        "weeks": [[{
            "date": day, "kind": _day_kind(day, holidays), "tasks": by_day.get(day, []),
            "outside": day.month != first.month, "today": day == today,
        } for day in week] for week in weeks],
    })


@roles_allowed(EVERYONE)
@require_POST
def read_notifications(request):
    """全部标为已读: the home page's notices card."""
    mark_read(request.user)
    return redirect("home")
