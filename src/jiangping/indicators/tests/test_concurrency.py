"""Two users at once (并发填报): neither loses nor corrupts the other's figures.

The entry form writes only what its user changed and refuses, in Chinese, a value someone
else changed since the page was loaded. Writers of the same unit-month wait for each other
(PostgreSQL advisory locks, SQLite's write lock), so concurrent imports never mix and an
approval never slips between an import's lock check and its commit. Runs on SQLite and
PostgreSQL; races are driven with threads on separate connections, ordered by events,
never by sleeping.
"""

from __future__ import annotations

import threading
from decimal import Decimal as D
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client

from jiangping.core.tests.web import P, month_data
from jiangping.indicators import bulk, services
from jiangping.indicators.models import Value
from jiangping.intake import services as intake
from jiangping.intake.locks import MAX_KEYS
from jiangping.intake.models import State, Submission
from jiangping.orgs.scope import Scope

from .test_views import entry_url


class _Inputs(HTMLParser):
    """The inputs of the page's POST form, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._in_post = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_post = attrs.get("method") == "post"
        elif tag == "input" and self._in_post and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post = False


def page_fields(response) -> dict[str, str]:
    parser = _Inputs()
    parser.feed(response.content.decode())
    parser.fields.pop("csrfmiddlewaretoken", None)
    return parser.fields


def stored(cast, indicator, unit=None, period=P):
    row = Value.objects.filter(indicator=indicator, unit=unit or cast.county_a,
                               period=period).first()
    return None if row is None else row.value


@pytest.fixture
def data(cast):
    return month_data(cast)


def open_page(user, unit, period=P) -> tuple[Client, dict[str, str]]:
    client = Client()
    client.force_login(user)
    response = client.get(entry_url(unit, period))
    assert response.status_code == 200
    return client, page_fields(response)


# --- the entry form -------------------------------------------------------------------
def test_a_save_keeps_what_another_session_saved_meanwhile(data):
    """Two sessions open the month; the first saves 固定资产投资, the second changes only
    一般公共预算收入: both figures stay, and the second page says it saved one."""
    first, first_fields = open_page(data.reporter_a, data.county_a)
    second, second_fields = open_page(data.office, data.county_a)
    assert first_fields["v_fai"] == "140.0" and first_fields["was_fai"] == "140.000000"

    first.post(entry_url(data.county_a), {**first_fields, "v_fai": "150", "save": "1"})
    assert stored(data, data.fai) == 150
    response = second.post(entry_url(data.county_a), {**second_fields, "v_revenue": "13",
                                                      "save": "1"}, follow=True)
    assert "已保存 1 项数据。" in response.content.decode()
    assert stored(data, data.fai) == 150 and stored(data, data.revenue) == 13


def test_a_value_changed_by_someone_else_is_a_conflict_not_overwritten(data):
    first, first_fields = open_page(data.reporter_a, data.county_a)
    second, second_fields = open_page(data.office, data.county_a)
    first.post(entry_url(data.county_a), {**first_fields, "v_fai": "150", "save": "1"})

    response = second.post(entry_url(data.county_a), {
        **second_fields, "v_fai": "290.1", "v_revenue": "13", "save": "1"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "1 项数据在您打开页面后已被他人修改，本次未保存任何数据" in body
    assert "已被他人修改：您打开页面时为 140，现为 150。" in body
    # nothing of this save was written, not even the value without a conflict
    assert stored(data, data.fai) == 150 and stored(data, data.revenue) == D("12.5")

    # the page now carries the value stored now; saving again is a deliberate choice
    again = page_fields(response)
    assert again["v_fai"] == "290.1" and D(again["was_fai"]) == 150
    response = second.post(entry_url(data.county_a), {**again, "save": "1"}, follow=True)
    assert "已保存 2 项数据。" in response.content.decode()
    assert stored(data, data.fai) == D("290.1") and stored(data, data.revenue) == 13


def test_a_value_deleted_or_added_by_someone_else_is_a_conflict(data):
    first, first_fields = open_page(data.reporter_a, data.county_a)
    second, second_fields = open_page(data.office, data.county_a)
    assert second_fields["was_loans"] == ""
    first.post(entry_url(data.county_a), {**first_fields, "v_fai": "", "v_loans": "88",
                                          "save": "1"})
    response = second.post(entry_url(data.county_a), {
        **second_fields, "v_fai": "141", "v_loans": "90", "save": "1"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "您打开页面时为 140，现为 空" in body and "您打开页面时为 空，现为 88" in body
    assert stored(data, data.fai) is None and stored(data, data.loans) == 88


def test_a_page_without_what_it_showed_compares_with_the_stored_values(data):
    """An old page (no ``was_`` fields) or a tampered one saves as before: against the
    values stored at the time of the save."""
    client = Client()
    client.force_login(data.reporter_a)
    response = client.post(entry_url(data.county_a), {
        "v_fai": "140", "v_fai_growth": "40.0", "v_revenue": "13", "v_pm10": "80",
        "v_loans": "", "was_fai": "not a number", "save": "1"}, follow=True)
    assert "已保存 1 项数据。" in response.content.decode()
    assert stored(data, data.revenue) == 13


# --- the API --------------------------------------------------------------------------
def test_api_write_with_an_expected_value(client, data):
    client.force_login(data.reporter_a)
    url = f"/api/indicators/values/fai/{data.county_a.code}/{P}"
    refused = client.put(url, {"value": "150", "expected": "139"},
                         content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith(
        "“固定资产投资”已被他人修改（您看到的是 139，现为 140），本项未保存")
    assert stored(data, data.fai) == D("140")
    done = client.put(url, {"value": "150", "expected": 140}, content_type="application/json")
    assert done.status_code == 200 and stored(data, data.fai) == 150
    fresh = f"/api/indicators/values/loans/{data.county_a.code}/{P}"
    assert client.put(fresh, {"value": "5", "expected": "1"},
                      content_type="application/json").status_code == 409
    assert client.put(fresh, {"value": "5", "expected": None},
                      content_type="application/json").status_code == 200
    assert client.put(fresh, {"value": "6"}, content_type="application/json").status_code == 200


def test_api_batch_with_expected_values_names_every_conflict(client, data):
    client.force_login(data.office)
    a, b = data.county_a.code, data.county_b.code
    response = client.put("/api/indicators/values", [
        {"indicator": "fai", "unit": a, "period": P, "value": "1", "expected": "140"},
        {"indicator": "fai", "unit": b, "period": P, "value": "2", "expected": "91"},
        {"indicator": "revenue", "unit": a, "period": P, "value": "3"},
        {"indicator": "loans", "unit": a, "period": P, "value": "4", "expected": "0"},
    ], content_type="application/json")
    assert response.status_code == 409
    tail = "本项未保存；请核对后重新填写。"
    assert response.json()["errors"] == [
        "第2项：“固定资产投资”已被他人修改（您看到的是 91，现为 90），" + tail,
        "第4项：“金融机构贷款余额”已被他人修改（您看到的是 0，现为 空），" + tail,
    ]
    assert stored(data, data.fai) == 140 and stored(data, data.revenue) == D("12.5")
    done = client.put("/api/indicators/values", [
        {"indicator": "fai", "unit": b, "period": P, "value": "2", "expected": 90},
        {"indicator": "loans", "unit": a, "period": P, "value": "4", "expected": None},
    ], content_type="application/json")
    assert done.status_code == 200 and done.json() == {"created": 1, "updated": 1}


@pytest.mark.parametrize("period", ["1251-01", "3483-05", "1899-12", "3000-01", "2019-13"])
def test_api_refuses_periods_the_importer_refuses(client, data, period):
    client.force_login(data.office)
    one = client.put(f"/api/indicators/values/fai/{data.county_a.code}/{period}",
                     {"value": "1"}, content_type="application/json")
    batch = client.put("/api/indicators/values", [
        {"indicator": "fai", "unit": data.county_a.code, "period": period, "value": "1"}],
        content_type="application/json")
    assert one.status_code == 422 and batch.status_code == 422
    assert "格式不正确" in one.json()["detail"]
    assert not Value.objects.filter(period=period).exists()
    with pytest.raises(services.ValidationError):
        services.set_value(Scope.operator(), indicator=data.fai, unit=data.county_a,
                           period=period, value=1)


# --- real concurrency -----------------------------------------------------------------
class Worker(threading.Thread):
    """``target`` on a thread of its own, with its own database connection."""

    def __init__(self, target):
        super().__init__(daemon=True)
        self.target, self.result, self.error = target, None, None

    def run(self):
        try:
            self.result = self.target()
        except BaseException as exc:  # reported by outcome()
            self.error = exc
        finally:
            connection.close()

    def outcome(self):
        self.join(60)
        assert not self.is_alive(), "worker still blocked"
        if self.error is not None:
            raise self.error
        return self.result


class PauseAfter:
    """Patch ``owner.name`` so that the first call from ``thread`` pauses after returning:
    ``reached`` is set, then it waits for ``go``."""

    def __init__(self, monkeypatch, owner, name):
        self.reached, self.go = threading.Event(), threading.Event()
        self.thread: threading.Thread | None = None
        original = getattr(owner, name)

        def paused(*args, **kwargs):
            result = original(*args, **kwargs)
            if threading.current_thread() is self.thread and not self.reached.is_set():
                self.reached.set()
                assert self.go.wait(60)
            return result

        monkeypatch.setattr(owner, name, paused)


def blocked(worker: Worker) -> bool:
    """Whether ``worker`` waits (for a lock): it has not finished within two seconds while
    the other holds what it needs. Timing only ever makes this assertion fail, never pass:
    a worker that does not wait finishes at once."""
    worker.join(2)
    return worker.is_alive()


@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_the_same_keys_do_not_mix(cast, monkeypatch):
    """The first import has merged its rows and holds its writers' lock; the second
    waits before reading, so it updates every row the first wrote: never a mix."""
    units = [cast.county_a, cast.county_b, cast.county_c]
    periods = [f"{year}-{month:02d}" for year in range(2001, 2019) for month in range(1, 13)]
    indicators = [cast.fai, cast.revenue, cast.loans]

    def rows(value):
        return [(i, u, p, value) for i in indicators for u in units for p in periods]

    assert len(units) * len(periods) > MAX_KEYS  # the import locks the whole form
    pause = PauseAfter(monkeypatch, bulk, "merge")
    first = Worker(lambda: services.upsert_values(Scope.operator(), rows(1)))
    second = Worker(lambda: services.upsert_values(Scope.operator(), rows(2)))
    pause.thread = first
    first.start()
    assert pause.reached.wait(60)
    second.start()
    assert blocked(second)
    pause.go.set()
    assert first.outcome() == (len(rows(1)), 0)
    assert second.outcome() == (0, len(rows(2)))
    assert set(Value.objects.values_list("value", flat=True)) == {2}


@pytest.mark.django_db(transaction=True)
def test_entry_saves_of_one_month_wait_for_each_other(cast, monkeypatch):
    """Two saves of the same figure race: the second waits for the first, then finds the
    figure changed and refuses; the first user's figure stands."""
    services.upsert_values(Scope.operator(), [(cast.fai, cast.county_a, P, 140)])
    pause = PauseAfter(monkeypatch, bulk, "stored_values")

    def save(value):
        return lambda: services.save_month(
            Scope.operator(), unit=cast.county_a, period=P,
            changes={cast.fai: (D("140"), D(value))})

    first, second = Worker(save("150")), Worker(save("160"))
    pause.thread = first
    first.start()
    assert pause.reached.wait(60)
    second.start()
    assert blocked(second)
    pause.go.set()
    assert first.outcome() == 1
    with pytest.raises(services.Conflict):
        second.outcome()
    assert stored(cast, cast.fai) == 150


