"""Actions of the bulletin (通报): generate the month's version from its published review,
edit a draft's paragraphs, 文号 and date, publish it, write its files. Every face (pages,
API, CLI, demo) calls these; the document is composed by
:mod:`~jiangping.bulletins.compose` and written by :mod:`~jiangping.bulletins.writers`,
both reached through :mod:`~jiangping.bulletins.render`.

Versions: a bulletin belongs to the month's published review version
(:class:`~jiangping.reviews.models.Run`). Generating again an unchanged month gives the
same content and returns the version that holds it; the month's draft (there is at most
one, after the published versions) is rewritten in place, even by a new review version;
a change after publication makes a new version, a draft. A published version never
changes. The 文号, the date, the issuer and the office's paragraphs carry over from the
month's latest version unless given. Typed input is checked by
:mod:`~jiangping.bulletins.inputs`; an edit or a publication may name the version and
digest the user saw, and is refused (:class:`StaleVersion`) when the bulletin changed since.

Files: ``<data dir>/bulletins/<period>/bulletin-<period>-v<N>-<key>.<format>``, ``key``
naming the content, written once (all formats rendered in memory first, then each through
a temporary file renamed into place) and kept; downloads name them
``通报<period>第N版.<format>``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jiangping.bulletins import diffing, inputs, render
from jiangping.bulletins.models import BulletinVersion, Status
from jiangping.core.periods import period_label, validate
from jiangping.orgs.models import home_city
from jiangping.orgs.scope import Scope
from jiangping.reviews import services as review_services
from jiangping.reviews.models import Run

FORMATS = render.FORMATS
EDITABLE = inputs.EDITABLE  # the closing sections' keys: 存在问题, 下步工作


# --- what a face asks ------------------------------------------------------------
def published_run(period: str) -> Run | None:
    """The month's latest published review version, or ``None``."""
    return review_services.published_run(period)


def latest(period: str) -> BulletinVersion | None:
    """The month's latest bulletin version (draft or published), or ``None``."""
    return BulletinVersion.objects.filter(period=period).order_by("-version").first()


def visible_versions(scope: Scope, period: str) -> QuerySet[BulletinVersion]:
    """The versions ``scope`` may see, newest first: the city office every version, every
    other user the published ones."""
    versions = BulletinVersion.objects.filter(period=period)
    if not scope.is_city_office:
        versions = versions.filter(status=Status.PUBLISHED)
    return versions.select_related("run", "created_by", "published_by").order_by("-version")


def visible_version(scope: Scope, period: str, version: int | None = None
                    ) -> BulletinVersion | None:
    """Version ``version`` (the latest visible when ``None``) if ``scope`` may see it."""
    versions = visible_versions(scope, period)
    if version is not None:
        versions = versions.filter(version=version)
    return versions.first()


def paragraphs(bulletin: BulletinVersion, key: str) -> list[str]:
    """The paragraphs of the closing section ``key`` (``problems`` or ``actions``) as the
    version shows them, without their ordinals (一是…)."""
    for section in bulletin.content.get("sections", []):
        if section["key"] == key:
            return [b["text"] for b in section["blocks"] if b.get("kind") == "paragraph"]
    return []


def default_number(period: str) -> str:
    """The first version's 文号: 市讲评办〔year〕month号 (2026-10 → 市讲评办〔2026〕10号)."""
    # Document text, Chinese whatever the office's interface language (as every section).
    return f"市讲评办〔{int(period[:4])}〕{int(period[5:])}号"


def default_date() -> str:
    """Today as a bulletin prints it: 2026年11月5日."""
    return inputs.date_text(timezone.localdate())


def default_issuer() -> str:
    """The issuing office (落款): the home city's review office."""
    city = home_city()
    name = (city.name if city else "")
    return f"{name}月讲评工作领导小组办公室"


# --- input (checked in :mod:`~jiangping.bulletins.inputs`) ---------------------------
clean_paragraphs = inputs.clean_paragraphs
clean_edits = inputs.clean_edits


class StaleVersion(ValidationError):
    """The bulletin changed since the user loaded it (通报已有变动): nothing is written."""


