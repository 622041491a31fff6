"""The bulletin page (通报): the month's version previewed, its downloads and its history
with the text diff between versions; for the city office, generating, editing the problems
and next steps, the 文号, date and issuer (a published version: 修改并生成新版本), and
publishing. The edit form and 发布 carry the version and digest the page showed, so a
bulletin changed meanwhile is refused. Every write is a service call."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from jiangping.bulletins import render as faces
from jiangping.bulletins import services
from jiangping.bulletins.models import BulletinVersion
from jiangping.core.access import EVERYONE, OFFICE, READERS, roles_allowed
from jiangping.core.periods import default_period, offered_periods
from jiangping.orgs.scope import Scope

PERIOD = r"^\d{4}-(0[1-9]|1[0-2])$"
FORMAT_LABELS = {"docx": _lazy("Word 文档（DOCX）"), "html": _lazy("网页（HTML）"),
                 "pdf": _lazy("PDF")}


class PeriodQuery(forms.Form):
    period = forms.RegexField(regex=PERIOD, required=False)
    version = forms.IntegerField(min_value=1, required=False)


class DiffQuery(forms.Form):
    period = forms.RegexField(regex=PERIOD)
    old = forms.IntegerField(min_value=1)
    new = forms.IntegerField(min_value=1)


class GenerateForm(forms.Form):
    period = forms.RegexField(regex=PERIOD)
    # What is typed is checked by the service, which names the field and the character in
    # its refusal (Django's own check of NUL would only make the form invalid).
    number = forms.CharField(required=False, strip=False)
    date = forms.CharField(required=False, strip=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "period" and isinstance(field, forms.CharField):
                field.validators = []


class SeenForm(GenerateForm):
    """The version and text digest the page showed (the edit form and 发布 send them)."""

    version = forms.IntegerField(min_value=1, required=False)
    digest = forms.CharField(required=False)


class EditForm(SeenForm):
    issuer = forms.CharField(required=False, strip=False)
    problems = forms.CharField(required=False, strip=False)
    actions = forms.CharField(required=False, strip=False)

    def typed(self) -> dict:
        """What the office typed, to show it again after a refusal."""
        return {name: self.data.get(name, "") for name in
                ("number", "date", "issuer", "problems", "actions")}


def _query(request) -> tuple[str, int | None]:
    query = PeriodQuery(request.GET)
    if not query.is_valid():
        raise Http404(_("期间无效。"))
    return query.cleaned_data["period"] or default_period(), query.cleaned_data["version"]


def _page(period: str) -> str:
    return f"{reverse('bulletins:page')}?period={period}"


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _history(versions: list[BulletinVersion]) -> list[dict]:
    """Each version with the one before it that the user sees (for 与上一版比较)."""
    rows = []
    for index, version in enumerate(versions):
        before = versions[index + 1] if index + 1 < len(versions) else None
        rows.append({"v": version, "before": before})
    return rows


def _shown_fields(shown: BulletinVersion) -> dict:
    return {"number": shown.number, "date": shown.date, "issuer": shown.issuer,
            "problems": "\n".join(services.paragraphs(shown, "problems")),
            "actions": "\n".join(services.paragraphs(shown, "actions"))}


def _page_context(scope: Scope, period: str, asked: int | None = None, *,
                  typed: dict | None = None, errors: list[str] | None = None) -> dict:
    """The page of ``period`` showing version ``asked`` (the latest visible when ``None``);
    the city office edits the latest version, its fields from ``typed`` when given (what
    was refused, with ``errors``), else as the version shows them."""
    versions = list(services.visible_versions(scope, period))
    shown = next((v for v in versions if v.version == asked), None) if asked else (
        versions[0] if versions else None)
    if asked and shown is None:
        raise Http404(_("没有可查看的该版通报。"))
    run = services.published_run(period)
    editing = scope.is_city_office and shown is not None and shown.pk == versions[0].pk
    return {
        "period": period, "periods": offered_periods(period), "versions": _history(versions),
        "shown": shown, "run": run, "can_generate": scope.is_city_office,
        "editing": editing, "fields": (typed or _shown_fields(shown)) if editing else None,
        "errors": errors or [],
        "stale": editing and run is not None and shown.run_id != run.pk,
        "preview": mark_safe(faces.preview(shown.document())) if shown else "",  # noqa: S308  (the writer escapes the text)
        "downloads": [(fmt, FORMAT_LABELS[fmt]) for fmt in services.FORMATS],
    }


@roles_allowed(READERS)
def bulletin_page(request):
    """通报: the month's latest visible version (or ``?version=N``) with its preview."""
    period, asked = _query(request)
    return render(request, "bulletins/bulletin.html",
                  _page_context(Scope.for_user(request.user), period, asked))


