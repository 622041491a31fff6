"""Error responses: JSON for API clients, no tracebacks in the log for refusals."""

import logging

from jiangping.core.errors import ClientErrorsWithoutTraceback


def test_unknown_api_path_answers_json(client, cast, settings):
    settings.DEBUG = False
    client.force_login(cast.office)
    response = client.get("/api/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


def test_refusals_are_logged_without_traceback():
    try:
        raise PermissionError("x")
    except PermissionError:
        import sys

        info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden",
                               None, info)
    record.status_code = 403
    assert ClientErrorsWithoutTraceback().filter(record) and record.exc_info is None
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Error", None, info)
    record.status_code = 500
    assert ClientErrorsWithoutTraceback().filter(record) and record.exc_info is not None


def test_token_command_refuses_in_chinese(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["JIANGPING_DATA_DIR"] = str(tmp_path)
    subprocess.run([sys.executable, "-m", "jiangping", "migrate", "-v0"], env=env, check=True)
    done = subprocess.run([sys.executable, "-m", "jiangping", "token", "nobody"], env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr.strip() == "用户“nobody”不存在。"
