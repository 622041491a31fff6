"""API: supervision tasks (督办事项) and their life cycle: assign, report, close out.

Units are named by their codes. Every action calls :mod:`jiangping.tasks.services`,
which decides who may do what; a task the caller does not lead or co-operate on
(:func:`~jiangping.tasks.services.tasks_for`) is reported as not found.
"""

import datetime as dt
from collections.abc import Callable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja import Status as Answer

from jiangping.core.apilists import (
    cached_answer,
    limit_param,
    offset_param,
    page_answer,
    paged,
)
from jiangping.intake.normalize import quote
from jiangping.orgs.api import scope_of, units_in_view
from jiangping.orgs.models import OrgUnit
from jiangping.tasks import services
from jiangping.tasks.forms import assignable_units
from jiangping.tasks.gazetteer import propose_json, registry_rows
from jiangping.tasks.models import SourceKind, Status, Task, TaskEvent, TaskProgress
from jiangping.tasks.progress import attach as attach_progress
from jiangping.tasks.progress import reports_prefetch

router = Router(tags=["tasks"])


# --- schemas ----------------------------------------------------------------


class UnitRef(Schema):
    code: str
    name: str


class UnitPercentOut(Schema):
    unit: UnitRef
    percent: int


class TaskOut(Schema):
    id: int
    title: str
    source_kind: str
    source_kind_label: str
    source_title: str
    source_date: date | None
    lead_unit: UnitRef
    co_units: list[UnitRef]
    deadline: date | None
    deadline_workdays: int | None
    target: str
    deadline_estimated: bool
    status: str
    status_label: str
    overdue: bool
    percent: int | None = Field(
        None, description="完成进度（%）：牵头单位最近报送的进度；已完成、已销号为100，"
                          "未完成至多99")
    co_percents: list[UnitPercentOut] = Field(
        [], description="各配合单位最近报送的进度（不计入事项进度）")
    completed_on: date | None
    closed_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_source_kind_label(task: Task) -> str:
        return task.get_source_kind_display()

    @staticmethod
    def resolve_status_label(task: Task) -> str:
        return task.get_status_display()

    @staticmethod
    def resolve_co_units(task: Task) -> list[OrgUnit]:
        return list(task.co_units.all())

    @staticmethod
    def resolve_percent(task: Task) -> int | None:
        return attach_progress(task).percent

    @staticmethod
    def resolve_co_percents(task: Task) -> list:
        return attach_progress(task).co_percents

    @staticmethod
    def resolve_overdue(task: Task) -> bool:
        return services.shown_status(task, timezone.localdate()) == Status.OVERDUE


class ProgressOut(Schema):
    unit: UnitRef
    text: str
    percent: int | None
    evidence: str | None
    reported_by: str | None
    at: datetime

    @staticmethod
    def resolve_evidence(progress: TaskProgress) -> str | None:
        return progress.evidence.name or None

    @staticmethod
    def resolve_reported_by(progress: TaskProgress) -> str | None:
        return progress.reported_by.username if progress.reported_by_id else None


class EventOut(Schema):
    kind: str
    kind_label: str
    status: str
    at: datetime
    by: str | None
    comment: str

    @staticmethod
    def resolve_kind_label(event: TaskEvent) -> str:
        return event.get_kind_display()

    @staticmethod
    def resolve_by(event: TaskEvent) -> str | None:
        return event.by.username if event.by_id else None


class TaskDetailOut(TaskOut):
    progress: list[ProgressOut]
    events: list[EventOut]

    @staticmethod
    def resolve_progress(task: Task) -> list[TaskProgress]:
        return list(task.progress.all())

    @staticmethod
    def resolve_events(task: Task) -> list[TaskEvent]:
        return list(task.events.all())