def _check_seen(current: BulletinVersion | None, version: int | None, digest: str | None,
                action: str) -> None:
    """Refuse (:class:`StaleVersion`) unless the month's latest version is still version
    ``version`` with the text digest ``digest`` (each checked when given)."""
    if version is None and not digest:
        return
    if current is None:
        raise StaleVersion(_("通报已有变动：您看到的版本已不存在，请刷新页面后再%(action)s。")
                           % {"action": action})
    if version is not None and current.version != version:
        raise StaleVersion(_("通报已有变动：您看到的是第%(seen)d版，现在最新的是"
                             "第%(now)d版（%(status)s）。请核对最新内容后再%(action)s。")
                           % {"seen": version, "now": current.version,
                              "status": current.get_status_display(), "action": action})
    if digest and current.digest != digest:
        raise StaleVersion(_("通报已有变动：第%(v)d版在您打开页面后又被修改或重新生成。"
                             "请核对最新内容后再%(action)s。")
                           % {"v": current.version, "action": action})


def _month(period: str) -> str:
    try:
        validate(period)
    except ValidationError:
        raise ValidationError(_("期间“%(period)s”无效，应为 YYYY-MM。") % {"period": period}) \
            from None
    return period_label(period)


def merge_edits(current: BulletinVersion | None, given: dict) -> dict:
    """The edits of a new text: ``current``'s, with each key of ``given`` replaced by its
    cleaned paragraphs (:func:`clean_edits`). No paragraph removes the key (the section is
    drafted from the data again); paragraphs equal to what ``current`` shows drafted are
    not recorded, so that they keep following the data."""
    edits = dict(current.edits) if current else {}
    cleaned = clean_edits(given)
    for key in EDITABLE:
        if key not in given:
            continue
        paragraphs_given = cleaned.get(key, [])
        if current is not None and key not in current.edits \
                and paragraphs_given == paragraphs(current, key):
            continue
        if paragraphs_given:
            edits[key] = paragraphs_given
        else:
            edits.pop(key, None)
    return edits


# --- actions ----------------------------------------------------------------------
def _plain_json(data: dict) -> dict:
    """``data`` as the database gives it back (tuples as lists)."""
    return json.loads(json.dumps(data, ensure_ascii=False))


def _build(period: str, run: Run, latest_version: BulletinVersion | None, *,
           given: dict, edits: dict, user) -> BulletinVersion:
    """Compose the month and store it: the version of the same review holding the same
    content is returned; the month's unpublished draft is rewritten (whatever review it
    was composed from: a month has at most one draft, after its published versions);
    else a new version. ``given``: the 文号, 成文日期 and 落款 typed (``None``: the latest
    version's)."""
    carried = {"number": latest_version.number, "date": latest_version.date,
               "issuer": latest_version.issuer} if latest_version else {
        "number": default_number(period), "date": default_date(), "issuer": default_issuer()}
    heading = {name: given.get(name) or carried[name] for name in carried}
    bulletin = render.compose(render.context_for(period), **heading, edits=edits or None)
    content = _plain_json(bulletin.to_json())
    digest = hashlib.sha256(bulletin.text().encode("utf-8")).hexdigest()
    same_review = (BulletinVersion.objects.filter(period=period, run=run)
                   .order_by("-version").first())
    if same_review is not None and same_review.content == content \
            and same_review.edits == edits:
        return same_review
    fields = {**heading, "run": run, "edits": edits, "content": content, "digest": digest}
    if latest_version is not None and latest_version.status == Status.DRAFT:
        for name, value in fields.items():
            setattr(latest_version, name, value)
        latest_version.save()
        return latest_version
    version = latest_version.version + 1 if latest_version else 1
    return BulletinVersion.objects.create(period=period, version=version, created_by=user,
                                          **fields)


def _review(period: str) -> Run:
    run = published_run(period)
    if run is None:
        raise ValidationError(_("%(month)s尚无已发布的讲评结果：请先计算并发布该月的考核排名，"
                                "再生成通报。") % {"month": period_label(period)})
    return run


def _locked_latest(period: str) -> BulletinVersion | None:
    return (BulletinVersion.objects.select_for_update().filter(period=period)
            .order_by("-version").first())


def _heading(number: str | None, date: str | None, issuer: str | None) -> dict:
    return {"number": inputs.clean_line(number, _("文号"), inputs.MAX_NUMBER_CHARS),
            "date": inputs.clean_date(date),
            "issuer": inputs.clean_line(issuer, _("发文机关"), inputs.MAX_ISSUER_CHARS)}


