"""The web import page and the API import endpoint: thin faces over ``run_import``
with the caller's scope; the page applies the same upload it dry-ran, kept under a
token that only its owner can use."""

from __future__ import annotations

import os
import time

from django.test import Client

from jiangping.indicators.models import Value
from jiangping.intake import uploads
from jiangping.intake.tests import hostile

ROWS = [hostile.HEADER, ["甲区", "固投", "2019-11", "5"], ["乙县", "固投", "2019-11", "6"]]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _token(response) -> str:
    return response.context["token"]


def test_dry_run_then_apply_the_same_upload(cast, tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    path = hostile.xlsx(tmp_path / "values.xlsx", ROWS)
    office = _client(cast.office)
    assert office.get("/intake/import/").status_code == 200
    with path.open("rb") as upload:
        page = office.post("/intake/import/", {"form": "indicators", "file": upload})
    assert page.status_code == 200 and "试运行通过" in page.content.decode()
    assert Value.objects.count() == 0
    token = _token(page)
    kept = list(uploads.upload_dir().iterdir())
    assert len(kept) == 2 and all(oct(p.stat().st_mode)[-3:] == "600" for p in kept)
    # another user cannot apply it
    other = _client(cast.reporter_a)
    assert other.post(f"/intake/import/{token}/apply/").status_code == 404
    applied = office.post(f"/intake/import/{token}/apply/")
    assert applied.status_code == 200 and "已写入" in applied.content.decode()
    assert Value.objects.count() == 2
    assert list(uploads.upload_dir().iterdir()) == []
    assert office.post(f"/intake/import/{token}/apply/").status_code == 404


def test_county_user_rows_outside_scope_are_refused_on_the_page(cast, tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    path = hostile.xlsx(tmp_path / "values.xlsx", ROWS)
    with path.open("rb") as upload:
        page = _client(cast.reporter_a).post("/intake/import/",
                                             {"form": "indicators", "file": upload})
    assert page.status_code == 422
    content = page.content.decode()
    assert "乙县" in content and "/apply/" not in content
    assert list(uploads.upload_dir().iterdir()) == []


def test_expired_uploads_are_purged(cast, tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    path = hostile.xlsx(tmp_path / "values.xlsx", ROWS)
    office = _client(cast.office)
    with path.open("rb") as upload:
        token = _token(office.post("/intake/import/", {"form": "indicators", "file": upload}))
    old = time.time() - uploads.KEEP_SECONDS - 10
    for kept in uploads.upload_dir().iterdir():
        os.utime(kept, (old, old))
    assert office.post(f"/intake/import/{token}/apply/").status_code == 404
    uploads.purge_expired()
    assert list(uploads.upload_dir().iterdir()) == []
    assert Value.objects.count() == 0


def test_api_import_answers_the_cli_json(cast, tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    path = hostile.xlsx(tmp_path / "values.xlsx", ROWS)
    office = _client(cast.office)
    with path.open("rb") as upload:
        dry = office.post("/api/intake/import", {"form": "indicators", "file": upload})
    assert dry.status_code == 200
    data = dry.json()
    assert {key: data[key] for key in ("form", "file", "rows_read", "rows_ok", "rows_error",
                                       "applied", "created", "errors")} == {
        "form": "indicators", "file": "values.xlsx", "rows_read": 2, "rows_ok": 2,
        "rows_error": 0, "applied": False, "created": 2, "errors": []}
    assert Value.objects.count() == 0
    with path.open("rb") as upload:
        applied = office.post("/api/intake/import", {"form": "indicators", "file": upload,
                                                     "apply": "true"})
    assert applied.status_code == 200 and applied.json()["applied"] is True
    assert Value.objects.count() == 2
    assert list(uploads.upload_dir().iterdir()) == []


def test_api_import_refuses_bad_form_and_period(cast, tmp_path):
    path = hostile.xlsx(tmp_path / "values.xlsx", ROWS)
    office = _client(cast.office)
    with path.open("rb") as upload:
        answer = office.post("/api/intake/import", {"form": "nothing", "file": upload})
    assert answer.status_code == 422 and "nothing" in answer.json()["detail"]
    with path.open("rb") as upload:
        answer = office.post("/api/intake/import", {"form": "indicators", "file": upload,
                                                    "period": "2019-13"})
    assert answer.status_code == 422 and "2019-13" in answer.json()["detail"]
    assert Client().post("/api/intake/import", {"form": "indicators"}).status_code == 401


def test_page_is_linked_from_the_queue_and_my_submissions(cast):
    assert "/intake/import/" in _client(cast.office).get("/intake/queue/").content.decode()
    assert "/intake/import/" in _client(cast.reporter_a).get("/intake/queue/").content.decode()
