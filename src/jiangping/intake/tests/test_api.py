"""REST API of intake: submissions in scope and their life cycle."""

import pytest
from django.test import Client

from jiangping.intake import services
from jiangping.intake.models import State, Submission
from jiangping.orgs.services import create_api_token

PERIOD = "2019-11"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, submission: Submission, action: str, body=None, **extra):
    return client.post(f"/api/intake/submissions/{submission.pk}/{action}",
                       data=body or {}, content_type="application/json", **extra)


@pytest.fixture
def drafts(cast):
    """Drafts of the indicators form for 甲区 and 乙县, 2019-11."""
    cast.draft_a = services.get_or_open(cast.county_a, PERIOD, "indicators")
    cast.draft_b = services.get_or_open(cast.county_b, PERIOD, "indicators")
    return cast


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {s["id"] for s in response.json()["items"]}


def test_city_office_lists_every_submission(drafts):
    found = ids(logged_in(drafts.office).get("/api/intake/submissions", {"period": PERIOD}))
    assert found == {drafts.draft_a.pk, drafts.draft_b.pk}


def test_county_lists_only_its_own(drafts):
    response = logged_in(drafts.reporter_b).get("/api/intake/submissions")
    assert ids(response) == {drafts.draft_b.pk}
    item = response.json()["items"][0]
    assert item["unit"] == "990121"
    assert item["state"] == "draft"
    assert item["state_label"] == "草稿"


def test_filters(drafts):
    client = logged_in(drafts.office)
    assert ids(client.get("/api/intake/submissions", {"unit": "990102"})) == {drafts.draft_a.pk}
    assert ids(client.get("/api/intake/submissions", {"state": "approved"})) == set()
    assert ids(client.get("/api/intake/submissions", {"period": "2019-10"})) == set()


def test_detail_of_another_county_is_404(drafts):
    response = logged_in(drafts.reporter_b).get(f"/api/intake/submissions/{drafts.draft_a.pk}")
    assert response.status_code == 404


def test_open_a_submission(cast):
    response = logged_in(cast.reporter_a).post(
        "/api/intake/submissions", data={"unit": "990102", "period": PERIOD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "draft"
    assert response.json()["deadline"] == "2019-12-05"


def test_open_for_another_county_is_refused_as_unknown(cast):
    response = logged_in(cast.reporter_b).post(
        "/api/intake/submissions", data={"unit": "990102", "period": PERIOD},
        content_type="application/json",
    )
    assert response.status_code == 422 and "甲区" not in response.content.decode()
    assert not Submission.objects.exists()


def test_open_unknown_form_is_422(cast):
    response = logged_in(cast.reporter_a).post(
        "/api/intake/submissions", data={"unit": "990102", "period": PERIOD, "form": "gdp"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "gdp" in response.json()["detail"]


def test_the_whole_life_cycle(drafts):
    county, office = logged_in(drafts.reporter_a), logged_in(drafts.office)
    response = post(county, drafts.draft_a, "submit")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted"
    assert response.json()["submitted_by"] == "jiaqu"

    response = post(office, drafts.draft_a, "return", {"comment": "固投数据有误"})
    assert response.json()["state"] == "returned"
    assert response.json()["comment"] == "固投数据有误"

    post(county, drafts.draft_a, "submit")
    response = post(office, drafts.draft_a, "approve")
    assert response.json()["state"] == "approved"
    assert response.json()["locked"] is True

    response = post(office, drafts.draft_a, "unlock", {"comment": "更正"})
    assert response.status_code == 200
    assert response.json()["locked"] is False


def test_county_cannot_submit_another_county(drafts):
    response = post(logged_in(drafts.reporter_b), drafts.draft_a, "submit")
    assert response.status_code == 404
    drafts.draft_a.refresh_from_db()
    assert drafts.draft_a.state == State.DRAFT


def test_county_cannot_approve_its_own(drafts):
    post(logged_in(drafts.reporter_a), drafts.draft_a, "submit")
    response = post(logged_in(drafts.reporter_a), drafts.draft_a, "approve")
    assert response.status_code == 403
    assert "市级管理员" in response.json()["detail"]


def test_leader_cannot_submit_or_approve(drafts):
    leader = logged_in(drafts.leader)
    assert post(leader, drafts.draft_a, "submit").status_code == 403
    post(logged_in(drafts.reporter_a), drafts.draft_a, "submit")
    assert post(leader, drafts.draft_a, "approve").status_code == 403


def test_approving_a_draft_is_422(drafts):
    response = post(logged_in(drafts.office), drafts.draft_a, "approve")
    assert response.status_code == 422
    assert "草稿" in response.json()["detail"]


def test_return_needs_a_reason(drafts):
    post(logged_in(drafts.reporter_a), drafts.draft_a, "submit")
    response = post(logged_in(drafts.office), drafts.draft_a, "return")
    assert response.status_code == 422
    assert "原因" in response.json()["detail"]


def test_actions_with_a_token(drafts, client):
    token = create_api_token(drafts.reporter_a, "sync")
    response = post(client, drafts.draft_a, "submit", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["state"] == "submitted"


def test_list_query_count(drafts, django_assert_max_num_queries):
    client = logged_in(drafts.office)
    with django_assert_max_num_queries(6):
        client.get("/api/intake/submissions")


def test_actions_need_no_body(drafts):
    url = f"/api/intake/submissions/{drafts.draft_a.pk}"
    logged_in(drafts.reporter_a).generic("POST", f"{url}/submit")
    response = logged_in(drafts.office).generic("POST", f"{url}/approve")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "approved"


def test_unparsable_body_is_400_in_chinese(drafts):
    response = logged_in(drafts.office).post(
        f"/api/intake/submissions/{drafts.draft_a.pk}/approve", data="{not json",
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_the_list_items_are_the_detail_answers(drafts):
    """The list is written straight from its rows (core/apilists.py): each item is what the
    detail endpoint answers through SubmissionOut, field for field and in its order."""
    post(logged_in(drafts.reporter_a), drafts.draft_a, "submit")
    client = logged_in(drafts.office)
    items = client.get("/api/intake/submissions").json()["items"]
    assert len(items) == 2
    for item in items:
        detail = client.get(f"/api/intake/submissions/{item['id']}").json()
        assert list(item) == list(detail) and item == detail
    assert {item["unit"]: item["state_label"] for item in items} == {
        "990102": "已报送", "990121": "草稿"}
