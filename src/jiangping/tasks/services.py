"""Task actions (督查督办流程): assign, report progress, request and decide close-out.

The city office assigns a task to a lead unit (牵头单位) and co-units (配合单位); their users
report progress; the lead unit reports it done and asks for close-out (申请销号), which
the city office approves (已销号) or sends back. Tasks past their deadline fall overdue
(逾期) through :func:`mark_overdue`. Every change is one transaction with its
:class:`~jiangping.tasks.models.TaskEvent`; every permission goes through
:class:`~jiangping.orgs.scope.Scope`. A close-out request notifies the city office, its
decision the lead unit (:mod:`jiangping.tasks.notifications`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from jiangping.core.pagecache import figures_changed
from jiangping.core.text import join_sentences
from jiangping.orgs.models import OrgUnit
from jiangping.orgs.scope import Scope
from jiangping.tasks import holidays
from jiangping.tasks.deadlines import find_deadline
from jiangping.tasks.holidays import current_calendar
from jiangping.tasks.models import (
    OPEN_STATUSES,
    EventKind,
    NotificationKind,
    Recurrence,
    SourceKind,
    Status,
    Task,
    TaskEvent,
    TaskProgress,
)
from jiangping.tasks.notifications import city_office_users, notify_on_commit, users_by_unit
from jiangping.tasks.workdays import Calendar


def _event(task: Task, kind: str, user=None, comment: str = "") -> None:
    TaskEvent.objects.create(task=task, kind=kind, status=task.status, by=user, comment=comment)


def _locked_copy(task: Task) -> Task:
    return Task.objects.select_for_update().select_related("lead_unit").get(pk=task.pk)


def _refuse(task: Task, action: str) -> None:
    raise ValidationError(
        _("督办事项“%(task)s”当前状态为“%(status)s”，不能%(action)s。") % {
            "task": task.title, "status": task.get_status_display(), "action": action,
        }
    )


def workday_deadline(source_date: dt.date | None, n: int,
                     calendar: Calendar | None = None) -> tuple[dt.date, bool]:
    """The deadline "n个工作日内" from ``source_date`` on the office's holiday calendar
    (:func:`~jiangping.tasks.holidays.current_calendar` unless ``calendar`` is given), and
    whether it is estimated (it runs into a year whose arrangement is not entered, counted
    on weekends only). ValidationError when there is no source date."""
    if source_date is None:
        raise ValidationError(_("按工作日计算完成时限时，须填写来源日期。"))
    return holidays.workday_deadline(calendar or current_calendar(), source_date, n)


def _written_deadline(source_date: dt.date | None, deadline: dt.date | None,
                      text: str) -> bool:
    """Whether ``deadline``, written ``text`` in a speech (春节前, 15个工作日内) from
    ``source_date``, is estimated: it is what the text gives on the current calendar
    and that used weekends only. A date the office changed is a plain date."""
    if not text or source_date is None or deadline is None:
        return False
    found = find_deadline(text, source_date, current_calendar())
    return found is not None and found.date == deadline and found.estimated


def length_refusal(field: str, text: str) -> str | None:
    """Why ``text`` does not fit the task's ``field`` (refused before the database would
    fail on it), or None."""
    model_field = Task._meta.get_field(field)
    limit = model_field.max_length
    if limit is None or len(text) <= limit:
        return None
    return _("“%(field)s”过长：共%(n)s字，最多%(limit)s字。") % {
        "field": model_field.verbose_name, "n": len(text), "limit": limit}


@transaction.atomic
def create_task(
    scope: Scope, *, title: str, lead_unit: OrgUnit, user=None,
    co_units: Iterable[OrgUnit] = (), source_kind: str = SourceKind.MEETING,
    source_title: str = "", source_date: dt.date | None = None,
    deadline: dt.date | None = None, deadline_workdays: int | None = None,
    deadline_text: str = "", target: str = "", recurring: str = Recurrence.NONE,
) -> Task:
    """交办: the city office assigns a task. With ``deadline_workdays`` the deadline is
    that many working days after the source date (the meeting, speech or document);
    ``deadline_text`` is the deadline as a speech wrote it (春节前). Either way, a
    deadline counted in a year whose holiday arrangement is not entered is marked
    estimated (暂按双休日计算) and computed again when the year is entered."""
    title, co_units, deadline, estimated = _checked(
        scope, title, lead_unit, co_units, source_title, source_date, deadline,
        deadline_workdays, deadline_text)
    task = Task.objects.create(
        title=title, lead_unit=lead_unit, source_kind=source_kind,
        source_title=source_title.strip(), source_date=source_date, deadline=deadline,
        deadline_workdays=deadline_workdays, deadline_text=(deadline_text or "")[:40],
        deadline_estimated=estimated, target=target.strip(), recurring=recurring,
        created_by=user,
    )
    task.co_units.set(co_units)
    _event(task, EventKind.CREATED, user)
    return task



def _checked(scope: Scope, title: str, lead_unit: OrgUnit, co_units: Iterable[OrgUnit],
             source_title: str, source_date: dt.date | None, deadline: dt.date | None,
             deadline_workdays: int | None, deadline_text: str,
             ) -> tuple[str, list[OrgUnit], dt.date | None, bool]:
    """What :func:`create_task` refuses, checked by reading only; returns the title, the
    co-units (the lead and repeats left out), the deadline and whether it is estimated."""
    scope.require_city_office()
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("请填写督办事项。"))
    too_long = [m for m in (length_refusal("title", title),
                            length_refusal("source_title", source_title.strip())) if m]
    if too_long:
        raise ValidationError(too_long)
    co_units = [unit for unit in dict.fromkeys(co_units) if unit.pk != lead_unit.pk]
    for unit in (lead_unit, *co_units):
        scope.require_write(unit)
    if deadline_workdays is None:
        return title, co_units, deadline, _written_deadline(source_date, deadline,
                                                            deadline_text)
    if deadline is not None:
        raise ValidationError(_("完成时限与工作日数只能填写一项。"))
    if deadline_workdays < 1:
        raise ValidationError(_("工作日数应为正整数。"))
    return title, co_units, *workday_deadline(source_date, deadline_workdays)


@transaction.atomic
def create_tasks(
    scope: Scope, rows: list[dict], *, source_kind: str = SourceKind.SPEECH,
    source_title: str = "", source_date: dt.date | None = None, user=None,
) -> list[Task]:
    """立项: the city office assigns the tasks confirmed from one speech (讲话分解), all or
    none. Each row holds ``title``, ``lead_unit``, ``co_units``, ``deadline`` and ``target``,
    and may hold ``deadline_text`` (the deadline as written, e.g. 春节前, kept to mark and
    recompute an estimated deadline);
    every row is checked before any is written, and the rules of :func:`create_task` apply
    to each. A refusal names every refused row (第N项); a unit outside the scope is
    PermissionDenied."""
    scope.require_city_office()
    if not rows:
        raise ValidationError(_("请至少选择一项督办事项。"))
    errors, denied = [], []
    too_long = length_refusal("source_title", (source_title or "").strip())
    if too_long:
        errors.append(too_long)
    for n, row in enumerate(rows, start=1):
        lead_unit = row.get("lead_unit")
        title = (row.get("title") or "").strip()
        if not title:
            errors.append(_("第%(n)d项：请填写督办事项。") % {"n": n})
        elif length_refusal("title", title):
            errors.append(_("第%(n)d项：%(reason)s") % {
                "n": n, "reason": length_refusal("title", title)})
        if lead_unit is None:
            errors.append(_("第%(n)d项：请选择牵头单位。") % {"n": n})
            continue
        for unit in (lead_unit, *row.get("co_units", ())):
            try:
                scope.require_write(unit)
            except PermissionDenied as exc:
                denied.append(_("第%(n)d项：%(reason)s") % {"n": n, "reason": exc})
    if denied:
        raise PermissionDenied(join_sentences(denied))
    if errors:
        raise ValidationError(errors)
    return [
        create_task(scope, user=user, source_kind=source_kind, source_title=source_title,
                    source_date=source_date, title=row["title"], lead_unit=row["lead_unit"],
                    co_units=row.get("co_units", ()), deadline=row.get("deadline"),
                    deadline_text=row.get("deadline_text") or "",
                    target=row.get("target") or "")
        for row in rows
    ]

def acts_for(scope: Scope, unit: OrgUnit) -> bool:
    """Whether ``scope`` may report and ask for close-out as ``unit`` (lead or co-unit).
    A unit's own users may, for it or a unit below them; the city office, which assigns
    and decides, only for its own unit, never in a county's or department's place."""
    if not scope.can_write or not scope.contains(unit):
        return False
    return not scope.is_city_office or unit.path == scope.root_path


def reporting_unit(scope: Scope, task: Task) -> OrgUnit | None:
    """The lead unit, else the first co-unit, that ``scope`` reports for; None when it
    may not report on ``task``."""
    for unit in (task.lead_unit, *task.co_units.order_by("sort_order", "code")):
        if acts_for(scope, unit):
            return unit
    return None


def _reporting_unit(scope: Scope, task: Task) -> OrgUnit:
    if not scope.can_write:
        raise PermissionDenied(_("当前角色只能查看，不能修改数据。"))
    unit = reporting_unit(scope, task)
    if unit is None:
        raise PermissionDenied(
            _("只有牵头单位和配合单位可以报送“%(task)s”的进展。") % {"task": task.title})
    return unit


@transaction.atomic
def report_progress(scope: Scope, task: Task, user, text: str, percent: int | None = None,
                    evidence=None) -> TaskProgress:
    """报送进展: a user of the lead unit or a co-unit reports progress; the first report
    starts the task (未启动 → 推进中)."""
    task = _locked_copy(task)
    unit = _reporting_unit(scope, task)
    if task.status == Status.CLOSED:
        _refuse(task, _("报送进展"))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写进展情况。"))
    if percent is not None and not 0 <= percent <= 100:
        raise ValidationError(
            _("完成进度应在 0 到 100 之间，现为 %(percent)s。") % {"percent": percent})
    progress = TaskProgress.objects.create(
        task=task, unit=unit, reported_by=user, text=text, percent=percent,
        evidence=evidence or "",
    )
    if task.status == Status.NOT_STARTED:
        task.status = Status.IN_PROGRESS
        task.save(update_fields=["status", "updated_at"])
    _event(task, EventKind.PROGRESS, user)
    return progress


@transaction.atomic
def request_close(scope: Scope, task: Task, user, comment: str = "") -> Task:
    """申请销号: the lead unit reports the task done (→ 已完成) and asks for close-out."""
    task = _locked_copy(task)
    scope.require_write(task.lead_unit)
    if not acts_for(scope, task.lead_unit):
        raise PermissionDenied(
            _("只有牵头单位可以为“%(task)s”申请销号。") % {"task": task.title})
    if task.status not in (*OPEN_STATUSES, Status.OVERDUE):
        _refuse(task, _("申请销号"))
    task.status = Status.DONE
    task.completed_on = timezone.localdate()
    task.save(update_fields=["status", "completed_on", "updated_at"])
    comment = (comment or "").strip()
    _event(task, EventKind.CLOSE_REQUESTED, user, comment)
    message = _("%(unit)s报告督办事项“%(task)s”已完成，申请销号，请审核。") % {
        "unit": task.lead_unit.name, "task": task.title}
    if comment:
        message += _("说明：%(comment)s") % {"comment": comment}
    notify_on_commit(NotificationKind.CLOSE_REQUESTED,
                     [(office, task, message) for office in city_office_users()])
    return task


def _notify_lead(task: Task, kind: str, message: str) -> None:
    users = users_by_unit([task.lead_unit_id])[task.lead_unit_id]
    notify_on_commit(kind, [(user, task, message) for user in users])


def _decide(scope: Scope, task: Task, action: str) -> Task:
    scope.require_city_office()
    task = _locked_copy(task)
    scope.require_write(task.lead_unit)
    if task.status != Status.DONE:
        _refuse(task, action)
    return task


@transaction.atomic
def approve_close(scope: Scope, task: Task, user, comment: str = "") -> Task:
    """同意销号: the city office closes out a task its lead unit reported done."""
    task = _decide(scope, task, _("销号"))
    task.status = Status.CLOSED
    task.closed_at = timezone.now()
    task.save(update_fields=["status", "closed_at", "updated_at"])
    comment = (comment or "").strip()
    _event(task, EventKind.CLOSE_APPROVED, user, comment)
    message = _("督办事项“%(task)s”已同意销号。") % {"task": task.title}
    if comment:
        message += _("意见：%(comment)s") % {"comment": comment}
    _notify_lead(task, NotificationKind.CLOSE_APPROVED, message)
    return task


@transaction.atomic
def reject_close(scope: Scope, task: Task, user, comment: str) -> Task:
    """退回销号申请: the city office sends the task back with the reason; it is under way
    again (推进中). When its deadline has passed meanwhile the pages show it overdue at
    once (:func:`late_q`), and :func:`mark_overdue` turns it so with its event and
    escalation, as any other task."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("退回销号申请时须填写退回原因。"))
    task = _decide(scope, task, _("退回销号申请"))
    task.status = Status.IN_PROGRESS
    task.completed_on = None
    task.save(update_fields=["status", "completed_on", "updated_at"])
    _event(task, EventKind.CLOSE_REJECTED, user, comment)
    _notify_lead(task, NotificationKind.CLOSE_REJECTED,
                 _("督办事项“%(task)s”的销号申请已退回，退回原因：%(comment)s请补充后重新申请。")
                 % {"task": task.title, "comment": comment.rstrip("。") + "。"})
    return task


