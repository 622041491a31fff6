"""An import beside the other writers (导入期间照常填报): a dry run takes no writers' lock,
and an applied import is read, checked and staged outside it, holding it only for its
final merge. Runs on SQLite and PostgreSQL; the import is held at a point of its run by
events (a check made slow by a hook, the merge), never by sleeping.

While the import holds no lock, this connection refuses to wait for one (SQLite's busy
timeout 0, PostgreSQL's lock_timeout): a lock taken by the import would fail the write
here at once with "database is locked" rather than pass by waiting.
"""

from __future__ import annotations

import threading
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client

from jiangping.core.tests.web import P
from jiangping.indicators import bulk, services
from jiangping.indicators.imports import INDICATORS
from jiangping.indicators.models import Value
from jiangping.intake import services as intake
from jiangping.intake.engine import run_import
from jiangping.intake.locks import MAX_KEYS
from jiangping.intake.tests.helpers import write_csv
from jiangping.orgs.scope import Scope
from jiangping.orgs.services import create_api_token

from .test_concurrency import PauseAfter, Worker, blocked

PERIODS = [f"{year}-{month:02d}" for year in range(2001, 2019) for month in range(1, 13)]
UNITS = ("甲区", "乙县", "丙市")


@pytest.fixture
def no_waiting():
    """This connection fails at once on a lock another holds, instead of waiting."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET lock_timeout = '100ms'")
        else:
            cursor.execute("PRAGMA busy_timeout = 0")
    yield
    connection.close()  # the next test connects with the settings' timeouts


def values_file(tmp_path, value) -> tuple:
    rows = [["单位", "指标", "期间", "数值"]]
    rows += [[unit, "固定资产投资", period, value] for unit in UNITS for period in PERIODS]
    return write_csv(tmp_path / "values.csv", rows), len(rows) - 1


def api_put(client: Client, token: str, unit, value, period=P) -> int:
    response = client.put(f"/api/indicators/values/revenue/{unit.code}/{period}",
                          {"value": value}, content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {token}")
    return response.status_code


@pytest.mark.django_db(transaction=True)
def test_a_dry_run_counts_while_another_writer_holds_the_lock(cast, monkeypatch, tmp_path,
                                                              no_waiting):
    """Another writer holds the writers' lock of the whole form (uncommitted); the dry
    run neither waits nor fails, and counts against what is committed."""
    path, count = values_file(tmp_path, 7)
    units = [cast.county_a, cast.county_b, cast.county_c]
    services.upsert_values(Scope.operator(), [(cast.fai, unit, period, 7)
                                              for unit in units for period in PERIODS[:10]])
    services.upsert_values(Scope.operator(), [(cast.fai, cast.county_a, PERIODS[10], 8)])
    pause = PauseAfter(monkeypatch, bulk, "merge")
    held = [(cast.revenue, unit, period, 1) for unit in units for period in PERIODS]
    assert len(units) * len(PERIODS) > MAX_KEYS  # it locks the whole form
    writer = Worker(lambda: services.upsert_values(Scope.operator(), held))
    pause.thread = writer
    writer.start()
    assert pause.reached.wait(60)
    try:
        result = run_import("indicators", path, scope=Scope.operator())
    finally:
        pause.go.set()
    assert result.ok and not result.applied, result.as_dict()["errors"]
    # 30 stored equal (neither), one stored other (updated), the rest new
    assert (result.created, result.updated) == (count - 31, 1)
    assert writer.outcome() == (len(held), 0)
    assert Value.objects.filter(indicator=cast.fai).count() == 31


@pytest.mark.django_db(transaction=True)
def test_api_writes_go_on_beside_a_long_import(cast, monkeypatch, tmp_path, no_waiting):
    """An applied import is held in its checks (a slow validation): writes through the
    API with a token succeed meanwhile without waiting. Held again in its merge, a write
    waits for it and then succeeds; the import's result is exact."""
    path, count = values_file(tmp_path, 3)
    token = create_api_token(cast.office, "t")
    api = Client()
    checking = PauseAfter(monkeypatch, INDICATORS, "check")
    merging = PauseAfter(monkeypatch, bulk, "merge")
    importer = Worker(lambda: run_import("indicators", path, scope=Scope.operator(),
                                         user=cast.office, apply=True))
    checking.thread = merging.thread = importer
    importer.start()
    try:
        assert checking.reached.wait(60)
        units = [cast.county_a, cast.county_b, cast.county_c]
        assert [api_put(api, token, unit, index + 10) for index, unit in enumerate(units)] \
            == [200, 200, 200]
        checking.go.set()
        assert merging.reached.wait(60)
        waiting = Worker(lambda: api_put(Client(), token, cast.county_a, "99", PERIODS[0]))
        waiting.start()
        assert blocked(waiting)
    finally:
        checking.go.set()
        merging.go.set()
    result = importer.outcome()
    assert result.ok and result.applied, result.as_dict()["errors"]
    assert (result.created, result.updated, result.rows_ok) == (count, 0, count)
    assert waiting.outcome() == 200
    assert set(Value.objects.filter(indicator=cast.fai).values_list("value", flat=True)) \
        == {3}
    assert Value.objects.filter(indicator=cast.fai).count() == count
    assert dict(Value.objects.filter(indicator=cast.revenue, period=P).values_list(
        "unit__code", "value")) == {cast.county_a.code: 10, cast.county_b.code: 11,
                                    cast.county_c.code: 12}
    assert Value.objects.get(indicator=cast.revenue, unit=cast.county_a,
                             period=PERIODS[0]).value == D(99)