class TaskIn(Schema):
    title: str = Field(..., description="事项", examples=["加快推进重点项目建设"])
    lead_unit: str = Field(..., description="牵头单位的组织机构代码", examples=["990102"])
    co_units: list[str] = Field([], description="配合单位的组织机构代码")
    source_kind: SourceKind = Field(SourceKind.MEETING, description="来源类型")
    source_title: str = Field("", description="来源（会议、讲话或文件名称）")
    source_date: date | None = Field(None, description="来源日期 YYYY-MM-DD")
    deadline: date | None = Field(None, description="完成时限 YYYY-MM-DD")
    deadline_workdays: int | None = Field(
        None, description="时限（工作日）：自来源日期起算的工作日数，与完成时限只填一项")
    target: str = Field("", description="目标要求")


class ProposeIn(Schema):
    text: str = Field(..., description="讲话或文件全文")
    date: dt.date = Field(..., description="会议日期 YYYY-MM-DD，完成时限据此推算")
    source_title: str = Field("", description="来源（讲话或文件名称）")


class TargetOut(Schema):
    text: str
    subject: str = ""
    verb: str
    value: str | None
    unit: str
    placeholder: bool


class ProposalOut(Schema):
    sentence: str
    start: int
    end: int
    heading: list[str]
    lead_units: list[str]
    co_units: list[str]
    deadline: str | None
    deadline_text: str
    targets: list[TargetOut]
    topic: str
    units: list[dict] = Field([], description="单位提及：原文、角色、层级、登记单位或候选")
    needs_unit: bool = Field(False, description="没有牵头单位，需指定")
    milestones: list[dict] = Field([], description="句中每个时限（分阶段时限）")
    deadline_estimated: bool = Field(False, description="节假日安排未公布，暂按双休日计算")
    deadline_note: str = ""
    lead_unit_code: str | None = Field(None, description="登记库匹配到的牵头单位代码")
    co_unit_codes: list[str] = Field([], description="登记库匹配到的配合单位代码")
    unmatched: list[str] = Field([], description="登记库中找不到的单位名称")


class ProposeOut(Schema):
    date: str
    source_title: str
    tasks: list[ProposalOut]


class BatchRowIn(Schema):
    title: str = Field(..., description="事项")
    lead_unit: str | None = Field(None, description="牵头单位的组织机构代码")
    co_units: list[str] = Field([], description="配合单位的组织机构代码")
    deadline: date | None = Field(None, description="完成时限 YYYY-MM-DD")
    target: str = Field("", description="目标要求")


class BatchIn(Schema):
    source_kind: SourceKind = Field(SourceKind.SPEECH, description="来源类型")
    source_title: str = Field("", description="来源（会议、讲话或文件名称）")
    source_date: date | None = Field(None, description="来源日期 YYYY-MM-DD")
    tasks: list[BatchRowIn] = Field(..., description="确认立项的事项，全部立项或全部不立项")


class ProgressIn(Schema):
    text: str = Field(..., description="进展情况")
    percent: int | None = Field(None, description="完成进度（%），0—100")


class CommentIn(Schema):
    comment: str = Field("", description="意见（退回销号申请时必填，为退回原因）")


# --- look-ups ---------------------------------------------------------------


def _tasks(request):
    return services.tasks_for(scope_of(request)).prefetch_related(
        Prefetch("co_units", queryset=OrgUnit.objects.order_by("sort_order", "code")),
        reports_prefetch())


def _task(request, task_id: int) -> Task:
    found = _tasks(request).filter(pk=task_id).first()
    if found is None:
        raise Http404(_("督办事项 %(id)s 不存在或不在您的数据范围内。") % {"id": task_id})
    return found


def _detail(request, task: Task) -> Task:
    return _tasks(request).prefetch_related(
        Prefetch("progress", queryset=TaskProgress.objects.select_related("unit", "reported_by")),
        Prefetch("events", queryset=TaskEvent.objects.select_related("by")),
    ).get(pk=task.pk)


def _units(codes: list[str]) -> list[OrgUnit]:
    codes = list(dict.fromkeys(codes))
    found = OrgUnit.objects.in_bulk(codes, field_name="code")
    missing = [code for code in codes if code not in found]
    if missing:
        raise ValidationError(
            _("组织机构代码不存在：%(codes)s。") % {"codes": "、".join(map(quote, missing))})
    return [found[code] for code in codes]


