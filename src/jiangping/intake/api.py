"""API: submissions (填报) and their life cycle: submit, approve, return, unlock; and the
import of a file (``POST /api/intake/import``, multipart), answered in the CLI's JSON.

Each action calls :mod:`jiangping.intake.services`, which decides who may do what;
a submission outside the caller's scope is reported as not found.
"""

from collections.abc import Callable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from jiangping.core.apilists import (
    cached_answer,
    limit_param,
    offset_param,
    page_answer,
    paged,
)
from jiangping.intake import services, uploads
from jiangping.intake.engine import InvalidPeriod, import_period, import_refusal
from jiangping.intake.models import State, Submission, is_late
from jiangping.intake.normalize import quote
from jiangping.intake.registry import UnknownForm, get_form
from jiangping.orgs.api import scope_of, units_in_view

router = Router(tags=["intake"])


class SubmissionOut(Schema):
    id: int
    unit: str = Field(..., alias="unit.code")
    unit_name: str = Field(..., alias="unit.name")
    period: str
    form: str
    state: str
    state_label: str
    deadline: date | None
    late: bool
    locked: bool
    submitted_at: datetime | None
    submitted_by: str | None
    decided_at: datetime | None
    decided_by: str | None
    comment: str

    @staticmethod
    def resolve_state_label(obj: Submission) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_submitted_by(obj: Submission) -> str | None:
        return obj.submitted_by.username if obj.submitted_by_id else None

    @staticmethod
    def resolve_decided_by(obj: Submission) -> str | None:
        return obj.decided_by.username if obj.decided_by_id else None


class ActionIn(Schema):
    comment: str = Field("", description="意见（退回时必填）")


class OpenIn(Schema):
    unit: str = Field(..., description="组织机构代码", examples=["990102"])
    period: str = Field(..., description="期间 YYYY-MM", examples=["2019-11"])
    form: str = Field("indicators", description="报表名称，同导入表单", examples=["indicators"])


def _submissions(request):
    return scope_of(request).filter(Submission.objects.all()).select_related(
        "unit", "submitted_by", "decided_by"
    )


def _submission(request, submission_id: int) -> Submission:
    found = _submissions(request).filter(pk=submission_id).first()
    if found is None:
        raise Http404(_("填报记录 %(id)s 不存在或不在您的数据范围内。") % {"id": submission_id})
    return found


def _answer(request, submission: Submission) -> Submission:
    return _submissions(request).get(pk=submission.pk)


# The columns a submission's item is made of, in SubmissionOut's order.
SUBMISSION_COLUMNS = ("pk", "unit__code", "unit__name", "period", "form", "state",
                      "deadline", "submitted_at", "submitted_by__username", "decided_at",
                      "decided_by__username", "comment")


def submission_items(today: date) -> Callable[[tuple], dict]:
    """The function turning a row of :data:`SUBMISSION_COLUMNS` into SubmissionOut's
    item, late as of ``today``."""
    labels = {key: str(label) for key, label in State.choices}

    def item(row: tuple) -> dict:
        (pk, unit, unit_name, period, form, state, deadline, submitted_at, submitted_by,
         decided_at, decided_by, comment) = row
        return {
            "id": pk, "unit": unit, "unit_name": unit_name, "period": period, "form": form,
            "state": state, "state_label": labels.get(state, state), "deadline": deadline,
            "late": is_late(deadline, submitted_at, today), "locked": state == State.APPROVED,
            "submitted_at": submitted_at, "submitted_by": submitted_by,
            "decided_at": decided_at, "decided_by": decided_by, "comment": comment,
        }

    return item


@router.get("/submissions", response=paged(SubmissionOut), summary="填报记录（本人数据范围）")
def list_submissions(
    request,
    period: str | None = None,
    form: str | None = None,
    state: State | None = None,
    unit: str | None = None,
    limit: int = limit_param(),
    offset: int = offset_param(),
):
    """Submissions of the units in the caller's scope, newest period first; paginated (up
    to 1000 a page). The same page for the same scope, query and day (overdue as of
    today) is kept until a submission changes."""
    today = timezone.localdate()

    def answer():
        submissions = _submissions(request)
        if period:
            submissions = submissions.filter(period=period)
        if form:
            submissions = submissions.filter(form=form)
        if state:
            submissions = submissions.filter(state=state)
        if unit:
            submissions = submissions.filter(unit__code=unit)
        rows = submissions.order_by("-period", "form", "unit__path").values_list(
            *SUBMISSION_COLUMNS)
        return page_answer(request, rows, submission_items(today), limit=limit,
                           offset=offset, max_limit=1000)

    scope = scope_of(request)
    parts = (*scope.cache_key, period or "", form or "",
             str(state or ""), unit or "", limit, offset, today.isoformat())
    return cached_answer("api-submissions", parts, answer)


