"""REST API: authentication, error shapes, org units and the caller."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiangping.orgs.models import ApiToken
from jiangping.orgs.services import TOKEN_USE_RESOLUTION, create_api_token, record_token_use


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- documentation ------------------------------------------------------------


@pytest.mark.django_db
def test_docs_and_schema_are_served(client):
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/orgs/units", "/api/orgs/me", "/api/indicators/", "/api/indicators/values",
        "/api/indicators/comparison", "/api/intake/submissions",
    ):
        assert path in paths, path


@pytest.mark.django_db
def test_docs_page_needs_no_cdn(client):
    html = client.get("/api/docs").content.decode()
    assert "cdn.jsdelivr" not in html


# --- authentication -----------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_401_with_chinese_detail(client):
    response = client.get("/api/orgs/me")
    assert response.status_code == 401
    assert "登录" in response.json()["detail"]


def test_session_login_works(cast):
    response = logged_in(cast.reporter_a).get("/api/orgs/me")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "jiaqu"
    assert body["unit"]["code"] == cast.county_a.code
    assert body["can_write"] is True


def test_token_auth_works(cast, client):
    token = create_api_token(cast.reporter_b, "script")
    response = client.get("/api/orgs/me", **bearer(token))
    assert response.status_code == 200
    assert response.json()["username"] == "yixian"
    assert ApiToken.objects.get(user=cast.reporter_b).last_used is not None


def test_a_token_s_use_is_written_at_most_once_per_few_minutes(cast, client):
    token = create_api_token(cast.reporter_b, "script")
    client.get("/api/orgs/me", **bearer(token))
    first = ApiToken.objects.get(user=cast.reporter_b).last_used
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/orgs/me", **bearer(token)).status_code == 200
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert ApiToken.objects.get(user=cast.reporter_b).last_used == first


def test_token_use_is_recorded_again_once_the_last_one_is_old(cast):
    create_api_token(cast.office, "cron")
    token = ApiToken.objects.get(user=cast.office)
    start = timezone.now()
    assert record_token_use(token, start)
    assert not record_token_use(token, start + TOKEN_USE_RESOLUTION - timedelta(seconds=1))
    assert ApiToken.objects.get(pk=token.pk).last_used == start
    later = start + TOKEN_USE_RESOLUTION
    assert record_token_use(token, later)
    assert ApiToken.objects.get(pk=token.pk).last_used == later


def test_racing_requests_of_one_token_write_its_use_once(cast):
    create_api_token(cast.office, "cron")
    # Both requests loaded the token before either wrote.
    one, other = ApiToken.objects.get(user=cast.office), ApiToken.objects.get(user=cast.office)
    now = timezone.now()
    assert record_token_use(one, now)
    assert not record_token_use(other, now + timedelta(seconds=1))
    assert ApiToken.objects.get(pk=one.pk).last_used == now
    stale = ApiToken.objects.get(pk=one.pk)
    ApiToken.objects.filter(pk=one.pk).update(last_used=now + TOKEN_USE_RESOLUTION)
    # A stale copy that looks old enough is still refused by the database's own value.
    assert not record_token_use(stale, now + TOKEN_USE_RESOLUTION + timedelta(seconds=1))


def test_token_is_stored_only_as_digest(cast):
    token = create_api_token(cast.office, "cron")
    stored = ApiToken.objects.get(user=cast.office)
    assert token not in stored.digest
    assert len(stored.digest) == 64


def test_wrong_token_is_401(cast, client):
    create_api_token(cast.office, "cron")
    response = client.get("/api/orgs/me", **bearer("jp_not-a-real-token"))
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]


def test_wrong_token_is_401_even_with_a_session(cast):
    response = logged_in(cast.office).get("/api/orgs/me", **bearer("jp_wrong"))
    assert response.status_code == 401


def test_token_of_inactive_user_is_401(cast, client):
    token = create_api_token(cast.reporter_a, "old")
    cast.reporter_a.is_active = False
    cast.reporter_a.save()
    assert client.get("/api/orgs/me", **bearer(token)).status_code == 401


def test_session_write_needs_csrf(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.office)
    response = client.put(
        "/api/indicators/values", data=[], content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_token_write_needs_no_csrf(cast):
    token = create_api_token(cast.office, "cron")
    client = Client(enforce_csrf_checks=True)
    response = client.put(
        "/api/indicators/values", data=[], content_type="application/json", **bearer(token)
    )
    assert response.status_code == 200


# --- the token command --------------------------------------------------------


def test_token_command_prints_a_working_token(cast, client):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "jiaqu", "--name", "报表脚本", stdout=out, stderr=err)
    token = out.getvalue().strip()
    assert token.startswith("jp_")
    assert ApiToken.objects.get(user=cast.reporter_a).name == "报表脚本"
    assert client.get("/api/orgs/me", **bearer(token)).json()["username"] == "jiaqu"


def test_token_command_refuses_unknown_user(cast):
    with pytest.raises(CommandError, match="不存在"):
        call_command("token", "nobody", stdout=io.StringIO())


# --- org units ----------------------------------------------------------------


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {u["code"] for u in response.json()["items"]}


def test_units_of_a_county_are_its_subtree(cast):
    found = codes(logged_in(cast.reporter_a).get("/api/orgs/units"))
    assert found == {cast.county_a.code, cast.township_a.code, cast.village_a.code}


def test_units_of_the_city_office_exclude_peer_cities(cast):
    found = codes(logged_in(cast.office).get("/api/orgs/units"))
    assert cast.county_a.code in found and cast.county_b.code in found
    assert not {p.code for p in cast.peers} & found


def test_units_filter_by_level(cast):
    response = logged_in(cast.office).get("/api/orgs/units", {"level": "county"})
    assert codes(response) == {
        cast.county_a.code, cast.county_b.code, cast.county_c.code, cast.zone.code,
    }
    item = next(u for u in response.json()["items"] if u["code"] == cast.county_a.code)
    assert item == {
        "code": "990102", "name": "甲区", "short_name": "", "level": "county",
        "group": "district", "parent": cast.city.code,
    }


def test_units_page_by_page_in_tree_order_and_fresh_after_a_rename(cast):
    client = logged_in(cast.office)
    whole = client.get("/api/orgs/units").json()
    first = client.get("/api/orgs/units", {"limit": 2}).json()
    rest = client.get("/api/orgs/units", {"limit": 100, "offset": 2}).json()
    assert first["count"] == rest["count"] == whole["count"] == len(whole["items"])
    assert first["items"] + rest["items"] == whole["items"]
    assert whole["items"][0] == {
        "code": cast.city.code, "name": cast.city.name, "short_name": cast.city.short_name,
        "level": "city", "group": cast.city.group, "parent": cast.city.parent.code
        if cast.city.parent_id else None,
    }
    # The answer is kept in the page cache; a unit's save changes the figures version.
    before = client.get("/api/orgs/units", {"level": "county"}).json()["items"]
    assert {u["name"] for u in before if u["code"] == cast.county_a.code} == {"甲区"}
    cast.county_a.name = "甲区（新）"
    cast.county_a.save()
    again = client.get("/api/orgs/units", {"level": "county"}).json()["items"]
    assert {u["name"] for u in again if u["code"] == cast.county_a.code} == {"甲区（新）"}


def test_units_paging_refuses_a_bad_limit(cast):
    response = logged_in(cast.office).get("/api/orgs/units", {"limit": 0})
    assert response.status_code == 422


def test_units_unknown_level_is_422(cast):
    response = logged_in(cast.office).get("/api/orgs/units", {"level": "galaxy"})
    assert response.status_code == 422
    assert response.json()["detail"] == "请求参数有误：层级的取值不在允许范围内。"
    assert response.json()["errors"][0]["field"] == "层级"


def test_unit_detail(cast):
    response = logged_in(cast.reporter_a).get(f"/api/orgs/units/{cast.village_a.code}")
    assert response.status_code == 200
    assert response.json()["parent"] == cast.township_a.code


def test_unit_detail_of_another_county_is_404(cast):
    response = logged_in(cast.reporter_b).get(f"/api/orgs/units/{cast.county_a.code}")
    assert response.status_code == 404
    assert "数据范围" in response.json()["detail"]


def test_admin_sees_peer_cities(cast):
    response = logged_in(cast.admin).get(f"/api/orgs/units/{cast.peers[0].code}")
    assert response.status_code == 200


def test_user_without_unit_is_403(cast):
    cast.leader.unit = None
    cast.leader.save()
    response = logged_in(cast.leader).get("/api/orgs/units")
    assert response.status_code == 403
    assert "所属单位" in response.json()["detail"]


def test_chinese_is_written_as_utf8(cast):
    response = logged_in(cast.reporter_a).get("/api/orgs/me")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "甲区".encode() in response.content
