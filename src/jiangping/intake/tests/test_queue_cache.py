"""The approval queue's rows are kept rendered in the page cache per scope, month, form and
day; a decision is seen by the next view, and every view's forms carry that request's own
CSRF token (a test client that enforces CSRF posts with the token the page gave it)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiangping.core.tests.web import P, month_data
from jiangping.intake import services
from jiangping.intake.models import State
from jiangping.intake.views import CSRF_STAND_IN
from jiangping.orgs.scope import Scope

QUEUE = reverse("intake:queue")


@pytest.fixture
def submitted(cast, cached):
    month_data(cast)
    submission = services.get_or_open(cast.county_a, P, "indicators")
    services.submit(Scope.for_user(cast.reporter_a), submission, cast.reporter_a)
    return submission


def test_rows_are_read_once_and_a_decision_shows_at_once(client, cast, submitted):
    client.force_login(cast.office)
    first = client.get(QUEUE, {"period": P}).content.decode()
    assert "已报送" in first and CSRF_STAND_IN not in first
    with CaptureQueriesContext(connection) as queries:
        again = client.get(QUEUE, {"period": P}).content.decode()
    read = " ".join(q["sql"] for q in queries.captured_queries)
    # No submission row, no value, no event: only the page's month pickers.
    assert 'SELECT "intake_submission"."id"' not in read and "indicators_value" not in read
    assert "intake_submissionevent" not in read
    def tokenless(page):
        return re.sub(r'"X-CSRFToken": "[^"]+"|value="[^"]+"', "", page)

    assert tokenless(again) == tokenless(first)
    services.approve(Scope.for_user(cast.office), submitted, cast.office)
    assert "解锁" in client.get(QUEUE, {"period": P}).content.decode()


def test_the_forms_carry_the_requests_own_token(cast, submitted):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.office)
    page = browser.get(QUEUE, {"period": P}).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    approve = reverse("intake:approve", args=[submitted.pk])
    assert browser.post(approve, {"csrfmiddlewaretoken": "forged" * 8}).status_code == 403
    assert browser.post(approve, {"csrfmiddlewaretoken": token}).status_code in (200, 302)
    submitted.refresh_from_db()
    assert submitted.state == State.APPROVED
