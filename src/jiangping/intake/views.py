"""Pages of the intake app: the city office's approval queue (审核), a reporting unit's
own submissions (我的报送) and the import page (导入数据). Decisions go through
:mod:`jiangping.intake.services`; imports through :mod:`jiangping.intake.uploads` and
the engine's ``run_import``, with the logged-in user's scope, as the CLI's ``--as``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangping.core.access import OFFICE, READERS, WRITERS, roles_allowed
from jiangping.core.pagecache import cached_fragment
from jiangping.core.periods import default_period, offered_periods, opened_month
from jiangping.intake import services, uploads
from jiangping.intake.forms import DecisionForm, ImportUploadForm, QueueQuery
from jiangping.intake.history import queue_key
from jiangping.intake.models import Submission
from jiangping.intake.registry import reported_forms
from jiangping.orgs.models import Role
from jiangping.orgs.scope import Scope

QUEUE_ORDER = {key: position for position, key in enumerate(services.STATE_ORDER)}
ACTIONS = {"approve": services.approve, "return": services.return_, "unlock": services.unlock}


def queue_form(asked: str | None = None) -> str | None:
    """The form the queue reviews: ``asked`` if units report it through submissions, else
    the first such form its app declared (``Form.reported_by``)."""
    names = [form.name for form in reported_forms()]
    if asked in names:
        return asked
    return names[0] if names else None


@roles_allowed(READERS)
def queue(request):
    """The month's submissions of every reporting unit, by state; reporters see their own."""
    scope = Scope.for_user(request.user)
    if request.user.role == Role.REPORTER:
        return _mine(request, scope)
    query = QueueQuery(request.GET)
    if not query.is_valid():
        errors = [e for field in query.errors.values() for e in field]
        return render(request, "indicators/bad_query.html", {"errors": errors}, status=400)
    period = query.cleaned_data["period"] or default_period()
    form = queue_form(request.GET.get("form"))
    parts = (*scope.cache_key, period, form,
             timezone.localdate().isoformat())
    rows_html, counts = cached_fragment(
        "intake-queue", parts, lambda: _queue_rows(scope, period, form))
    return render(request, "intake/queue.html", {
        "period": period,
        "periods": offered_periods(period),
        # The rows are kept rendered (autoescaped) with a stand-in for the CSRF token
        # (they hold the decision forms); this request's token, letters and digits only,
        # goes in on the way out.
        "rows_html": mark_safe(  # noqa: S308
            rows_html.replace(CSRF_STAND_IN, get_token(request))),
        "counts": counts,
        "can_decide": scope.is_city_office,
        "under_review": default_period() if query.cleaned_data["period"] else period,
        "opened": opened_month(),
    })


CSRF_STAND_IN = "jiangping-csrf-stand-in"


def _queue_rows(scope: Scope, period: str, form: str) -> tuple[str, list]:
    """The queue's rows as HTML (with :data:`CSRF_STAND_IN` for the token) and its counts:
    kept in the page cache until a submission or a figure changes."""
    rows = services.with_warnings(services.month_status(scope, period, form), period, form)
    ordered = sorted(rows, key=lambda row: QUEUE_ORDER[queue_key(row.submission, row.state)])
    html = render_to_string("intake/_rows.html", {
        "rows": ordered, "can_decide": scope.is_city_office, "csrf_token": CSRF_STAND_IN})
    return str(html), services.month_counts(scope, period, form, rows=rows)


def _mine(request, scope: Scope):
    submissions = (
        scope.filter(Submission.objects.filter(form=queue_form(request.GET.get("form"))))
        .select_related("unit", "decided_by").prefetch_related(services.TRAIL)
        .order_by("-period")[:24]
    )
    return render(request, "intake/mine.html", {
        "submissions": submissions,
        "period": default_period(),
    })


@roles_allowed(OFFICE)
@require_POST
def decide(request, pk: int, action: str):
    """Approve, return or unlock one submission; answers htmx with the updated row."""
    scope = Scope.for_user(request.user)
    scope.require_city_office()
    submission = get_object_or_404(
        scope.filter(Submission.objects.select_related("unit")), pk=pk,
        form__in=[form.name for form in reported_forms()],
    )
    form = DecisionForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        try:
            ACTIONS[action](scope, submission, request.user,
                            comment=form.cleaned_data["comment"])
        except ValidationError as error:
            errors = error.messages
    else:
        errors = [e for field in form.errors.values() for e in field]
    if request.headers.get("HX-Request"):
        submission = (
            Submission.objects.select_related("unit", "submitted_by", "decided_by")
            .prefetch_related(services.TRAIL).get(pk=pk)
        )
        # The row, and the month's counters out of band so that they stay right.
        row = services.UnitMonth(submission.unit, submission)
        return render(request, "intake/_decided.html", {
            "row": services.with_warnings([row], submission.period, submission.form)[0],
            "can_decide": True,
            "errors": errors,
            "counts": services.month_counts(scope, submission.period, submission.form),
            "oob": True,
        }, status=422 if errors else 200)
    for error in errors:
        messages.error(request, error)
    if not errors:
        messages.success(request, _("%(unit)s：已处理。") % {"unit": submission.unit.name})
    return redirect(reverse("intake:queue") + "?" + urlencode({"period": submission.period}))


@roles_allowed(WRITERS)
def import_page(request):
    """Upload a file and see its dry run; a clean dry run offers to apply the same file."""
    scope = Scope.for_user(request.user)
    if not scope.can_write:
        return render(request, "intake/import.html", {
            "refusal": _("当前角色只能查看，不能修改数据。")}, status=403)
    if request.method != "POST":
        form = ImportUploadForm(scope=scope, initial={"form": request.GET.get("form")})
        return render(request, "intake/import.html", {"form": form})
    form = ImportUploadForm(request.POST, request.FILES, scope=scope)
    if not form.is_valid():
        return render(request, "intake/import.html", {"form": form}, status=422)
    upload = uploads.keep(form.cleaned_data["file"], user=request.user,
                          form=form.cleaned_data["form"].name,
                          period=form.cleaned_data["period"])
    try:
        result = uploads.import_upload(upload, scope=scope, user=request.user, apply=False)
    except BaseException:
        uploads.discard(upload)
        raise
    if not result.ok:  # only a clean dry run may be applied
        uploads.discard(upload)
    return render(request, "intake/import.html", {
        "form": ImportUploadForm(scope=scope, initial={
            "form": upload.form, "period": upload.period}),
        "result": result, "data": result.as_dict(), "import_form": form.cleaned_data["form"],
        "token": upload.token if result.ok else None,
    }, status=200 if result.ok else 422)


@roles_allowed(WRITERS)
@require_POST
def import_apply(request, token: str):
    """Apply the upload of a clean dry run (the same file, the same scope rules)."""
    scope = Scope.for_user(request.user)
    upload = uploads.find(token, request.user)
    if upload is None:
        return render(request, "intake/import.html", {
            "form": ImportUploadForm(scope=scope),
            "refusal": _("上传的文件已过期或不存在，请重新上传。")}, status=404)
    try:
        result = uploads.import_upload(upload, scope=scope, user=request.user, apply=True)
    finally:
        uploads.discard(upload)
    return render(request, "intake/import.html", {
        "form": ImportUploadForm(scope=scope, initial={"form": upload.form}),
        "result": result, "data": result.as_dict(),
    }, status=200 if result.ok else 422)
