"""The gunicorn server of ``jiangping serve``: several processes, so that both cores work.

Python work in one process is serialised by the interpreter, so one process with many
threads serves no faster at 50 connections than at one. gunicorn forks ``workers``
processes after Django is loaded (pre-fork); each runs ``threads`` request threads
(gunicorn's ``gthread`` worker; ``threads=1`` is its plain ``sync`` worker), so a slow
client or a database round trip holds one thread, not a process.

What the operator relies on:

- ``kill -HUP`` on the master replaces the workers gracefully (requests in flight
  finish); ``TERM`` stops once they have, after ``timeout`` seconds at most. The
  application is loaded in the master before the fork (the workers share its memory),
  so new code needs a restart of the service.
- A worker that stops answering its master for ``timeout`` seconds is killed and
  replaced (with the ``sync`` worker, this bounds every request).
- The access log names the method, the path without its query string, the status, the
  size and the time taken: no query string (it may hold names or ID numbers), no
  cookie, no header, no token, no referrer. The error log cuts query strings out of
  what it says about a bad or failed request.
- Forwarded headers (X-Forwarded-For / -Proto) are believed only from
  ``trusted_proxy``, and removed from anyone else's requests, so that neither login
  throttling (which counts by address) nor Django's HTTPS detection can be fooled.
- Request bodies over the upload limit are refused by
  :class:`jiangping.core.middleware.RequestSizeLimitMiddleware` from their declared
  length before a byte is read; gunicorn reads bodies only as the application asks, and
  drains at most 64 KiB of an unread one before it closes the connection.
"""

from __future__ import annotations

import logging
import os
import re

from django.db import connections
from gunicorn import glogging
from gunicorn.app.base import BaseApplication

# Method, path without the query string, status, bytes, milliseconds; the client's address
# first (the proxy's client when the proxy is trusted).
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
_QUERY = re.compile(r"\?[^\s'\"]*")


def _without_query_strings(record: logging.LogRecord) -> bool:
    """Cut query strings out of what gunicorn's error log says about a request (a bad
    request line, a request that failed)."""
    message = record.getMessage()
    if "?" in message:
        record.msg, record.args = _QUERY.sub("?…", message), ()
    return True


class Logger(glogging.Logger):
    """gunicorn's logger, its error log without query strings."""

    def setup(self, cfg):
        super().setup(cfg)
        self.error_log.addFilter(_without_query_strings)


def cores() -> int:
    """The cores this process may run on (the default number of workers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def forwarded_from(application, trusted_proxy: str):
    """``application`` seeing the client's address and scheme that the reverse proxy at
    ``trusted_proxy`` forwards (the last X-Forwarded-For entry: the one that proxy
    added), and no forwarded header at all from anyone else."""

    def app(environ, start_response):
        forwarded_for = environ.pop("HTTP_X_FORWARDED_FOR", "")
        forwarded_proto = environ.pop("HTTP_X_FORWARDED_PROTO", "")
        if trusted_proxy and environ.get("REMOTE_ADDR") == trusted_proxy:
            client = forwarded_for.split(",")[-1].strip()
            if client:
                environ["REMOTE_ADDR"] = client
            scheme = forwarded_proto.split(",")[-1].strip().lower()
            if scheme in ("http", "https"):
                environ["wsgi.url_scheme"] = scheme
                environ["HTTP_X_FORWARDED_PROTO"] = scheme
        return application(environ, start_response)

    return app


class Server(BaseApplication):
    """gunicorn run from Python with our options, never from its command line or a
    ``gunicorn.conf.py`` lying in the working directory."""

    def __init__(self, application, options: dict):
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self):
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self):
        return self.application


def make_server(application, *, host: str, port: int, workers: int, threads: int,
                timeout: int, trusted_proxy: str = "", access_log: str | None = "-",
                on_ready=None) -> Server:
    """A gunicorn server (not yet running: call ``.run()``, which returns when it stops)
    of ``workers`` processes with ``threads`` threads each, serving ``application`` on
    ``host``:``port``. ``timeout`` (seconds) is both the silent-worker timeout and the
    grace given to requests in flight at a stop or a HUP. ``access_log`` is a file path,
    ``"-"`` for standard output, or ``None`` for none. ``on_ready(server)`` is called
    once the socket listens (``server.address`` then holds the bound port)."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    options = {
        "bind": [bind],
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": timeout,
        "graceful_timeout": timeout,
        "keepalive": 5,
        "accesslog": access_log,
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        "logger_class": Logger,
        "loglevel": "warning",
        "proc_name": "jiangping",
        # Our own forwarded_from decides about forwarded headers; gunicorn believes none.
        "forwarded_allow_ips": "",
        "secure_scheme_headers": {},
        "control_socket_disable": True,
    }
    # A worker must not inherit the master's database connection (two processes on one
    # socket or SQLite handle); each opens its own.
    options["pre_fork"] = lambda arbiter, worker: connections.close_all()
    if on_ready is not None:
        options["when_ready"] = lambda arbiter: on_ready(arbiter)
    return Server(forwarded_from(application, trusted_proxy), options)