# --- endpoints --------------------------------------------------------------


def _unit_ref(unit: OrgUnit) -> dict:
    return {"code": unit.code, "name": unit.name}


def task_items(today: dt.date) -> Callable[[Task], dict]:
    """The function turning a task (its lead unit read, co-units and reports prefetched as
    :func:`_tasks` does) into TaskOut's item, its overdue as shown on ``today``; the
    choices' labels are read once, in the active language."""
    kinds = {key: str(label) for key, label in SourceKind.choices}
    statuses = {key: str(label) for key, label in Status.choices}
    return lambda task: task_item(task, today, kinds, statuses)


def task_item(task: Task, today: dt.date, kinds: dict[str, str],
              statuses: dict[str, str]) -> dict:
    """One task as TaskOut's item (see :func:`task_items`)."""
    attach_progress(task)
    return {
        "id": task.pk, "title": task.title, "source_kind": task.source_kind,
        "source_kind_label": kinds.get(task.source_kind, task.source_kind),
        "source_title": task.source_title, "source_date": task.source_date,
        "lead_unit": _unit_ref(task.lead_unit),
        "co_units": [_unit_ref(unit) for unit in task.co_units.all()],
        "deadline": task.deadline, "deadline_workdays": task.deadline_workdays,
        "target": task.target, "deadline_estimated": task.deadline_estimated,
        "status": task.status, "status_label": statuses.get(task.status, task.status),
        "overdue": services.shown_status(task, today) == Status.OVERDUE,
        "percent": task.percent,
        "co_percents": [{"unit": _unit_ref(p.unit), "percent": p.percent}
                        for p in task.co_percents],
        "completed_on": task.completed_on, "closed_at": task.closed_at,
        "created_at": task.created_at,
    }


@router.get("/", response=paged(TaskOut), summary="督办事项（本人数据范围）")
def list_tasks(request, status: Status | None = None, unit: str | None = None,
               overdue: bool | None = None, limit: int = limit_param(),
               offset: int = offset_param()):
    """Tasks the caller's units lead or co-operate on (the city office: every task), by
    deadline; paginated (up to 1000 a page). ``status`` is the status shown on the board:
    an open task past its deadline counts as overdue, not under way. ``unit`` (a code)
    keeps the tasks it leads or co-operates on; ``overdue`` those past their deadline and
    not done (or the others)."""
    today = timezone.localdate()

    def answer():
        tasks = _tasks(request)
        if status:
            tasks = tasks.filter(services.status_q(status, today))
        if unit:
            found = units_in_view(request, [unit])[unit]
            tasks = tasks.filter(Q(lead_unit=found) | Q(co_units=found)).distinct()
        if overdue is not None:
            late = services.status_q(Status.OVERDUE, today)
            tasks = tasks.filter(late) if overdue else tasks.exclude(late)
        return page_answer(request, tasks.order_by("deadline", "pk"),
                           task_items(today), limit=limit, offset=offset, max_limit=1000)

    # The same page for the same scope and query until a task changes (a task write
    # changes the figures version).
    scope = scope_of(request)
    parts = (*scope.cache_key, str(status or ""), unit or "", overdue,
             limit, offset, today.isoformat())
    return cached_answer("api-tasks", parts, answer)


@router.post("/", response={201: TaskDetailOut}, summary="交办督办事项（市级管理员）")
def create_task(request, payload: TaskIn):
    scope = scope_of(request)
    scope.require_city_office()
    lead_unit, *_rest = _units([payload.lead_unit])
    task = services.create_task(
        scope, user=request.auth, title=payload.title, lead_unit=lead_unit,
        co_units=_units(payload.co_units), source_kind=payload.source_kind,
        source_title=payload.source_title, source_date=payload.source_date,
        deadline=payload.deadline, deadline_workdays=payload.deadline_workdays,
        target=payload.target,
    )
    return Answer(201, _detail(request, task))


