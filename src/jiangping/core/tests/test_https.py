"""One switch for HTTPS behind a reverse proxy: JIANGPING_HTTPS=1."""

import os
import secrets
import subprocess
import sys

import pytest
from django.test import Client

FIELD_KEY = "eD2QbLqnuQQ6aQHbGWgS3cWcZz_-7C5V4XJXgSPYY8w="


def deploy_check(tmp_path, **env):
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process: no deployment has it.
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("JIANGPING_")
            and k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    base.update({"JIANGPING_DATA_DIR": str(tmp_path / "data"),
                 "JIANGPING_SECRET_KEY": secrets.token_urlsafe(50),
                 "JIANGPING_FIELD_KEY": FIELD_KEY}, **env)
    return subprocess.run([sys.executable, "-m", "jiangping", "check", "--deploy"],
                          capture_output=True, text=True, env=base, check=False)


def test_check_deploy_is_clean_in_https_mode(tmp_path):
    done = deploy_check(tmp_path, JIANGPING_HTTPS="1")
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr
    assert "WARNING" not in output and "security.W" not in output, output
    assert "no issues" in output


def test_without_the_switch_check_deploy_names_what_is_missing(tmp_path):
    output = deploy_check(tmp_path).stderr
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in output


def test_https_mode_settings():
    code = ("import django; from django.conf import settings as s; django.setup(); "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
            "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, "
            "s.TRUSTED_PROXY)")
    env = {**os.environ, "JIANGPING_HTTPS": "1", "DJANGO_SETTINGS_MODULE": "jiangping.settings"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "True True 31536000 True ('HTTP_X_FORWARDED_PROTO', 'https') True 127.0.0.1"


@pytest.mark.django_db
def test_https_mode_behind_the_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client()
    plain = client.get("/login/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert secure.cookies["csrftoken"]["secure"] is True


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy(client):
    policy = client.get("/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert "Content-Security-Policy" in client.get("/api/orgs/me")
