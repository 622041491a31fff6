"""A real server of :mod:`jiangping.core.serving` around a tiny WSGI app, for test_serve.

Run as ``python -m jiangping.core.tests.gunicorn_app ACCESS_LOG TRUSTED_PROXY``; prints the
bound port once the workers may be forked. The app answers with what it was given as
JSON, and ``/refuse`` with a 413 that reads no byte of the body (as the upload-limit
middleware does).
"""

import json
import os
import sys

from jiangping.core import serving


def app(environ, start_response):
    if environ["PATH_INFO"] == "/refuse":
        start_response("413 Request Entity Too Large",
                       [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"no"]
    body = json.dumps({
        "pid": os.getpid(), "addr": environ["REMOTE_ADDR"],
        "scheme": environ["wsgi.url_scheme"],
        "forwarded_proto": environ.get("HTTP_X_FORWARDED_PROTO"),
        "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR"),
    }).encode()
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(body)))])
    return [body]


def ready(arbiter):
    print(arbiter.LISTENERS[0].getsockname()[1], flush=True)


if __name__ == "__main__":
    access_log, trusted_proxy = sys.argv[1], sys.argv[2]
    serving.make_server(app, host="127.0.0.1", port=0, workers=2, threads=2, timeout=10,
                        trusted_proxy=trusted_proxy, access_log=access_log,
                        on_ready=ready).run()