@pytest.mark.django_db(transaction=True)
def test_an_approval_waits_for_an_import_that_passed_the_lock_check(cast, monkeypatch):
    """An import has checked that the month is not locked; the office's approval waits
    until the import commits, so the approved month holds the imported figure and no
    value is stamped before the approval that froze it."""
    office = Scope.for_user(cast.office)
    submission = intake.get_or_open(cast.county_a, P, services.FORM)
    intake.submit(Scope.for_user(cast.reporter_a), submission, cast.reporter_a)
    pause = PauseAfter(monkeypatch, services, "write_locks")
    writer = Worker(lambda: services.upsert_values(
        office, [(cast.fai, cast.county_a, P, D("902.5"))], user=cast.office))
    approver = Worker(lambda: intake.approve(office, submission, cast.office))
    pause.thread = writer
    writer.start()
    assert pause.reached.wait(60)
    approver.start()
    assert blocked(approver)
    pause.go.set()
    assert writer.outcome() == (1, 0)
    approver.outcome()
    approved = Submission.objects.get(pk=submission.pk)
    value = Value.objects.get(indicator=cast.fai, unit=cast.county_a, period=P)
    assert approved.state == State.APPROVED and value.value == D("902.5")
    assert value.updated <= approved.decided_at


@pytest.mark.django_db(transaction=True)
def test_an_import_after_an_approval_is_refused(cast, monkeypatch):
    """The other order: the approval holds the lock; the import waits, then sees the
    approved month and writes nothing."""
    office = Scope.for_user(cast.office)
    reporter = Scope.for_user(cast.reporter_a)
    submission = intake.get_or_open(cast.county_a, P, services.FORM)
    intake.submit(reporter, submission, cast.reporter_a)
    pause = PauseAfter(monkeypatch, intake, "_event")
    approver = Worker(lambda: intake.approve(office, submission, cast.office))
    writer = Worker(lambda: services.upsert_values(
        office, [(cast.fai, cast.county_a, P, D("902.5"))]))
    pause.thread = approver
    approver.start()
    assert pause.reached.wait(60)
    writer.start()
    assert blocked(writer)
    pause.go.set()
    approver.outcome()
    with pytest.raises(services.ValidationError, match="已审核锁定"):
        writer.outcome()
    assert not Value.objects.filter(indicator=cast.fai, unit=cast.county_a, period=P).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_import_files_do_not_mix(cast, monkeypatch, tmp_path):
    """The issue's case through the import engine: two files of the same keys applied at
    once both succeed, one after the other; the month holds one file's figures, not a mix."""
    from jiangping.intake.engine import run_import
    from jiangping.intake.tests.helpers import write_csv

    periods = [f"{year}-{month:02d}" for year in range(2001, 2019) for month in range(1, 13)]

    def source(name, value):
        rows = [["单位", "指标", "期间", "数值"]]
        rows += [[unit, "固定资产投资", period, value]
                 for unit in ("甲区", "乙县", "丙市") for period in periods]
        return write_csv(tmp_path / name, rows)

    first_file, second_file = source("a.csv", 1), source("b.csv", 2)
    pause = PauseAfter(monkeypatch, bulk, "merge")
    first = Worker(lambda: run_import("indicators", first_file, scope=Scope.operator(),
                                      apply=True))
    second = Worker(lambda: run_import("indicators", second_file, scope=Scope.operator(),
                                       apply=True))
    pause.thread = first
    first.start()
    assert pause.reached.wait(60)
    second.start()
    assert blocked(second)
    pause.go.set()
    one, two = first.outcome(), second.outcome()
    assert one.ok and one.applied and (one.created, one.updated) == (len(periods) * 3, 0)
    assert two.ok and two.applied and (two.created, two.updated) == (0, len(periods) * 3)
    assert set(Value.objects.values_list("value", flat=True)) == {2}