@router.post("/submissions", response=SubmissionOut, summary="打开填报（不存在时新建草稿）")
def open_submission(request, payload: OpenIn):
    """The submission of one unit, period and form; opened as a draft when new."""
    try:
        get_form(payload.form)
    except UnknownForm:
        raise ValidationError(_("报表“%(form)s”不存在。") % {"form": quote(payload.form)}) from None
    unit = units_in_view(request, [payload.unit])[payload.unit]
    submission = services.open_submission(
        scope_of(request), unit, payload.period, payload.form, user=request.auth)
    return _answer(request, submission)


@router.get("/submissions/{submission_id}", response=SubmissionOut, summary="填报记录详情")
def submission_detail(request, submission_id: int):
    return _submission(request, submission_id)


@router.post("/submissions/{submission_id}/submit", response=SubmissionOut, summary="报送")
def submit(request, submission_id: int):
    submission = services.submit(
        scope_of(request), _submission(request, submission_id), request.auth
    )
    return _answer(request, submission)


@router.post("/submissions/{submission_id}/approve", response=SubmissionOut, summary="审核通过")
def approve(request, submission_id: int, payload: ActionIn | None = None):
    submission = services.approve(
        scope_of(request), _submission(request, submission_id), request.auth,
        comment=payload.comment if payload else "",
    )
    return _answer(request, submission)


@router.post("/submissions/{submission_id}/return", response=SubmissionOut, summary="退回")
def return_(request, submission_id: int, payload: ActionIn | None = None):
    submission = services.return_(
        scope_of(request), _submission(request, submission_id), request.auth,
        comment=payload.comment if payload else "",
    )
    return _answer(request, submission)


@router.post("/submissions/{submission_id}/unlock", response=SubmissionOut, summary="解锁")
def unlock(request, submission_id: int, payload: ActionIn | None = None):
    submission = services.unlock(
        scope_of(request), _submission(request, submission_id), request.auth,
        comment=payload.comment if payload else "",
    )
    return _answer(request, submission)


@router.post("/import", summary="导入表格文件（默认试运行，apply=true 写入）",
             response={200: dict, 422: dict})
def import_file(request, file: File[UploadedFile], form: Form[str],
                period: Form[str | None] = None, apply: Form[bool] = False):
    """Import an XLSX, XLS or CSV file as ``form`` with the caller's scope, as
    ``jiangping import FORM FILE [--period] [--apply] --json``: a dry run unless
    ``apply``. Answers the import JSON (DESIGN §13): 200 accepted, 422 refused (nothing
    written; ``detail`` says why, and ``errors`` lists every refused cell)."""
    try:
        import_form = get_form(form)
    except UnknownForm:
        raise ValidationError(_("报表“%(form)s”不存在。") % {"form": form}) from None
    try:
        period = import_period(period or None)
    except InvalidPeriod as exc:
        raise ValidationError(exc.message) from None
    scope = scope_of(request)
    refusal = import_refusal(import_form, scope)
    if refusal:
        raise PermissionDenied(refusal)
    upload = uploads.keep(file, user=request.auth, form=import_form.name, period=period)
    try:
        result = uploads.import_upload(upload, scope=scope, user=request.auth, apply=apply)
    finally:
        uploads.discard(upload)
    data = result.as_dict()
    if result.ok:
        return Status(200, data)
    whole = [e["message"] for e in data["errors"] if e["row"] is None and e["column"] is None]
    data["detail"] = whole[0] if len(whole) == 1 and len(data["errors"]) == 1 else (
        _("导入被拒绝：%(n)s行有错误，未写入任何数据。") % {"n": result.rows_error}
        if result.rows_error else _("导入被拒绝，未写入任何数据。"))
    return Status(422, data)
