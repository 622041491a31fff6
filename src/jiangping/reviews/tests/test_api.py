"""The review API: the pages' visibility, office-only compute and publish."""

import pytest

from jiangping.reviews.tests.conftest import PERIOD

pytestmark = pytest.mark.django_db


def test_office_computes_publishes_and_a_county_reads(client, cast, month):
    client.force_login(cast.reporter_a)
    assert client.post(f"/api/reviews/{PERIOD}/compute").status_code == 403
    client.force_login(cast.office)
    computed = client.post(f"/api/reviews/{PERIOD}/compute")
    assert computed.status_code == 200 and computed.json()["status"] == "draft"
    client.force_login(cast.reporter_a)
    assert client.get(f"/api/reviews/{PERIOD}").status_code == 404  # a draft is not shown
    client.force_login(cast.office)
    assert client.post(f"/api/reviews/{PERIOD}/publish").json()["status"] == "published"
    client.force_login(cast.reporter_a)
    data = client.get(f"/api/reviews/{PERIOD}").json()
    assert data["version"] == 1 and data["units"][0]["name"] == "甲区"
    unit = client.get(f"/api/reviews/{PERIOD}/units/990121").json()
    assert unit["score"] == "95.00" and unit["rank"] == 2 and unit["gap"]["move_up"]


def test_bad_period_and_unknown_unit(client, cast, month):
    client.force_login(cast.office)
    assert client.get("/api/reviews/2026-13").status_code == 404
    client.post(f"/api/reviews/{PERIOD}/compute")
    assert client.get(f"/api/reviews/{PERIOD}/units/nope").status_code == 404
    refused = client.post("/api/reviews/2025-06/compute")
    assert refused.status_code == 422 and "尚未上传" in refused.json()["detail"]


def test_anonymous_is_refused(client, cast, month):
    assert client.get(f"/api/reviews/{PERIOD}").status_code == 401