@transaction.atomic
def mark_overdue(today: dt.date | None = None) -> int:
    """逾期: every task not yet done whose deadline is before ``today`` (default: the local
    date) becomes overdue, in one update; returns how many did."""
    today = today or timezone.localdate()
    due = Task.objects.select_for_update().filter(status__in=OPEN_STATUSES, deadline__lt=today)
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    Task.objects.filter(pk__in=ids).update(status=Status.OVERDUE, updated_at=timezone.now())
    TaskEvent.objects.bulk_create(
        TaskEvent(task_id=pk, kind=EventKind.OVERDUE, status=Status.OVERDUE) for pk in ids
    )
    figures_changed()  # the board shows the new statuses
    return len(ids)


def tasks_for(scope: Scope) -> QuerySet[Task]:
    """The tasks ``scope`` sees: those its subtree leads or co-operates on (配合); the city
    office sees every task."""
    tasks = Task.objects.select_related("lead_unit")
    if scope.root_path is None or scope.is_city_office:
        return tasks
    units = scope.units().values("pk")
    co_tasks = Task.co_units.through.objects.filter(orgunit__in=units).values("task")
    return tasks.filter(Q(lead_unit__in=units) | Q(pk__in=co_tasks))


def late_q(today: dt.date) -> Q:
    """Tasks still open whose deadline has passed but that :func:`mark_overdue` has not
    reached yet: shown and counted as overdue (逾期)."""
    return Q(status__in=OPEN_STATUSES, deadline__lt=today)


