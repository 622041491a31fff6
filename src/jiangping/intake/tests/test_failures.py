"""When the database fails or the process dies (数据库故障): the person is told why in
Chinese, and nothing is half-written.

- an import killed (kill -9) in the middle of writing leaves the database as it was;
- a busy (locked) or unreachable database reaches the CLI as a Chinese message with exit
  status 1, API clients as JSON with 503 (``Retry-After`` when retrying may succeed), and
  the pages as the Chinese error page.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.db import OperationalError
from django.urls import reverse

from jiangping.core.tests.web import P, month_data
from jiangping.indicators import services
from jiangping.indicators.models import Value
from jiangping.intake.tests.helpers import write_csv

# A child process that imports FILE with --apply into the database named DB, announces
# its rows merged (still uncommitted), then waits to be killed.
CHILD = textwrap.dedent("""
    import sys
    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = sys.argv[1]
    django.setup()
    from jiangping.indicators import bulk

    merged = bulk.merge

    def merge_then_hang(cursor, staged, now, user_id):
        created, updated = merged(cursor, staged, now, user_id)
        print("written", created + updated, flush=True)
        sys.stdin.read()

    bulk.merge = merge_then_hang
    from django.core.management import call_command

    call_command("import", "indicators", sys.argv[2], "--apply")
""")


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    env["DJANGO_SETTINGS_MODULE"] = "jiangping.settings"
    return env


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_while_writing_leaves_nothing(cast, tmp_path):
    rows = [["单位", "指标", "期间", "数值"]]
    rows += [[unit, "固定资产投资", f"2018-{month:02d}", month]
             for unit in ("甲区", "乙县") for month in range(1, 13)]
    source = write_csv(tmp_path / "month.csv", rows)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(settings.DATABASES["default"]["NAME"]), str(source)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=child_env())
    try:
        line = child.stdout.readline()
        assert line == "written 24\n", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(60)
    assert child.returncode == -signal.SIGKILL
    assert not Value.objects.exists()
    # the database is whole and takes writes again
    services.upsert_values(services.Scope.operator(), [(cast.fai, cast.county_a, P, 1)])
    assert Value.objects.count() == 1


# --- the command line -----------------------------------------------------------------
def console(*args, env_extra: dict[str, str], data_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_URL")}
    env.update(JIANGPING_DATA_DIR=str(data_dir), **env_extra)
    return subprocess.run([sys.executable, "-m", "jiangping", *map(str, args)],
                          capture_output=True, text=True, check=False, env=env)


# A unit and an indicator, so that the import below is clean and reaches its write.
SEED = (
    "from jiangping.orgs.models import OrgUnit, Level;"
    "from jiangping.indicators.models import Indicator, Kind;"
    "p = OrgUnit.objects.create(code='P', name='某省', level=Level.PROVINCE);"
    "c = OrgUnit.objects.create(code='C', name='某市', level=Level.CITY, parent=p, is_home=True);"
    "OrgUnit.objects.create(code='A', name='甲区', level=Level.COUNTY, parent=c);"
    "Indicator.objects.create(code='fai', name='固定资产投资', unit='亿元', kind=Kind.FLOW)"
)


def test_cli_told_in_chinese_when_the_database_is_locked(tmp_path):
    assert console("migrate", "-v", "0", env_extra={}, data_dir=tmp_path).returncode == 0
    assert console("shell", "-c", SEED, env_extra={}, data_dir=tmp_path).returncode == 0
    source = write_csv(tmp_path / "x.csv", [["单位", "指标", "期间", "数值"],
                                            ["甲区", "固定资产投资", "2019-11", "1"]])
    holder = sqlite3.connect(tmp_path / "jiangping.sqlite3")
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the database
    try:
        done = console("import", "indicators", source, "--apply",
                       env_extra={"JIANGPING_SQLITE_TIMEOUT": "1"}, data_dir=tmp_path)
    finally:
        holder.rollback()
        holder.close()
    assert done.returncode == 1
    assert done.stderr.strip() == "数据库正忙：其他用户正在写入同一批数据，请稍后重试。"
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_cli_told_in_chinese_when_postgresql_is_down(tmp_path):
    done = console("token", "office",
                   env_extra={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"},
                   data_dir=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().endswith(
        "无法连接数据库，请稍后重试；如果问题一直存在，请联系系统管理员。")
    assert "Traceback" not in done.stderr and "OperationalError" not in done.stderr


# --- the web --------------------------------------------------------------------------
@pytest.fixture
def production(settings):
    settings.DEBUG = False


def failing(monkeypatch, message: str):
    def fail(*args, **kwargs):
        raise OperationalError(message)

    monkeypatch.setattr(services, "upsert_values", fail)
    monkeypatch.setattr(services, "save_month", fail)


@pytest.mark.parametrize(("message", "status", "retry"), [
    ("database is locked", 503, True),
    ("attempt to write a readonly database", 503, False),
    ("disk I/O error", 500, False),
])
def test_api_answers_database_failures_in_json(client, cast, monkeypatch, production,
                                               message, status, retry):
    failing(monkeypatch, message)
    client.force_login(cast.office)
    response = client.put("/api/indicators/values", [
        {"indicator": "fai", "unit": cast.county_a.code, "period": P, "value": "1"}],
        content_type="application/json")
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["retry"] is retry and "数据库" in body["detail"]
    assert ("Retry-After" in response) is retry
    if retry:
        assert body["detail"] == "数据库正忙：其他用户正在写入同一批数据，请稍后重试。"
    else:
        assert "locked" not in body["detail"] and "readonly" not in body["detail"]


def test_pages_answer_database_failures_with_the_chinese_page(client, cast, monkeypatch,
                                                              production):
    month_data(cast)
    failing(monkeypatch, "database is locked")
    client.force_login(cast.reporter_a)
    url = reverse("indicators:entry") + f"?period={P}&unit={cast.county_a.code}"
    response = client.post(url, {"v_fai": "150", "save": "1"})
    assert response.status_code == 503 and response["Retry-After"] == "5"
    body = response.content.decode()
    assert "系统正忙" in body and "数据库正忙" in body and "没有写入任何数据" in body
