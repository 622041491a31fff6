"""Demo supervision tasks (演示督办事项): about 40 tasks in every state.

The tasks come from the two demo speeches (:data:`jiangping.tasks.speech.EXAMPLES`):
each is decomposed by :func:`~jiangping.tasks.proposals.propose` against the registry
gazetteer, as on the speech page, and every proposal whose lead unit the registry knows
becomes a task; one led by 各县(市、区) becomes one task per county-level unit (分解到各县,
as a city office does: the functional zones aside), each county leading its own. Tasks
from a city government document top them up to :data:`TASK_COUNT` if they fall short.
Every change goes through :mod:`jiangping.tasks.services` with the scope of the unit or
office acting, then the audit trail is restamped with simulated times (the services stamp
the clock). The demo's "today" is 26 days after the latest month, and each speech was
given on the last of its meeting days that reviews a month no later than the latest month
and leaves two months before "today"; so the same seed and latest month always give the
same tasks, states and dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from jiangping.demo.geography import Geography
from jiangping.demo.series import stream
from jiangping.orgs.models import Level, OrgUnit, Role, UnitGroup, User
from jiangping.orgs.scope import Scope
from jiangping.tasks import services, speech
from jiangping.tasks.forms import assignable_units
from jiangping.tasks.gazetteer import registry_gazetteer, registry_rows
from jiangping.tasks.holidays import current_calendar
from jiangping.tasks.models import (
    EventKind,
    Notification,
    SourceKind,
    Status,
    Task,
    TaskEvent,
    TaskProgress,
)
from jiangping.tasks.proposals import propose
from jiangping.tasks.workdays import Calendar

DOCUMENT_TITLE = "市人民政府办公室关于印发《冬春季重点工作攻坚方案》的通知"
# The document-source topics that top the speech tasks up: (title, target).
TOPICS = (
    ("加快推进重点项目建设，确保年度投资计划顺利完成", "重点项目开工率达到95%"),
    ("抓好规模以上工业企业稳产增产", "规模以上工业增加值增速不低于7%"),
    ("做好秸秆禁烧和综合利用工作", "秸秆综合利用率达到90%"),
    ("推进农村人居环境整治，完成农村厕所改造", "完成改厕任务3000户"),
    ("加大招商引资力度，落实签约项目", "新签约亿元以上项目5个"),
    ("抓好大气污染防治，降低PM10浓度", "PM10浓度同比下降5%"),
    ("做好农民工工资清欠工作", "拖欠工资案件动态清零"),
    ("推进“放管服”改革，压缩企业开办时间", "企业开办时间压缩至1个工作日"),
    ("抓好安全生产大检查，整改各类隐患", "隐患整改率100%"),
    ("落实减税降费政策，帮助企业纾困", ""),
    ("加快老旧小区改造", "开工改造老旧小区20个"),
    ("做好冬季供暖保障", "供暖投诉办结率100%"),
    ("推进河长制湖长制落实，整治黑臭水体", "黑臭水体消除比例达到90%"),
    ("加强财源建设，确保一般公共预算收入目标", "一般公共预算收入增长6%"),
    ("做好重要农产品保供稳价", ""),
    ("抓好脱贫攻坚问题整改", "反馈问题整改完成率100%"),
    ("推进高标准农田建设", "新建高标准农田2万亩"),
    ("加快5G基站建设", "新建5G基站300个"),
    ("做好春节前市场供应和安全稳定工作", ""),
    ("推进“双随机、一公开”监管全覆盖", "抽查事项覆盖率100%"),
)
# How many tasks end in each state.
PLAN = (
    (Status.NOT_STARTED, 8),
    (Status.IN_PROGRESS, 12),
    (Status.DONE, 6),
    (Status.OVERDUE, 6),
    (Status.CLOSED, 8),
)
TASK_COUNT = sum(n for _status, n in PLAN)
# A speech was given at least this long before the demo's "today".
MEETING_LEAD = timedelta(days=60)
DOCUMENT_BEFORE = timedelta(days=45)  # the document, before the earlier meeting
PROGRESS_TEXTS = (
    "已召开专题会议研究部署，制定工作方案。",
    "已明确责任人和时间表，正在逐项推进。",
    "已完成阶段性任务，正在组织督导检查。",
    "主体工作已基本完成，正在整理佐证材料。",
)
REJECT_COMMENT = "佐证材料不全，请补充现场照片和验收资料后重新申请。"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute,
                    tzinfo=ZoneInfo(settings.TIME_ZONE))


def demo_today(latest: str) -> date:
    """The demo's "today": 26 days after the latest month."""
    year, month = (int(part) for part in latest.split("-"))
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return date(year, month, 1) + timedelta(days=25)