def status_q(status: str, today: dt.date) -> Q:
    """The tasks whose status, as shown to users on ``today``, is ``status``."""
    if status == Status.OVERDUE:
        return Q(status=Status.OVERDUE) | late_q(today)
    if status in OPEN_STATUSES:
        return Q(status=status) & ~late_q(today)
    return Q(status=status)


def shown_status(task: Task, today: dt.date) -> str:
    """The status shown to users on ``today``: an open task past its deadline is overdue
    (逾期) even before :func:`mark_overdue` reached it; the pure twin of :func:`status_q`."""
    late = task.status in OPEN_STATUSES and task.deadline is not None and task.deadline < today
    return Status.OVERDUE if late else task.status


def task_counts(scope: Scope, today: dt.date | None = None) -> list[tuple[str, str, int]]:
    """督办事项统计: how many of the tasks ``scope`` sees are in each status, as shown on
    ``today``, in one query; ``(status, label, n)`` in the order of :class:`Status`."""
    today = today or timezone.localdate()
    shown = Case(When(late_q(today), then=Value(Status.OVERDUE)), default=F("status"))
    counts = dict(tasks_for(scope).order_by().annotate(shown=shown).values("shown")
                  .annotate(n=Count("pk")).values_list("shown", "n"))
    return [(status, Status(status).label, counts.get(status, 0)) for status in Status.values]