@transaction.atomic
def generate(scope: Scope, period: str, *, number: str | None = None, date: str | None = None,
             issuer: str | None = None, edits: dict | None = None, user=None
             ) -> BulletinVersion:
    """生成通报: compose ``period``'s bulletin from its published review and store it as a
    version (see the module doc). ``number`` (文号), ``date`` (成文日期, read by
    :func:`~jiangping.bulletins.inputs.parse_date` and printed 2026年12月5日) and
    ``issuer`` (落款) default to the latest version's; ``edits`` ``{"problems": [...],
    "actions": [...]}`` replaces the paragraphs of the keys it gives (see
    :func:`merge_edits`), the others keep the latest version's. City office only
    (:class:`PermissionDenied`); :class:`ValidationError` for a bad period, a month
    without a published review or refused input (:mod:`~jiangping.bulletins.inputs`)."""
    scope.require_city_office()
    _month(period)
    heading = _heading(number, date, issuer)
    run = _review(period)
    current = _locked_latest(period)
    merged = merge_edits(current, edits or {})
    return _build(period, run, current, given=heading, edits=merged, user=user)


@transaction.atomic
def edit(scope: Scope, period: str, *, problems: list[str] | str | None = None,
         actions: list[str] | str | None = None, number: str | None = None,
         date: str | None = None, issuer: str | None = None, version: int | None = None,
         digest: str | None = None, user=None) -> BulletinVersion:
    """修改通报: the month's latest version with its problems (存在问题) and next steps
    (下步工作) as the office writes them (a list, or a text of one paragraph per line;
    empty: drafted from the data again; ``None``: unchanged), its 文号, date and issuer
    (as :func:`generate`). A draft is rewritten; a published version stays as it is and
    the edits make the next version, a draft (修改并生成新版本); nothing changed returns
    the version as it is. A paragraph list equal to what the version shows is not
    recorded as an edit, so the drafted paragraphs keep following the data.

    ``version`` and ``digest``: the version number and text digest the user saw; when
    given, a latest version that is another or has changed since is refused
    (:class:`StaleVersion`). City office only; :class:`ValidationError` for refused
    input, a month without a bulletin, or when the review was published again since."""
    scope.require_city_office()
    month = _month(period)
    heading = _heading(number, date, issuer)
    current = _locked_latest(period)
    _check_seen(current, version, digest, _("保存修改"))
    if current is None:
        raise ValidationError(_("%(month)s还没有通报，请先生成。") % {"month": month})
    run = _review(period)
    if current.run_id != run.pk:
        raise ValidationError(_("讲评结果已更新为第%(v)d版，请先重新生成通报。")
                              % {"v": run.version})
    given = {key: value for key, value in (("problems", problems), ("actions", actions))
             if value is not None}
    edits = merge_edits(current, given)
    return _build(period, run, current, given=heading, edits=edits, user=user)


@transaction.atomic
def publish(scope: Scope, period: str, user=None, *, version: int | None = None,
            digest: str | None = None) -> BulletinVersion:
    """发布通报: the month's draft is frozen, its three files written, and every logged-in
    user may read and download it. ``version`` and ``digest``: what the user saw, as
    :func:`edit` (:class:`StaleVersion` when the draft changed since). City office only;
    :class:`ValidationError` without a draft, or when the review was published again
    since the draft."""
    scope.require_city_office()
    month = _month(period)
    draft = _locked_latest(period)
    _check_seen(draft, version, digest, _("发布"))
    if draft is None or draft.status != Status.DRAFT:
        raise ValidationError(_("%(month)s没有待发布的通报草稿，请先生成。") % {"month": month})
    run = published_run(period)
    if run is not None and draft.run_id != run.pk:
        raise ValidationError(_("讲评结果已更新为第%(v)d版，请先重新生成通报再发布。")
                              % {"v": run.version})
    files(draft, FORMATS)
    draft.status = Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.published_by = user
    draft.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    return draft