def meeting_date(example_day: date, latest: str) -> date:
    """The day a demo speech was given: the month and day of its example meeting in the
    last year where the month it reviews (the month before) is no later than ``latest``
    and the meeting is :data:`MEETING_LEAD` before the demo's "today"."""
    last = tuple(int(part) for part in latest.split("-"))
    today = demo_today(latest)
    for year in range(today.year, today.year - 3, -1):
        day = example_day.replace(year=year)
        reviewed = day.replace(day=1) - timedelta(days=1)
        if (reviewed.year, reviewed.month) <= last and day <= today - MEETING_LEAD:
            return day
    raise AssertionError("unreachable: a year back always fits")


def _unit_scope(unit) -> Scope:
    """The scope of a user of ``unit`` who reports (its own subtree, may write)."""
    return Scope(root_path=unit.path, can_write=True, is_city_office=False, label=unit.name)


@dataclass
class _Draft:
    """A task to create: from a speech proposal or a document topic."""

    title: str
    lead: OrgUnit
    co_units: list[OrgUnit]
    target: str
    source_kind: str
    source_title: str
    source_date: date
    deadline: date | None  # the proposal's, None for a document topic
    deadline_text: str = ""  # the proposal's deadline as written (春节前)


class _Trail:
    """The simulated times of a task's events and progress reports, in their order."""

    def __init__(self) -> None:
        self.events: list[datetime] = []
        self.progress: list[datetime] = []


def _leads(proposal, row, units: list[OrgUnit]) -> list[tuple[OrgUnit, list[OrgUnit]]]:
    """The ``(lead unit, co-units)`` of the tasks a confirmed row gives: the row's lead;
    for a row led by 各县(市、区), each county-level unit but the functional zones, with
    the row's other co-units; none for a row without a lead the registry knows."""
    by_pk = {unit.pk: unit for unit in units}
    if row.lead_unit is not None:
        return [(by_pk[row.lead_unit], [by_pk[pk] for pk in row.co_units])]
    if not any(speech.ALL_COUNTIES.match(name) for name in proposal.lead_units):
        return []
    counties = [unit for unit in units
                if unit.level == Level.COUNTY and unit.group != UnitGroup.ZONE]
    county_pks = {unit.pk for unit in counties}
    others = [by_pk[pk] for pk in row.co_units if pk not in county_pks]
    return [(county, others) for county in counties]


def speech_drafts(latest: str) -> list[_Draft]:
    """The tasks of the demo speeches, in speech and text order, mapped as on the speech
    page: each proposal the registry gives a lead unit, and one task per county for each
    proposal led by 各县(市、区)."""
    gazetteer = registry_gazetteer()
    units = list(assignable_units())
    drafts = []
    for key, (title, example_day, _file) in speech.EXAMPLES.items():
        text, _title, _day = speech.example(key)
        day = meeting_date(example_day, latest)
        _normal, proposals = propose(text, day, gazetteer)
        for proposal, row in zip(proposals, registry_rows(proposals, units), strict=True):
            deadline = date.fromisoformat(proposal.deadline) if proposal.deadline else None
            drafts.extend(
                _Draft(title=row.title, lead=lead, co_units=co_units, target=row.target,
                       source_kind=SourceKind.SPEECH, source_title=title, source_date=day,
                       deadline=deadline, deadline_text=proposal.deadline_text or "")
                for lead, co_units in _leads(proposal, row, units))
    return drafts


