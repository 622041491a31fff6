"""The API lists of values and of submissions are kept in the page cache per scope, query
(and day, for submissions) and every write to what they show — a value, a submission's
state, a user's name — is seen by the next request (:mod:`jiangping.core.apilists`)."""

import datetime as dt
from decimal import Decimal

from django.test import Client

from jiangping.demo.cast import PASSWORD
from jiangping.indicators import services
from jiangping.intake import services as intake
from jiangping.orgs.scope import Scope

PERIOD = "2019-11"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def values(client, **query) -> dict:
    response = client.get("/api/indicators/values", {"period": PERIOD, **query})
    assert response.status_code == 200, response.content
    return {(v["unit"], v["indicator"]): (v["value"], v["updated_by"], v["approved"])
            for v in response.json()["items"]}


def test_the_values_list_follows_the_values_and_their_users(cast, cached):
    office = Scope.for_user(cast.office)
    services.upsert_values(office, [(cast.fai, cast.county_a, PERIOD, Decimal("120.5"))],
                           user=cast.office)
    county = logged_in(cast.reporter_a)
    key = (cast.county_a.code, "fai")
    assert values(county)[key] == ("120.5", "office", False)
    services.upsert_values(office, [(cast.fai, cast.county_a, PERIOD, Decimal("99"))],
                           user=cast.office)
    assert values(county)[key] == ("99", "office", False)
    cast.office.username = "office2"
    cast.office.save()
    assert values(county)[key] == ("99", "office2", False)
    # Another scope, another answer: 乙县 does not see 甲区's value.
    assert key not in values(logged_in(cast.reporter_b))
    # A login saves the user's last_login only: the answers are kept.
    from jiangping.core.pagecache import figures_version

    before = figures_version()
    answer = Client().post("/login/", {"username": "office2", "password": PASSWORD})
    assert answer.status_code == 302
    assert figures_version() == before


def test_the_submissions_list_follows_the_states_and_the_day(cast, cached, monkeypatch):
    client = logged_in(cast.office)

    def states():
        response = client.get("/api/intake/submissions", {"period": PERIOD})
        assert response.status_code == 200, response.content
        return {s["unit"]: (s["state"], s["late"]) for s in response.json()["items"]}

    submission = intake.get_or_open(cast.county_a, PERIOD, "indicators")
    assert states()[cast.county_a.code][0] == "draft"
    intake.submit(Scope.for_user(cast.reporter_a), submission, cast.reporter_a)
    assert states()[cast.county_a.code][0] == "submitted"
    # The day is part of the key: a draft past its deadline turns late the day after.
    submission = intake.get_or_open(cast.county_b, PERIOD, "indicators")
    deadline = submission.deadline
    monkeypatch.setattr("django.utils.timezone.localdate",
                        lambda *args: deadline - dt.timedelta(days=1))
    assert states()[cast.county_b.code] == ("draft", False)
    monkeypatch.setattr("django.utils.timezone.localdate",
                        lambda *args: deadline + dt.timedelta(days=1))
    assert states()[cast.county_b.code] == ("draft", True)


def test_a_deleted_user_leaves_the_cached_lists(cast, cached):
    office = Scope.for_user(cast.office)
    services.upsert_values(office, [(cast.fai, cast.county_a, PERIOD, Decimal("7"))],
                           user=cast.reporter_a)
    client = logged_in(cast.office)
    key = (cast.county_a.code, "fai")
    assert values(client)[key] == ("7", cast.reporter_a.username, False)
    cast.reporter_a.delete()
    assert values(client)[key] == ("7", None, False)