# --- files ------------------------------------------------------------------------
def check_formats(formats: list[str] | tuple[str, ...] | str) -> list[str]:
    """The formats asked (a list, or a comma-separated text such as ``docx,pdf``), in
    order, each once. Raises :class:`ValidationError` naming an unknown one."""
    if isinstance(formats, str):
        formats = formats.split(",")
    asked = list(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    unknown = [f for f in asked if f not in FORMATS]
    if unknown:
        raise ValidationError(_("格式“%(given)s”无效，可选：%(choices)s。")
                              % {"given": "、".join(unknown), "choices": ",".join(FORMATS)})
    if not asked:
        raise ValidationError(_("请指定格式，可选：%(choices)s。") % {"choices": ",".join(FORMATS)})
    return asked


def bulletin_dir(period: str) -> Path:
    """Where the month's files are kept: ``<data dir>/bulletins/<period>``."""
    return Path(settings.DATA_DIR) / "bulletins" / period


def content_key(bulletin: BulletinVersion) -> str:
    """12 hex digits naming the version's content: a file is rewritten only when it changes."""
    canonical = json.dumps(bulletin.content, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def file_path(bulletin: BulletinVersion, fmt: str) -> Path:
    stem = f"bulletin-{bulletin.period}-v{bulletin.version}"
    return bulletin_dir(bulletin.period) / f"{stem}-{content_key(bulletin)}.{fmt}"


def download_name(bulletin: BulletinVersion, fmt: str) -> str:
    """The name a download is saved under: 通报2026-10第2版.docx."""
    return _("通报%(period)s第%(v)d版") % {"period": bulletin.period, "v": bulletin.version} \
        + f".{fmt}"


def files(bulletin: BulletinVersion, formats=FORMATS) -> dict[str, Path]:
    """The version's files in ``formats``, written to the data dir when missing:
    ``{format: path}``. Every missing format is rendered before anything is written, and
    each file is renamed into place from a temporary file, so a failure leaves no file
    (the writer's exception propagates). Older files of the same version (a draft since
    changed) are removed."""
    formats = check_formats(formats)
    targets = {fmt: file_path(bulletin, fmt) for fmt in formats}
    todo = [fmt for fmt, path in targets.items() if not path.exists()]
    if todo:
        document = bulletin.document()
        rendered = {fmt: render.formats[fmt](document) for fmt in todo}
        write_files({targets[fmt]: data for fmt, data in rendered.items()})
        _discard_stale(bulletin)
    return targets


def write_files(contents: dict[Path, bytes], *, mode: int | None = None) -> None:
    """Write every file of ``contents`` or none: each to a temporary file beside it, then
    all renamed into place. ``mode``: the files' permissions (default owner only, 0600).
    Raises the :class:`OSError` of a failed write; no file of ``contents`` nor temporary
    file is then left."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in contents.items():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-",
                                                 suffix=path.suffix)
            staged.append((temporary, path))
            with os.fdopen(handle, "wb") as out:
                if mode is not None:
                    os.fchmod(out.fileno(), mode)
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        for temporary, path in staged:
            os.replace(temporary, path)
    finally:
        for temporary, _path in staged:
            Path(temporary).unlink(missing_ok=True)


def _discard_stale(bulletin: BulletinVersion) -> None:
    keep = content_key(bulletin)
    folder = bulletin_dir(bulletin.period)
    for path in folder.glob(f"bulletin-{bulletin.period}-v{bulletin.version}-*.*"):
        if not path.stem.endswith(keep):
            path.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def copy_files(paths: dict[str, Path], folder: Path, bulletin: BulletinVersion
               ) -> dict[str, Path]:
    """Copy the version's files into ``folder`` as ``bulletin-<period>-v<N>.<format>``
    (``jiangping bulletin --out``), all or none, with the permissions of any new file
    (0666 less the umask: 0644 usually). Raises :class:`OSError` when one cannot be
    written (nothing of the copy is then left)."""
    stem = f"bulletin-{bulletin.period}-v{bulletin.version}"
    targets = {fmt: folder / f"{stem}.{fmt}" for fmt in paths}
    write_files({targets[fmt]: path.read_bytes() for fmt, path in paths.items()},
                mode=0o666 & ~_umask())
    return targets


# --- comparing versions -----------------------------------------------------------
def text_diff(old: BulletinVersion, new: BulletinVersion, *, context: int = 2
              ) -> list[diffing.Row]:
    """``old`` → ``new`` side by side, line by line of their text
    (:func:`jiangping.bulletins.diffing.side_by_side`)."""
    return diffing.side_by_side(old.document().text(), new.document().text(), context=context)


def unified_diff(old: BulletinVersion, new: BulletinVersion, *, context: int = 2) -> str:
    """``old`` → ``new`` as a unified diff (headers ``第N版``)."""
    return diffing.unified(old.document().text(), new.document().text(), context=context,
                           old_name=_("第%(v)d版") % {"v": old.version},
                           new_name=_("第%(v)d版") % {"v": new.version})
