"""``jiangping serve`` runs the WSGI app with gunicorn (several processes), never on an
unmigrated database; the server reloads on HUP, logs no personal data and believes
forwarded headers only from the trusted proxy."""

import http.client
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiangping.core import serving
from jiangping.core.management.commands import serve


class FakeServer:
    def __init__(self, calls, app, kw):
        self.calls, self.app, self.kw = calls, app, kw

    def run(self):
        self.calls.append((self.app, self.kw))
        self.kw["on_ready"](None)


@pytest.fixture
def fake_server(monkeypatch, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    calls = []
    monkeypatch.setattr(serving, "make_server", lambda app, **kw: FakeServer(calls, app, kw))
    return calls


@pytest.mark.django_db
def test_serve_runs_one_worker_per_core_by_default(fake_server, monkeypatch, capsys,
                                                   settings):
    settings.SERVE_WORKERS = 0
    monkeypatch.setattr(serving, "cores", lambda: 3)
    call_command("serve", "--host", "0.0.0.0", "--port", "8123")
    (app, options), = fake_server
    assert callable(app)
    assert options["host"] == "0.0.0.0" and options["port"] == 8123
    assert options["workers"] == 3
    assert options["threads"] == settings.SERVE_THREADS
    assert options["timeout"] == settings.SERVE_TIMEOUT
    assert options["trusted_proxy"] == settings.TRUSTED_PROXY
    out = capsys.readouterr().out
    assert "http://0.0.0.0:8123/" in out and "3 个进程" in out
    assert settings.STATIC_ROOT.is_dir()


@pytest.mark.django_db
def test_serve_options_override_the_settings(fake_server, settings):
    settings.SERVE_WORKERS, settings.SERVE_THREADS, settings.SERVE_TIMEOUT = 5, 6, 70
    call_command("serve")
    call_command("serve", "--workers", "2", "--threads", "1", "--timeout", "9")
    (_app, first), (_app2, second) = fake_server
    assert (first["workers"], first["threads"], first["timeout"]) == (5, 6, 70)
    assert (second["workers"], second["threads"], second["timeout"]) == (2, 1, 9)


@pytest.mark.django_db
def test_serve_refuses_unapplied_migrations(monkeypatch):
    monkeypatch.setattr(serve, "unapplied_migrations", lambda: ["orgs.0099_future"])
    monkeypatch.setattr(serving, "make_server", lambda app, **kw: pytest.fail("served"))
    with pytest.raises(CommandError, match="jiangping migrate"):
        call_command("serve")


def test_the_worker_class_follows_the_threads():
    def options(threads):
        return serving.make_server(lambda e, s: [], host="::1", port=80, workers=2,
                                   threads=threads, timeout=30).options

    assert options(4)["worker_class"] == "gthread" and options(1)["worker_class"] == "sync"
    assert options(4)["bind"] == ["[::1]:80"]
    assert options(4)["timeout"] == options(4)["graceful_timeout"] == 30
    assert options(4)["forwarded_allow_ips"] == ""
    assert options(4)["logger_class"] is serving.Logger


def environ_after(trusted_proxy, **environ):
    seen = {}

    def app(env, start_response):
        seen.update(env)
        return []

    serving.forwarded_from(app, trusted_proxy)(
        {"REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http", **environ}, None)
    return seen


def test_forwarded_headers_are_believed_from_the_trusted_proxy_only():
    forwarded = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 10.1.2.3",
                 "HTTP_X_FORWARDED_PROTO": "https"}
    trusted = environ_after("127.0.0.1", **forwarded)
    # The last entry is the one our proxy added; earlier ones are the client's word.
    assert trusted["REMOTE_ADDR"] == "10.1.2.3" and trusted["wsgi.url_scheme"] == "https"
    assert trusted["HTTP_X_FORWARDED_PROTO"] == "https"
    assert "HTTP_X_FORWARDED_FOR" not in trusted
    for proxy in ("", "10.9.9.9"):
        untrusted = environ_after(proxy, **forwarded)
        assert untrusted["REMOTE_ADDR"] == "127.0.0.1" and untrusted["wsgi.url_scheme"] == "http"
        assert "HTTP_X_FORWARDED_PROTO" not in untrusted
        assert "HTTP_X_FORWARDED_FOR" not in untrusted
    odd = environ_after("127.0.0.1", HTTP_X_FORWARDED_PROTO="gopher", HTTP_X_FORWARDED_FOR="")
    assert odd["REMOTE_ADDR"] == "127.0.0.1" and odd["wsgi.url_scheme"] == "http"
    assert "HTTP_X_FORWARDED_PROTO" not in odd


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail("the server did not get there in time")


@pytest.fixture
def gunicorn_server(tmp_path):
    """The real server: 2 workers of 2 threads, 127.0.0.1 as the trusted proxy."""
    log = tmp_path / "access.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "jiangping.core.tests.gunicorn_app", str(log), "127.0.0.1"],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        port = int(process.stdout.readline())
        wait_for(lambda: len(children(process.pid)) == 2)
        yield process, port, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def request(port, method, path, headers=None, body=b""):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        if body:
            connection.send(body)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_server_forks_workers_and_reloads_them_on_hup(gunicorn_server):
    process, port, _log = gunicorn_server
    first = children(process.pid)
    status, body = request(port, "GET", "/")
    assert status == 200 and json.loads(body)["pid"] in first
    process.send_signal(signal.SIGHUP)
    second = wait_for(lambda: (now := children(process.pid)).isdisjoint(first)
                      and len(now) == 2 and now)
    status, body = request(port, "GET", "/")
    assert status == 200 and json.loads(body)["pid"] in second
    assert process.poll() is None


def test_the_access_log_holds_no_query_string_cookie_or_token(gunicorn_server):
    _process, port, log = gunicorn_server
    status, body = request(port, "GET", "/api/people?name=%E5%BC%A0%E4%B8%89&id=110101", {
        "Cookie": "sessionid=s3cr3tsession", "Authorization": "Token t0kent0ken",
        "Referer": "http://x/?id=110101", "X-Forwarded-For": "10.1.2.3",
        "X-Forwarded-Proto": "https"})
    assert status == 200
    seen = json.loads(body)
    assert (seen["addr"], seen["scheme"], seen["forwarded_for"]) == ("10.1.2.3", "https", None)
    line = wait_for(lambda: log.read_text(encoding="utf-8").strip())
    assert '"GET /api/people" 200' in line and line.startswith("10.1.2.3 [")
    assert "[[" not in line
    for secret in ("110101", "%E5", "name=", "s3cr3t", "t0ken", "Token", "?"):
        assert secret not in line


def test_the_error_log_drops_the_query_string_of_a_bad_request():
    record = logging.LogRecord("gunicorn.error", logging.WARNING, __file__, 1,
                               "Invalid request from ip=%s: %s", (
                                   "127.0.0.1", "Invalid HTTP request line: "
                                   "'GET /login/?name=张三&id=110101 HTTP/1.1'"), None)
    assert serving._without_query_strings(record)
    assert record.getMessage() == ("Invalid request from ip=127.0.0.1: Invalid HTTP request "
                                   "line: 'GET /login/?… HTTP/1.1'")


def test_a_refused_body_is_not_read(gunicorn_server):
    _process, port, _log = gunicorn_server
    # 200 MB declared, 10 bytes sent: the answer comes without the rest being waited for.
    status, body = request(port, "POST", "/refuse",
                           {"Content-Length": str(200 * 1024 * 1024)}, b"x" * 10)
    assert (status, body) == (413, b"no")
