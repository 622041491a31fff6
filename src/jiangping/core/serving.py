"""The waitress server of ``jiangping serve``, with the request-size limit in force.

waitress buffers a whole request body before it calls the application, so the limit
has to be the server's own (``max_request_body_size``): a body declared larger than
``JIANGPING_MAX_UPLOAD_BYTES`` is refused as soon as its headers are read, and a
chunked body as soon as it grows past the limit. waitress answers such a request
itself, in English plain text; our parser swaps that answer for the Chinese one the
application gives (JSON under ``/api/``).
"""

from __future__ import annotations

import html
import json

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer, create_server
from waitress.utilities import Error, RequestEntityTooLarge


class _TooLarge(Error):
    code = 413
    reason = "Request Entity Too Large"

    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path = path or ""

    def to_response(self, ident=None):
        if self.path.startswith("/api/"):
            body = json.dumps({"detail": self.body}, ensure_ascii=False).encode("utf-8")
            content_type = "application/json"
        else:
            body = (f'<!doctype html><html lang="zh-hans"><meta charset="utf-8">'
                    f"<title>请求过大</title><p>{html.escape(self.body)}</p></html>").encode()
            content_type = "text/html; charset=utf-8"
        return f"{self.code} {self.reason}", [("Content-Type", content_type)], body


def _channel_class(message: str) -> type[HTTPChannel]:
    class Parser(HTTPRequestParser):
        def received(self, data):
            consumed = super().received(data)
            if isinstance(self.error, RequestEntityTooLarge):
                self.error = _TooLarge(self.path, message)
            return consumed

    class Channel(HTTPChannel):
        parser_class = Parser

    return Channel


def make_server(application, *, host: str, port: int, threads: int, max_body: int,
                too_large_message: str, trusted_proxy: str = ""):
    """A waitress server (not yet running: call ``.run()``) refusing bodies over
    ``max_body`` bytes with ``too_large_message``. Behind a reverse proxy at
    ``trusted_proxy``, the client's address and scheme come from the proxy's
    X-Forwarded-For / X-Forwarded-Proto (login throttling counts by address)."""
    proxy = {}
    if trusted_proxy:
        proxy = {"trusted_proxy": trusted_proxy, "trusted_proxy_count": 1,
                 "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"}}
    sockets: dict = {}  # waitress registers one server per listening socket here
    server = create_server(application, map=sockets, host=host, port=port, threads=threads,
                           ident="jiangping", max_request_body_size=max_body, **proxy)
    channel = _channel_class(too_large_message)
    for dispatcher in [server, *sockets.values()]:
        if isinstance(dispatcher, BaseWSGIServer):
            dispatcher.channel_class = channel
    return server