@pytest.mark.django_db(transaction=True)
def test_an_approval_between_the_checks_and_the_merge_refuses_the_import(cast, monkeypatch,
                                                                          tmp_path):
    """The import checked that no month is locked; the office approves one of them before
    the import merges. The merge checks again, refuses the file and writes nothing."""
    path, _count = values_file(tmp_path, 3)
    office = Scope.for_user(cast.office)
    submission = intake.get_or_open(cast.county_a, PERIODS[5], services.FORM)
    intake.submit(Scope.for_user(cast.reporter_a), submission, cast.reporter_a)
    checking = PauseAfter(monkeypatch, INDICATORS, "check")
    importer = Worker(lambda: run_import("indicators", path, scope=office, user=cast.office,
                                         apply=True))
    checking.thread = importer
    importer.start()
    try:
        assert checking.reached.wait(60)
        intake.approve(office, submission, cast.office)
    finally:
        checking.go.set()
    result = importer.outcome()
    assert not result.ok and not result.applied
    assert (result.created, result.updated) == (0, 0)
    messages = [error.message for error in result.errors]
    assert len(messages) == 1 and "甲区" in messages[0] and "已审核锁定" in messages[0]
    assert not Value.objects.exists()


class PausingCursor:
    """A cursor whose ``executemany`` pauses once it has run: ``reached``, then ``go``."""

    def __init__(self, cursor, reached: threading.Event, go: threading.Event):
        self.cursor, self.reached, self.go = cursor, reached, go

    def __getattr__(self, name):
        return getattr(self.cursor, name)

    def executemany(self, sql, rows):
        self.cursor.executemany(sql, rows)
        self.reached.set()
        assert self.go.wait(60)


@pytest.mark.django_db(transaction=True)
def test_staging_on_sqlite_takes_no_lock_of_the_database(cast, no_waiting):
    """Rows are being staged (in the staging transaction of the temporary table): another
    writer writes at once."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL stages through COPY, in no transaction of its own")
    rows = [(cast.fai.pk, cast.county_b.pk, period, D(1), "reported") for period in PERIODS]
    reached, go = threading.Event(), threading.Event()

    def stage():
        with connection.cursor() as cursor:
            return bulk.stage(PausingCursor(cursor, reached, go), rows, table=True)

    stager = Worker(stage)
    stager.start()
    assert reached.wait(60)
    try:
        written = services.upsert_values(Scope.operator(),
                                         [(cast.fai, cast.county_a, PERIODS[0], 5)])
    finally:
        go.set()
    assert written == (1, 0)
    assert stager.outcome().rows == len(rows)
