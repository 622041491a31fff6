"""API of the bulletin (``/api/bulletins/``): a month's versions as the page shows them
(drafts for the city office only), generating, editing and publishing for the city office,
a version's file, and the text diff between two versions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from jiangping.bulletins import render, services
from jiangping.bulletins.models import BulletinVersion
from jiangping.core.periods import period_label, validate
from jiangping.core.text import join_sentences
from jiangping.orgs.scope import Scope

router = Router(tags=["通报"])


class GenerateIn(Schema):
    """文号, 成文日期, 发文机关 and the office's paragraphs; each left out keeps the latest
    version's."""

    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    problems: list[str] | None = None
    actions: list[str] | None = None


class SeenIn(Schema):
    """The version and text digest the client last read; when given, a bulletin changed
    since is refused (409)."""

    version: int | None = None
    digest: str | None = None


class EditIn(GenerateIn, SeenIn):
    """An edit of the latest version, with what the client last read."""


def _period(period: str) -> str:
    try:
        return validate(period)
    except ValidationError:
        raise Http404(_("期间“%(period)s”无效，应为 YYYY-MM。") % {"period": period}) from None


def _shown(bulletin: BulletinVersion) -> dict:
    return {
        "period": bulletin.period, "version": bulletin.version, "status": bulletin.status,
        "review_version": bulletin.review_version, "number": bulletin.number,
        "date": bulletin.date, "issuer": bulletin.issuer, "edits": bulletin.edits,
        "digest": bulletin.digest, "created_at": bulletin.created_at.isoformat(),
        "updated_at": bulletin.updated_at.isoformat(),
        "published_at": bulletin.published_at.isoformat() if bulletin.published_at else None,
        "files": {fmt: reverse("api:bulletin_file",
                               args=[bulletin.period, bulletin.version, fmt])
                  for fmt in services.FORMATS},
    }


def _visible(request, period: str, version: int) -> BulletinVersion:
    found = services.visible_version(Scope.for_user(request.user), _period(period), version)
    if found is None:
        raise Http404(_("%(month)s没有可查看的第%(v)d版通报。")
                      % {"month": period_label(period), "v": version})
    return found


@router.get("/{period}", summary="某月通报的各版本（已发布；市级可见草稿）")
def versions(request, period: str):
    scope = Scope.for_user(request.user)
    found = services.visible_versions(scope, _period(period))
    return {"period": period, "versions": [_shown(v) for v in found]}


@router.get("/{period}/versions/{version}", summary="某版通报的内容（文档树）与正文文本")
def version_content(request, period: str, version: int):
    found = _visible(request, period, version)
    return {**_shown(found), "content": found.content, "text": found.document().text()}


def _stale(error: services.StaleVersion) -> HttpError:
    return HttpError(409, join_sentences(error.messages))


@router.post("/{period}/generate", summary="生成某月通报（市级管理员）")
def generate(request, period: str, payload: GenerateIn | None = None):
    edits = {key: value for key, value in (("problems", payload and payload.problems),
                                           ("actions", payload and payload.actions))
             if value is not None}
    made = services.generate(Scope.for_user(request.user), _period(period),
                             number=payload.number if payload else None,
                             date=payload.date if payload else None,
                             issuer=payload.issuer if payload else None, edits=edits,
                             user=request.user)
    return _shown(made)


@router.post("/{period}/edit",
             summary="修改某月通报：存在问题、下步工作、文号、日期、发文机关（市级管理员；"
                     "已发布的通报修改后生成新版本）")
def edit(request, period: str, payload: EditIn):
    try:
        made = services.edit(Scope.for_user(request.user), _period(period),
                             problems=payload.problems, actions=payload.actions,
                             number=payload.number, date=payload.date, issuer=payload.issuer,
                             version=payload.version, digest=payload.digest,
                             user=request.user)
    except services.StaleVersion as error:
        raise _stale(error) from None
    return _shown(made)


@router.post("/{period}/publish", summary="发布某月通报（市级管理员）")
def publish(request, period: str, payload: SeenIn | None = None):
    try:
        made = services.publish(Scope.for_user(request.user), _period(period), request.user,
                                version=payload.version if payload else None,
                                digest=payload.digest if payload else None)
    except services.StaleVersion as error:
        raise _stale(error) from None
    return _shown(made)


@router.get("/{period}/versions/{version}/{fmt}", url_name="bulletin_file",
            summary="下载某版通报（docx、html 或 pdf）")
def file(request, period: str, version: int, fmt: str):
    if fmt not in services.FORMATS:
        raise Http404(_("没有“%(fmt)s”格式的通报，可选：%(choices)s。")
                      % {"fmt": fmt, "choices": ",".join(services.FORMATS)})
    found = _visible(request, period, version)
    path = services.files(found, [fmt])[fmt]
    return FileResponse(path.open("rb"), as_attachment=True,
                        filename=services.download_name(found, fmt),
                        content_type=render.CONTENT_TYPES[fmt])


@router.get("/{period}/diff", summary="两版通报正文的差异（unified diff）")
def diff(request, period: str, old: int, new: int):
    before, after = _visible(request, period, old), _visible(request, period, new)
    return {"period": period, "old": old, "new": new,
            "diff": services.unified_diff(before, after)}