@roles_allowed(OFFICE)
@require_POST
def generate(request):
    """生成: compose the month from its published review (a draft, or the same version when
    nothing changed)."""
    scope = Scope.for_user(request.user)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        raise Http404(_("期间无效。"))
    data = form.cleaned_data
    before = services.latest(data["period"])
    try:
        made = services.generate(scope, data["period"], number=data["number"] or None,
                                 date=data["date"] or None, user=request.user)
    except ValidationError as error:
        _refused(request, error)
        return redirect(_page(data["period"]))
    if before is not None and made.pk == before.pk and made.updated_at == before.updated_at:
        messages.info(request, _("数据未变，通报内容与第%(v)d版相同。") % {"v": made.version})
    else:
        messages.success(request, _("已生成第%(v)d版（草稿），发布前仅市级可见。")
                         % {"v": made.version})
    return redirect(_page(data["period"]))


@roles_allowed(OFFICE)
@require_POST
def edit(request):
    """保存修改 / 修改并生成新版本: the latest version's problems and next steps (one
    paragraph per line), 文号, date and issuer, as the office saw it (``version``,
    ``digest``). A published version gets a new draft version with the edits. A refusal
    shows the page again with what was typed and why (422)."""
    scope = Scope.for_user(request.user)
    form = EditForm(request.POST)
    if not form.is_valid():
        raise Http404(_("期间无效。"))
    data = form.cleaned_data
    period = data["period"]
    before = services.latest(period)
    try:
        made = services.edit(scope, period, problems=data["problems"], actions=data["actions"],
                             number=data["number"] or None, date=data["date"] or None,
                             issuer=data["issuer"] or None, version=data["version"],
                             digest=data["digest"] or None, user=request.user)
    except ValidationError as error:
        context = _page_context(scope, period, typed=form.typed(), errors=error.messages)
        return render(request, "bulletins/bulletin.html", context, status=422)
    if before is not None and made.pk == before.pk and made.is_published:
        messages.info(request, _("未作修改，通报内容与第%(v)d版相同。") % {"v": made.version})
    elif before is not None and made.pk != before.pk:
        messages.success(request, _("已生成第%(v)d版（草稿），发布前仅市级可见。")
                         % {"v": made.version})
    else:
        messages.success(request, _("已保存修改。"))
    return redirect(_page(period))


@roles_allowed(OFFICE)
@require_POST
def publish(request):
    """发布: the draft the office saw (``version``, ``digest``) is frozen and its three
    files written; everyone may download them."""
    scope = Scope.for_user(request.user)
    form = SeenForm(request.POST)
    if not form.is_valid():
        raise Http404(_("期间无效。"))
    data = form.cleaned_data
    period = data["period"]
    try:
        made = services.publish(scope, period, request.user, version=data["version"],
                                digest=data["digest"] or None)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("已发布第%(v)d版通报，所有用户均可查看和下载。")
                         % {"v": made.version})
    return redirect(_page(period))


@roles_allowed(READERS)
@require_GET
def diff(request):
    """与上一版比较: the text of two versions side by side (a fragment for htmx)."""
    scope = Scope.for_user(request.user)
    query = DiffQuery(request.GET)
    if not query.is_valid():
        raise Http404(_("比较的版本无效。"))
    data = query.cleaned_data
    old = services.visible_version(scope, data["period"], data["old"])
    new = services.visible_version(scope, data["period"], data["new"])
    if old is None or new is None:
        raise Http404(_("没有可查看的该版通报。"))
    template = "bulletins/_diff.html" if request.headers.get("HX-Request") \
        else "bulletins/diff.html"
    return render(request, template, {"period": data["period"], "old": old, "new": new,
                                      "rows": services.text_diff(old, new)})


@roles_allowed(EVERYONE)
@require_GET
def download(request, period: str, version: int, fmt: str):
    """下载: a version's file; published versions for every user, drafts for the office."""
    scope = Scope.for_user(request.user)
    if fmt not in services.FORMATS or not PeriodQuery({"period": period}).is_valid():
        raise Http404(_("没有该格式的通报。"))
    found = services.visible_version(scope, period, version)
    if found is None:
        raise Http404(_("没有可下载的该版通报。"))
    path = services.files(found, [fmt])[fmt]
    return FileResponse(path.open("rb"), as_attachment=True,
                        filename=services.download_name(found, fmt),
                        content_type=faces.CONTENT_TYPES[fmt])