@router.post("/propose", response=ProposeOut, summary="讲话分解：拟立督办事项（市级管理员）")
def propose(request, payload: ProposeIn):
    """The proposals of a speech, as ``jiangping tasks propose --json`` gives them, each
    with the units the registry matched (as on the speech page: 各县(市、区) adds every
    county-level unit as a co-unit); nothing is written."""
    scope_of(request).require_city_office()
    proposals, answer = propose_json(payload.text, payload.date)
    units = list(assignable_units())
    codes = {unit.pk: unit.code for unit in units}
    for task, row in zip(answer["tasks"], registry_rows(proposals, units), strict=True):
        task["lead_unit_code"] = codes.get(row.lead_unit)
        task["co_unit_codes"] = [codes[pk] for pk in row.co_units]
        task["unmatched"] = row.unmatched
    return {**answer, "source_title": payload.source_title.strip()}


@router.post("/batch", response={201: list[TaskOut]}, summary="确认立项（市级管理员）")
def create_batch(request, payload: BatchIn):
    """The tasks confirmed from one speech, created all or none
    (:func:`~jiangping.tasks.services.create_tasks`)."""
    scope = scope_of(request)
    scope.require_city_office()
    codes = {row.lead_unit for row in payload.tasks if row.lead_unit}
    codes.update(code for row in payload.tasks for code in row.co_units)
    found = OrgUnit.objects.in_bulk(codes, field_name="code")
    unknown = []
    for n, row in enumerate(payload.tasks, start=1):
        missing = [code for code in dict.fromkeys([*filter(None, [row.lead_unit]),
                                                   *row.co_units]) if code not in found]
        if missing:
            unknown.append(_("第%(n)d项：组织机构代码不存在：%(codes)s。") % {
                "n": n, "codes": "、".join(quote(code) for code in missing)})
    if unknown:
        raise ValidationError(unknown)
    rows = [
        {"title": row.title, "lead_unit": found[row.lead_unit] if row.lead_unit else None,
         "co_units": [found[code] for code in dict.fromkeys(row.co_units)],
         "deadline": row.deadline, "target": row.target}
        for row in payload.tasks
    ]
    created = services.create_tasks(
        scope, rows, source_kind=payload.source_kind, source_title=payload.source_title,
        source_date=payload.source_date, user=request.auth)
    return Answer(201, list(_tasks(request).filter(pk__in=[t.pk for t in created])
                            .order_by("pk")))


@router.get("/{task_id}", response=TaskDetailOut, summary="督办事项详情")
def task_detail(request, task_id: int):
    return _detail(request, _task(request, task_id))


@router.post("/{task_id}/progress", response={201: TaskDetailOut}, summary="报送进展")
def report_progress(request, task_id: int, payload: ProgressIn):
    task = _task(request, task_id)
    services.report_progress(scope_of(request), task, request.auth, payload.text,
                             percent=payload.percent)
    return Answer(201, _detail(request, task))


@router.post("/{task_id}/request-close", response=TaskDetailOut, summary="申请销号")
def request_close(request, task_id: int, payload: CommentIn | None = None):
    task = services.request_close(scope_of(request), _task(request, task_id), request.auth,
                                  comment=payload.comment if payload else "")
    return _detail(request, task)


@router.post("/{task_id}/approve-close", response=TaskDetailOut, summary="同意销号（市级管理员）")
def approve_close(request, task_id: int, payload: CommentIn | None = None):
    task = services.approve_close(scope_of(request), _task(request, task_id), request.auth,
                                  comment=payload.comment if payload else "")
    return _detail(request, task)


@router.post("/{task_id}/reject-close", response=TaskDetailOut,
             summary="退回销号申请（市级管理员）")
def reject_close(request, task_id: int, payload: CommentIn | None = None):
    task = services.reject_close(scope_of(request), _task(request, task_id), request.auth,
                                 comment=payload.comment if payload else "")
    return _detail(request, task)
