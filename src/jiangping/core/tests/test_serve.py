"""``jiangping serve`` runs the WSGI app with waitress, never on an unmigrated database."""

import contextlib
import http.client
import json
import threading

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


@pytest.mark.django_db
def test_serve_runs_waitress(monkeypatch, capsys, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.JIANGPING_MAX_UPLOAD_BYTES = 3 * 1024 * 1024
    calls = []
    monkeypatch.setattr(serving, "make_server",
                        lambda app, **kw: FakeServer(calls, app, kw))
    call_command("serve", "--host", "0.0.0.0", "--port", "8123")
    (app, options), = calls
    assert callable(app)
    assert options["host"] == "0.0.0.0" and options["port"] == 8123
    assert options["max_body"] == 3 * 1024 * 1024
    assert "3 MB" in options["too_large_message"]
    assert options["trusted_proxy"] == settings.TRUSTED_PROXY
    assert "http://0.0.0.0:8123/" in capsys.readouterr().out
    assert settings.STATIC_ROOT.is_dir()


@pytest.mark.django_db
def test_serve_refuses_unapplied_migrations(monkeypatch):
    monkeypatch.setattr(serve, "unapplied_migrations", lambda: ["orgs.0099_future"])
    monkeypatch.setattr(serving, "make_server", lambda app, **kw: pytest.fail("served"))
    with pytest.raises(CommandError, match="jiangping migrate"):
        call_command("serve")


def run_until_closed(server):
    # The test closes the listening socket under the loop: that OSError ends the run.
    with contextlib.suppress(OSError):
        server.run()


@pytest.fixture
def waitress_server():
    """A real waitress server with a 1 KiB limit around an app that counts the bytes
    it was given."""
    seen = []

    def app(environ, start_response):
        body = environ["wsgi.input"].read()
        seen.append(len(body))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server = serving.make_server(app, host="127.0.0.1", port=0, threads=1, max_body=1024,
                                 too_large_message="上传的文件或请求过大，超过了 1 KB 的上限。")
    thread = threading.Thread(target=run_until_closed, args=(server,), daemon=True)
    thread.start()
    yield server.effective_port, seen
    server.close()
    thread.join(timeout=5)


def _request(port, path, headers, body=b""):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("POST", path)
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.endheaders()
    try:
        if body:
            connection.send(body)
    except (BrokenPipeError, ConnectionResetError):
        pass
    try:
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type"), response.read()
    finally:
        connection.close()


def test_waitress_refuses_a_declared_200_mb_body_without_reading_it(waitress_server):
    port, seen = waitress_server
    # 200 MB declared, 10 bytes sent: the answer comes from the headers alone.
    status, content_type, body = _request(
        port, "/api/intake/upload", {"Content-Length": str(200 * 1024 * 1024)}, b"x" * 10)
    assert status == 413 and content_type == "application/json"
    assert "1 KB" in json.loads(body)["detail"]
    status, content_type, body = _request(
        port, "/intake/upload/", {"Content-Length": str(200 * 1024 * 1024)}, b"x" * 10)
    assert status == 413 and "text/html" in content_type
    assert "上传的文件或请求过大" in body.decode("utf-8")
    assert seen == []
    status, _type, _body = _request(port, "/api/x", {"Content-Length": "512"}, b"y" * 512)
    assert status == 200 and seen == [512]


def test_waitress_stops_a_chunked_body_at_the_limit(waitress_server):
    port, seen = waitress_server
    chunk = b"z" * 600
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(4)) + b"0\r\n\r\n"
    status, _type, answer = _request(
        port, "/api/intake/upload", {"Transfer-Encoding": "chunked"}, body)
    assert status == 413 and "1 KB" in json.loads(answer)["detail"]
    assert seen == []


def test_behind_a_trusted_proxy_the_client_address_is_the_forwarded_one():
    seen = []

    def app(environ, start_response):
        seen.append((environ["REMOTE_ADDR"], environ["wsgi.url_scheme"]))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server = serving.make_server(app, host="127.0.0.1", port=0, threads=1, max_body=1024,
                                 too_large_message="x", trusted_proxy="127.0.0.1")
    thread = threading.Thread(target=run_until_closed, args=(server,), daemon=True)
    thread.start()
    try:
        status, _type, _body = _request(server.effective_port, "/", {
            "Content-Length": "0", "X-Forwarded-For": "10.1.2.3",
            "X-Forwarded-Proto": "https"})
    finally:
        server.close()
        thread.join(timeout=5)
    assert status == 200 and seen == [("10.1.2.3", "https")]
