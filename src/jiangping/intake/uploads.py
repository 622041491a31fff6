"""Files uploaded for import (上传导入): kept between the dry run and ``apply``.

The web page and the API import an upload through the same
:func:`~jiangping.intake.engine.run_import` as the CLI, with the uploader's scope. The
web page first shows the dry run, then applies the same file: between the two the
upload is kept in the data dir (``uploads/imports/``) under a random token, owned by
the user who sent it, and deleted once applied or after :data:`KEEP_SECONDS`. The size
of a request is bounded before it is read by the request-size limit of the settings
(see docs/import-forms.md); the file's content is checked by the reader.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from jiangping.intake.engine import run_import
from jiangping.intake.reading import CSV_SUFFIXES, SPREADSHEET_SUFFIXES
from jiangping.intake.results import ImportResult

KEEP_SECONDS = 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def upload_dir() -> Path:
    return Path(settings.DATA_DIR) / "uploads" / "imports"


@dataclass
class KeptUpload:
    """An uploaded file waiting to be applied; ``name`` is the file's name as sent."""

    token: str
    path: Path
    user_id: int
    form: str
    period: str | None
    name: str

    @property
    def meta_path(self) -> Path:
        return self.path.with_suffix(".json")


def safe_suffix(name: str) -> str:
    """The file's suffix if it is one the reader knows (else ``.bin``, refused by it)."""
    suffix = Path(name or "").suffix.lower()
    return suffix if suffix in SPREADSHEET_SUFFIXES | CSV_SUFFIXES else ".bin"


def keep(uploaded, *, user, form: str, period: str | None) -> KeptUpload:
    """Store ``uploaded`` (a Django ``UploadedFile``) under a new token for ``user``."""
    purge_expired()
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    token = secrets.token_urlsafe(24)
    name = Path(uploaded.name or "").name[:200]
    path = folder / f"{token}{safe_suffix(name)}"
    with path.open("xb") as out:
        path.chmod(0o600)
        for chunk in uploaded.chunks():
            out.write(chunk)
    upload = KeptUpload(token, path, user.pk, form, period, name)
    upload.meta_path.write_text(json.dumps({
        "user": user.pk, "form": form, "period": period, "name": name,
        "file": path.name}), encoding="utf-8")
    upload.meta_path.chmod(0o600)
    return upload


def find(token: str, user) -> KeptUpload | None:
    """The upload of ``token`` if ``user`` sent it and it has not expired."""
    if not _TOKEN.match(token or ""):
        return None
    meta_path = upload_dir() / f"{token}.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        age = time.time() - meta_path.stat().st_mtime
    except (OSError, ValueError):
        return None
    path = upload_dir() / Path(meta.get("file", "")).name
    if meta.get("user") != user.pk or not path.is_file() or age > KEEP_SECONDS:
        return None
    return KeptUpload(token, path, meta["user"], meta["form"], meta.get("period"),
                      meta.get("name", ""))


def discard(upload: KeptUpload) -> None:
    upload.path.unlink(missing_ok=True)
    upload.meta_path.unlink(missing_ok=True)


def purge_expired(now: float | None = None) -> None:
    """Delete uploads older than :data:`KEEP_SECONDS` (and strays without metadata)."""
    folder = upload_dir()
    if not folder.is_dir():
        return
    now = time.time() if now is None else now
    for path in folder.iterdir():
        try:
            if now - path.stat().st_mtime > KEEP_SECONDS:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def import_upload(upload: KeptUpload, *, scope, user, apply: bool) -> ImportResult:
    """Import the kept file with ``user``'s scope; named in the result as it was sent."""
    result = run_import(upload.form, upload.path, scope=scope, user=user,
                        period=upload.period, apply=apply)
    result.file = upload.name
    return result
