"""Oversized requests are refused from their declared length, before they are read."""

import json

import pytest
from django.test import Client

from jiangping.core.middleware import upload_limit_text


@pytest.fixture
def small_limit(settings):
    settings.JIANGPING_MAX_UPLOAD_BYTES = 1024 * 1024
    return settings


class Unreadable:
    """A request body that fails the test if anyone reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_declared_200_mb_body_is_refused_unread(small_limit, cast):
    client = Client()
    client.force_login(cast.reporter_a)
    for path in ("/api/indicators/values", "/intake/queue/"):
        response = client.generic("PUT" if path.startswith("/api") else "POST", path,
                                  CONTENT_LENGTH=str(200 * 1024 * 1024),
                                  CONTENT_TYPE="application/json",
                                  **{"wsgi.input": Unreadable()})
        assert response.status_code == 413, path
        text = response.content.decode("utf-8")
        assert "1 MB" in text and "上传的文件或请求过大" in text
    assert response["Content-Type"].startswith("text/html")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    api = client.put("/api/indicators/values", data=b"[]", content_type="application/json",
                     CONTENT_LENGTH=str(1024 * 1024 + 1))
    assert api.status_code == 413 and api["Content-Type"] == "application/json"
    assert "1 MB" in json.loads(api.content)["detail"]


def test_a_body_within_the_limit_goes_through(small_limit, cast):
    client = Client()
    client.force_login(cast.reporter_a)
    response = client.put("/api/indicators/values", data=b"[]",
                          content_type="application/json")
    assert response.status_code == 200


def test_a_chunked_body_without_length_is_refused(small_limit, cast):
    client = Client()
    response = client.generic("POST", "/api/indicators/values", b"",
                              HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411
    assert "Content-Length" in json.loads(response.content)["detail"]


def test_the_limit_comes_from_the_environment(tmp_path):
    import subprocess
    import sys

    code = ("from django.conf import settings; import django; django.setup(); "
            "print(settings.JIANGPING_MAX_UPLOAD_BYTES)")
    import os
    env = {**os.environ, "JIANGPING_MAX_UPLOAD_MB": "7",
           "DJANGO_SETTINGS_MODULE": "jiangping.settings", "JIANGPING_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == str(7 * 1024 * 1024)


@pytest.mark.parametrize(("limit", "text"), [
    (50 * 1024 * 1024, "50 MB"), (1024 * 1024, "1 MB"), (512 * 1024, "0.5 MB")])
def test_limit_text(limit, text):
    assert upload_limit_text(limit) == text


def test_a_limit_of_zero_is_a_configuration_error(settings):
    from jiangping.core.checks import upload_limit_is_positive

    settings.JIANGPING_MAX_UPLOAD_MB, settings.JIANGPING_MAX_UPLOAD_BYTES = 0, 0
    (error,) = upload_limit_is_positive(None)
    assert error.id == "jiangping.E003" and "JIANGPING_MAX_UPLOAD_MB" in error.msg
    settings.JIANGPING_MAX_UPLOAD_MB, settings.JIANGPING_MAX_UPLOAD_BYTES = 50, 50 * 1024 * 1024
    assert upload_limit_is_positive(None) == []