def open_tasks(scope: Scope, today: dt.date | None = None) -> QuerySet[Task]:
    """The tasks ``scope`` sees that are not done yet (未启动/推进中/逾期), soonest first,
    each with ``late``: overdue as of ``today``."""
    today = today or timezone.localdate()
    return tasks_for(scope).filter(status__in=(*OPEN_STATUSES, Status.OVERDUE)).annotate(
        late=ExpressionWrapper(status_q(Status.OVERDUE, today), output_field=BooleanField()))


def _deadline_of(draft: dict) -> tuple[dt.date | None, bool]:
    if draft.get("deadline_workdays") is not None:
        return workday_deadline(draft.get("source_date"), draft["deadline_workdays"])
    return draft.get("deadline"), False


def _key(draft: dict) -> tuple:
    return (draft["title"].strip(), draft.get("source_title", "").strip(),
            draft.get("source_date"))


def _draft_changes(task: Task, draft: dict) -> tuple[dict, list[OrgUnit] | None]:
    """What ``draft`` changes on ``task``: the fields ``{name: new value}``, and the new
    co-units (None when they stay)."""
    lead_unit = draft["lead_unit"]
    co_units = [u for u in dict.fromkeys(draft.get("co_units", ())) if u.pk != lead_unit.pk]
    deadline, estimated = _deadline_of(draft)
    fields = {
        "source_kind": draft.get("source_kind", SourceKind.MEETING),
        "lead_unit_id": lead_unit.pk,
        "deadline": deadline,
        "deadline_estimated": estimated,
        "deadline_workdays": draft.get("deadline_workdays"),
        "target": (draft.get("target") or "").strip(),
    }
    changed = {name: value for name, value in fields.items() if getattr(task, name) != value}
    same_co = {u.pk for u in task.co_units.all()} == {u.pk for u in co_units}
    return changed, None if same_co else co_units