def _document_drafts(n: int, units: list[OrgUnit], day: date, rng) -> list[_Draft]:
    drafts = []
    for number in range(n):
        title, target = TOPICS[number % len(TOPICS)]
        lead = units[rng.randrange(len(units))]
        others = [unit for unit in units if unit.pk != lead.pk]
        drafts.append(_Draft(
            title=title, lead=lead, co_units=rng.sample(others, rng.randint(0, 2)),
            target=target, source_kind=SourceKind.DOCUMENT, source_title=DOCUMENT_TITLE,
            source_date=day, deadline=None,
        ))
    return drafts


def build_tasks(geo: Geography, users: list[User], latest: str, seed: int) -> dict[str, int]:
    """Create the demo tasks; returns how many are in each status (by value)."""
    rng = stream(seed, "tasks")
    today = demo_today(latest)
    office_user = next(user for user in users if user.role == Role.CITY_OFFICE)
    office = Scope.for_user(office_user)
    reporters = {user.unit_id: user for user in users if user.role == Role.REPORTER}
    drafts = speech_drafts(latest)
    first_meeting = min(meeting_date(day, latest) for _t, day, _f in speech.EXAMPLES.values())
    drafts += _document_drafts(max(0, TASK_COUNT - len(drafts)),
                               [*geo.counties[geo.home.code], *geo.departments],
                               first_meeting - DOCUMENT_BEFORE, rng)
    plan = [status for status, n in PLAN for _ in range(n)]
    statuses = (plan * (len(drafts) // len(plan) + 1))[:len(drafts)]
    rng.shuffle(statuses)
    trails: dict[int, _Trail] = {}
    calendar = current_calendar()
    for draft, status in zip(drafts, statuses, strict=True):
        deadline, n_workdays = _deadline(status, draft, today, rng, calendar)
        task = services.create_task(
            office, user=office_user, title=draft.title, lead_unit=draft.lead,
            co_units=draft.co_units, source_kind=draft.source_kind,
            source_title=draft.source_title, source_date=draft.source_date,
            deadline=deadline if n_workdays is None else None, deadline_workdays=n_workdays,
            deadline_text=draft.deadline_text if deadline == draft.deadline else "",
            target=draft.target,
        )
        trail = trails[task.pk] = _Trail()
        trail.events.append(_at(draft.source_date + timedelta(days=1), 9, rng.randint(0, 59)))
        _advance(task, status, draft.lead, draft.co_units, reporters, office, office_user,
                 trail, today, rng)
    services.mark_overdue(today)
    _restamp(trails, today)
    return task_counts()


def _deadline(status: str, draft: _Draft, today: date, rng,
              calendar: Calendar) -> tuple[date, int | None]:
    """A deadline that puts the task on the right side of ``today``: past for overdue
    tasks, ahead for open ones. The proposal's deadline when it is; otherwise one drawn,
    in working days for some tasks done when the holiday calendar knows the year."""
    source_day, proposed = draft.source_date, draft.deadline
    if status == Status.OVERDUE:
        if proposed and source_day < proposed < today:
            return proposed, None
        return today - timedelta(days=rng.randint(3, 20)), None
    if status in (Status.NOT_STARTED, Status.IN_PROGRESS):
        if proposed and proposed > today:
            return proposed, None
        return today + timedelta(days=rng.randint(10, 70)), None
    if proposed and proposed > source_day:
        return proposed, None
    if rng.random() < 0.5 and calendar.known(source_day.year):
        n = rng.choice((10, 15, 20))
        return calendar.add_workdays(source_day, n), n
    return source_day + timedelta(days=rng.randint(20, 40)), None


def _advance(task: Task, status: str, lead, co_units: list, reporters: dict, office: Scope,
             office_user, trail: _Trail, today: date, rng) -> None:
    """Report progress and close out until the task reaches ``status``."""
    if status == Status.NOT_STARTED:
        return
    start = trail.events[0].date()
    reports = {Status.IN_PROGRESS: rng.randint(1, 3), Status.OVERDUE: rng.randint(0, 1)}.get(
        status, rng.randint(2, 3))
    end = today - timedelta(days=2) if status != Status.CLOSED else start + timedelta(days=30)
    span = max((end - start).days, reports + 1)
    days = sorted(rng.sample(range(1, span), reports)) if reports else []
    for index, offset in enumerate(days):
        unit = co_units[0] if co_units and index == 1 else lead
        services.report_progress(_unit_scope(unit), task, reporters.get(unit.pk),
                                 PROGRESS_TEXTS[min(index, len(PROGRESS_TEXTS) - 1)],
                                 percent=min(100, 30 * (index + 1)))
        when = _at(start + timedelta(days=offset), 10 + index, rng.randint(0, 59))
        trail.progress.append(when)
        trail.events.append(when)
    if status not in (Status.DONE, Status.CLOSED):
        return
    last = trail.events[-1].date()
    lead_scope, lead_user = _unit_scope(lead), reporters.get(lead.pk)
    services.request_close(lead_scope, task, lead_user, "已按要求完成，申请销号。")
    trail.events.append(_at(last + timedelta(days=2), 16))
    if status == Status.DONE:
        return
    if rng.random() < 0.3:
        services.reject_close(office, task, office_user, REJECT_COMMENT)
        trail.events.append(_at(last + timedelta(days=4), 10))
        services.request_close(lead_scope, task, lead_user, "已补充佐证材料。")
        trail.events.append(_at(last + timedelta(days=7), 15))
        last += timedelta(days=5)
    services.approve_close(office, task, office_user)
    trail.events.append(_at(last + timedelta(days=4), 11))


def _restamp(trails: dict[int, _Trail], today: date) -> None:
    """Put the simulated times on the trail the services stamped with the clock: events,
    progress reports, close-out notices, creation, completion and close-out."""
    events = list(TaskEvent.objects.filter(task__in=trails).order_by("task", "pk"))
    progress = list(TaskProgress.objects.filter(task__in=trails).order_by("task", "pk"))
    tasks = list(Task.objects.filter(pk__in=trails))
    by_task: dict[int, list] = {}
    for event in events:
        by_task.setdefault(event.task_id, []).append(event)
    for task_id, rows in by_task.items():
        times = trails[task_id].events
        for position, event in enumerate(rows):
            # mark_overdue's event, after the planned ones, dates from the deadline.
            event.at = times[position] if position < len(times) else None
    overdue_at = {task.pk: _at(task.deadline + timedelta(days=1), 1) for task in tasks
                  if task.deadline and task.deadline < today}
    for event in events:
        if event.at is None:
            event.at = overdue_at.get(event.task_id, _at(today, 1))
    TaskEvent.objects.bulk_update(events, ["at"])
    seen: dict[int, int] = {}
    for report in progress:
        index = seen[report.task_id] = seen.get(report.task_id, -1) + 1
        report.at = trails[report.task_id].progress[index]
    TaskProgress.objects.bulk_update(progress, ["at"])
    for task in tasks:
        rows = by_task[task.pk]
        task.created_at = rows[0].at
        requested = [e.at for e in rows if e.kind == EventKind.CLOSE_REQUESTED]
        if task.completed_on is not None:
            task.completed_on = requested[-1].date()
        approved = [e.at for e in rows if e.kind == EventKind.CLOSE_APPROVED]
        if task.closed_at is not None:
            task.closed_at = approved[-1]
        task.updated_at = rows[-1].at
    Task.objects.bulk_update(tasks, ["created_at", "completed_on", "closed_at", "updated_at"])
    _restamp_notices(by_task)


def _restamp_notices(events: dict[int, list[TaskEvent]]) -> None:
    """A close-out notice dates from its event: the notices of one kind on a task, in
    order, fall evenly on that kind's events (each event told the same users)."""
    notices = list(Notification.objects.filter(task__in=events).order_by("task", "kind", "pk"))
    groups: dict[tuple[int, str], list[Notification]] = {}
    for notice in notices:
        groups.setdefault((notice.task_id, notice.kind), []).append(notice)
    for (task_id, kind), rows in groups.items():
        times = [event.at for event in events[task_id] if event.kind == kind]
        per = max(1, len(rows) // len(times))
        for index, notice in enumerate(rows):
            notice.created = times[min(index // per, len(times) - 1)]
    Notification.objects.bulk_update(notices, ["created"])


def task_counts() -> dict[str, int]:
    """How many tasks are in each status (by value), for the summary of a demo."""
    counts: dict[str, int] = {}
    for status in Task.objects.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts
