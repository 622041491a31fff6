"""Submission actions (填报流程): open, submit, approve, return, unlock.

A submission is one unit's form for one period: draft → submitted → approved, or
returned (退回) with a reason and submitted again. Approval locks the data (the
indicator actions refuse writes to an approved unit and period) until the city
office unlocks it. Every change is one transaction with its
:class:`~jiangping.intake.models.SubmissionEvent`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from jiangping.core.pagecache import cached_fragment
from jiangping.core.periods import latest_complete_period, majority, period_label
from jiangping.intake.history import UNLOCKED, queue_key
from jiangping.intake.locks import serialise
from jiangping.intake.models import State, Submission, SubmissionEvent
from jiangping.intake.normalize import CellError, parse_period, quote
from jiangping.intake.registry import UnknownForm, get_form
from jiangping.orgs.models import Level, OrgUnit, home_city
from jiangping.orgs.scope import Scope

DEFAULT_SUBMISSION_DAY = 5
MISSING = "missing"  # the state of a unit that has not opened the form (未填报)


def default_deadline(period: str) -> dt.date:
    """The deadline (截止日) of a period: day ``JIANGPING_SUBMISSION_DAY`` (default 5) of the
    next month, e.g. 2019-12-05 for 2019-11."""
    year, month = int(period[:4]), int(period[5:7])
    day = int(getattr(settings, "JIANGPING_SUBMISSION_DAY", DEFAULT_SUBMISSION_DAY))
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dt.date(year, month, max(1, min(day, 28)))


def valid_period(period: str) -> str:
    """``period`` in the one spelling ``YYYY-MM``; ValidationError in Chinese if unreadable."""
    try:
        normalized = parse_period(period)
    except CellError:
        normalized = None
    if normalized is None:
        raise ValidationError(
            _("期间“%(period)s”格式不正确，应为“YYYY-MM”。") % {"period": quote(period)})
    return normalized


def _event(submission: Submission, user, comment: str = "") -> None:
    SubmissionEvent.objects.create(
        submission=submission, state=submission.state, by=user, comment=comment
    )


def _locked_copy(submission: Submission) -> Submission:
    """The submission read afresh and held until commit; first the writers' lock of its
    unit-month (:mod:`jiangping.intake.locks`), so that a write that checked the state
    before this change commits before it, and one that checks after sees it."""
    serialise(submission.form, [(submission.unit_id, submission.period)])
    return Submission.objects.select_for_update().select_related("unit").get(pk=submission.pk)


def _refuse(submission: Submission, action: str) -> None:
    raise ValidationError(
        _("“%(unit)s”%(period)s的报表当前状态为“%(state)s”，不能%(action)s。") % {
            "unit": submission.unit.name, "period": period_label(submission.period),
            "state": submission.get_state_display(), "action": action,
        }
    )


@transaction.atomic
def get_or_open(unit: OrgUnit, period: str, form: str, user=None) -> Submission:
    """The submission of ``unit`` for ``period`` and ``form``, opened as a draft if new."""
    period = valid_period(period)
    submission, created = Submission.objects.get_or_create(
        unit=unit, period=period, form=form,
        defaults={"deadline": default_deadline(period), "state": State.DRAFT},
    )
    if created:
        _event(submission, user)
    return submission


def reporting_levels(form: str) -> tuple[str, ...]:
    """The levels of the units that report ``form`` through a submission, as its app
    declares (``Form.reported_by``); none for a form of the city office's own data
    (年度目标, 全省通报数据) or an unknown one."""
    try:
        return get_form(form).reported_by
    except UnknownForm:
        return ()


def open_submission(scope: Scope, unit: OrgUnit, period: str, form: str, user=None) -> Submission:
    """打开填报 on a user's behalf: :func:`get_or_open`, provided ``scope`` may write ``unit``
    and ``unit`` is one that reports ``form`` (PermissionDenied, ValidationError)."""
    scope.require_write(unit)
    levels = reporting_levels(form)
    if not levels:
        raise ValidationError(
            _("报表“%(form)s”不通过填报报送，不能打开填报。") % {"form": form})
    if unit.level not in levels:
        raise ValidationError(
            _("“%(unit)s”不报送报表“%(form)s”：该表由%(levels)s报送。") % {
                "unit": unit.name, "form": form,
                "levels": "、".join(str(Level(level).label) for level in levels)})
    return get_or_open(unit, period, form, user)


@transaction.atomic
def submit(scope: Scope, submission: Submission, user) -> Submission:
    """报送: a reporting unit submits its own form (draft or returned → submitted)."""
    submission = _locked_copy(submission)
    scope.require_write(submission.unit)
    if submission.state not in (State.DRAFT, State.RETURNED):
        _refuse(submission, _("报送"))
    submission.state = State.SUBMITTED
    if submission.submitted_at is None:
        # Timeliness counts the first submission; a resubmission after 退回 keeps it.
        submission.submitted_at = timezone.now()
    submission.submitted_by = user
    submission.save(update_fields=["state", "submitted_at", "submitted_by"])
    _event(submission, user)
    return submission


def _decide(scope: Scope, submission: Submission, user, state: str, comment: str,
            allowed: tuple[str, ...], action: str) -> Submission:
    scope.require_city_office()
    submission = _locked_copy(submission)
    scope.require_write(submission.unit)
    if submission.state not in allowed:
        _refuse(submission, action)
    submission.state = state
    submission.decided_at = timezone.now()
    submission.decided_by = user
    submission.comment = comment
    submission.save(update_fields=["state", "decided_at", "decided_by", "comment"])
    _event(submission, user, comment)
    return submission


@transaction.atomic
def approve(scope: Scope, submission: Submission, user, comment: str = "") -> Submission:
    """审核通过: the city office approves a submitted form; its data is locked."""
    return _decide(scope, submission, user, State.APPROVED, comment, (State.SUBMITTED,),
                   _("审核通过"))


@transaction.atomic
def return_(scope: Scope, submission: Submission, user, comment: str) -> Submission:
    """退回: the city office sends a submitted form back with the reason."""
    if not (comment or "").strip():
        raise ValidationError(_("退回时须填写退回原因。"))
    return _decide(scope, submission, user, State.RETURNED, comment.strip(),
                   (State.SUBMITTED,), _("退回"))


@transaction.atomic
def unlock(scope: Scope, submission: Submission, user, comment: str = "") -> Submission:
    """解锁: the city office reopens an approved form for correction (→ returned). The
    comment is the office's own, if any; none is needed, as the trail tells an unlock from
    a return by the state before it (:mod:`jiangping.intake.history`)."""
    return _decide(scope, submission, user, State.RETURNED, (comment or "").strip(),
                   (State.APPROVED,), _("解锁"))


@dataclass(frozen=True)
class UnitMonth:
    """A unit and its submission of one month (``None``: nothing opened yet)."""

    unit: OrgUnit
    submission: Submission | None
    warnings: tuple[str, ...] = ()  # plausibility warnings of its figures (合理性提示)

    @property
    def state(self) -> str:
        return self.submission.state if self.submission else MISSING


# Each submission's trail with who acted, in one query (the events' own order, at then pk).
TRAIL = Prefetch("events", queryset=SubmissionEvent.objects.select_related("by"))


def month_status(scope: Scope, period: str, form: str = "indicators") -> list[UnitMonth]:
    """本月报送情况: every county-level unit of ``scope`` (each owes the form) and any other
    unit that opened one, with its submission of ``period``; the county-level units first."""
    found = {
        s.unit_id: s
        for s in scope.filter(Submission.objects.filter(period=valid_period(period), form=form))
        .select_related("unit", "submitted_by", "decided_by").prefetch_related(TRAIL)
    }
    units = list(scope.units().filter(level=Level.COUNTY).order_by("sort_order", "code"))
    owing = {unit.pk for unit in units}
    units += sorted((s.unit for s in found.values() if s.unit_id not in owing),
                    key=lambda unit: (unit.sort_order, unit.code))
    return [UnitMonth(unit, found.get(unit.pk)) for unit in units]


# --- the month in figures ------------------------------------------------------
# The order states are listed in: what needs the city office first.
STATE_ORDER = (State.SUBMITTED, State.RETURNED, UNLOCKED, State.DRAFT, MISSING, State.APPROVED)


class StateCount(NamedTuple):
    key: str
    label: str
    count: int


def state_label(key: str) -> str:
    """The label of a state of :data:`STATE_ORDER` (已解锁 and 未填报 included)."""
    if key == MISSING:
        return _("未填报")
    if key == UNLOCKED:
        return _("已解锁")
    return State(key).label


def month_counts(scope: Scope, period: str, form: str = "indicators", *,
                 rows: list[UnitMonth] | None = None) -> list[StateCount]:
    """本月报送情况 in figures: how many units of :func:`month_status` are in each state,
    in :data:`STATE_ORDER`. A form reopened by 解锁 counts as 已解锁, apart from one sent
    back by 退回, and is listed only when there is one. ``rows``: the month's
    :func:`month_status` when the caller has it already."""
    if rows is None:
        rows = month_status(scope, period, form)
    counts = Counter(queue_key(row.submission, row.state) for row in rows)
    return [StateCount(key, state_label(key), counts[key]) for key in STATE_ORDER
            if key != UNLOCKED or counts[key]]


# --- the month under review ----------------------------------------------------
RECENT_YEARS = 2  # how far back the month under review is looked for first


def month_submitted_by_most(form: str = "indicators") -> str | None:
    """The latest month in which more than half of the units that owe ``form`` (the home
    city's county-level units, as :func:`month_status` lists them) have submitted it
    (已报送 or 已审核): the month under review when the office has opened none
    (:func:`jiangping.core.periods.review_month`)."""
    city = home_city()
    if city is None:
        return None
    owing = OrgUnit.objects.filter(level=Level.COUNTY, parent=city).count()
    if not owing:
        return None
    submitted = Submission.objects.filter(
        form=form, state__in=(State.SUBMITTED, State.APPROVED),
        unit__level=Level.COUNTY, unit__parent=city)

    def latest_held(months):
        return (months.values("period").order_by("-period").annotate(units=Count("id"))
                .filter(units__gte=majority(owing)).values_list("period", flat=True).first())

    # The answer is almost always among the last months: read those through the index on
    # (form, period, state), and the whole history only when none of them qualifies.
    newest = latest_complete_period()
    window = f"{int(newest[:4]) - RECENT_YEARS}{newest[4:]}"
    return latest_held(submitted.filter(period__gt=window)) or latest_held(
        submitted.filter(period__lte=window))


# --- plausibility warnings of a submission (合理性提示) -------------------------
SubmissionCheck = Callable[[list[int], str], "dict[int, list[str]]"]
_checks: dict[str, SubmissionCheck] = {}


def register_submission_checks(form: str, check: SubmissionCheck) -> None:
    """Let the app owning ``form`` warn about a month's figures in the approval queue:
    ``check(unit ids, period)`` returns each unit's warnings as Chinese lines."""
    _checks[form] = check


def with_warnings(rows: Iterable[UnitMonth], period: str, form: str) -> list[UnitMonth]:
    """``rows`` with the warnings of the figures behind each submission (one check for all,
    kept in the page cache until the figures change: the check reads three months of
    every unit's figures, and the queue is the office's most visited page on review day)."""
    rows = list(rows)
    check = _checks.get(form)
    if check is None or not rows:
        return rows
    period = valid_period(period)
    unit_ids = [row.unit.pk for row in rows if row.submission is not None]
    found = cached_fragment("submission-warnings", (form, period, tuple(unit_ids)),
                            lambda: check(unit_ids, period))
    return [replace(row, warnings=tuple(found.get(row.unit.pk, ()))) for row in rows]