def _existing(drafts: list[dict], lock: bool = False) -> dict[tuple, Task]:
    tasks = Task.objects.filter(title__in={_key(d)[0] for d in drafts})
    if lock:
        tasks = tasks.select_for_update()
    return {(task.title, task.source_title, task.source_date): task
            for task in tasks.prefetch_related("co_units")}


def closed_updates(drafts: list[dict]) -> dict[int, str]:
    """The drafts (by index) that would change a task already closed out (已销号), with
    the refusal; a closed task is not reopened by an import."""
    existing = _existing(drafts)
    refused = {}
    for index, draft in enumerate(drafts):
        task = existing.get(_key(draft))
        if task is None or task.status != Status.CLOSED:
            continue
        changed, co_units = _draft_changes(task, draft)
        if changed or co_units is not None:
            refused[index] = _("督办事项“%(task)s”已销号，不能再修改。") % {"task": task.title}
    return refused


def _changed_labels(changed: dict, co_units) -> str:
    names = [*(Task._meta.get_field(name.removesuffix("_id")).verbose_name
               for name in changed), *([Task._meta.get_field("co_units").verbose_name]
                                       if co_units is not None else [])]
    return "、".join(str(name) for name in names)


def preview_tasks(scope: Scope, drafts: list[dict]) -> tuple[int, int]:
    """The ``(created, updated)`` that :func:`upsert_tasks` would return for ``drafts``,
    raising what it would raise, by reading only (an import's dry run)."""
    scope.require_city_office()
    refused = closed_updates(drafts)
    if refused:
        raise ValidationError(list(dict.fromkeys(refused.values())))
    existing = _existing(drafts)
    created = updated = 0
    for draft in drafts:
        task = existing.get(_key(draft))
        if task is None:
            fields = {k: draft.get(k) for k in (
                "title", "lead_unit", "source_date", "deadline", "deadline_workdays")}
            _checked(scope, co_units=draft.get("co_units", ()),
                     source_title=draft.get("source_title", ""),
                     deadline_text=draft.get("deadline_text", ""), **fields)
            created += 1
            continue
        changed, co_units = _draft_changes(task, draft)
        if changed or co_units is not None:
            for unit in (draft["lead_unit"], *(co_units or ())):
                scope.require_write(unit)
            updated += 1
    return created, updated


@transaction.atomic
def upsert_tasks(scope: Scope, drafts: list[dict], user=None) -> tuple[int, int]:
    """导入督办事项: create or update tasks by their natural key (title, source title,
    source date), so that applying the same list again creates nothing new; returns
    ``(created, updated)``. Each draft holds the keyword arguments of :func:`create_task`;
    an existing task takes the draft's source kind, units, deadline and target, and is
    counted as updated only when one of them changed, with an event naming the changed
    fields (修改). An overdue task whose deadline moves to today or later is under way
    again (推进中, or 未启动 without progress). A change to a closed task (已销号) is
    refused (:func:`closed_updates`)."""
    scope.require_city_office()
    refused = closed_updates(drafts)
    if refused:
        raise ValidationError(list(dict.fromkeys(refused.values())))
    existing = _existing(drafts, lock=True)
    today = timezone.localdate()
    created = updated = 0
    for draft in drafts:
        key = _key(draft)
        task = existing.get(key)
        if task is None:
            existing[key] = create_task(scope, user=user, **draft)
            created += 1
            continue
        changed, co_units = _draft_changes(task, draft)
        if not changed and co_units is None:
            continue
        lead_unit = draft["lead_unit"]
        for unit in (lead_unit, *(co_units if co_units is not None else ())):
            scope.require_write(unit)
        for name, value in changed.items():
            setattr(task, name, value)
        moved_on = "deadline" in changed and (task.deadline is None or task.deadline >= today)
        if task.status == Status.OVERDUE and moved_on:
            task.status = (Status.IN_PROGRESS if task.progress.exists()
                           else Status.NOT_STARTED)
            changed["status"] = task.status
        task.save(update_fields=[*changed, "updated_at"])
        if co_units is not None:
            task.co_units.set(co_units)
        _event(task, EventKind.UPDATED, user,
               _("修改了：%(fields)s。") % {"fields": _changed_labels(
                   {k: v for k, v in changed.items() if k != "status"}, co_units)})
        updated += 1
    return created, updated
