"""REST API of indicators: catalog, values (scoped reads and writes), targets, metrics."""

from decimal import Decimal

import pytest
from django.test import Client

from jiangping.indicators import services
from jiangping.indicators.models import Source, Value
from jiangping.indicators.targets import upsert_targets
from jiangping.intake.models import State, Submission
from jiangping.orgs.scope import Scope
from jiangping.orgs.services import create_api_token

PERIOD = "2019-11"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def put(client: Client, rows, **extra):
    return client.put("/api/indicators/values", data=rows, content_type="application/json",
                      **extra)


@pytest.fixture
def values(cast):
    """fai of 甲区 and 乙县, and a peer city's fai, for 2019-11."""
    office = Scope.for_user(cast.office)
    services.upsert_values(office, [
        (cast.fai, cast.county_a, PERIOD, Decimal("120.5")),
        (cast.fai, cast.county_b, PERIOD, Decimal("80")),
    ], user=cast.office)
    services.upsert_values(Scope.operator(), [(cast.fai, cast.peers[0], PERIOD, Decimal("900"))],
                           source=Source.PEER)
    return cast


def listed(response) -> dict[tuple[str, str], str]:
    assert response.status_code == 200, response.content
    return {(v["unit"], v["indicator"]): v["value"] for v in response.json()["items"]}


# --- catalog ------------------------------------------------------------------


def test_catalog(cast):
    response = logged_in(cast.leader).get("/api/indicators/")
    assert response.status_code == 200
    by_code = {i["code"]: i for i in response.json()}
    assert by_code["fai_growth"]["growth_of"] == "fai"
    assert by_code["fai"]["synonyms"] == ["固投", "全社会固定资产投资"]
    assert by_code["pm10"]["direction"] == "lower"


def test_catalog_by_kind(cast):
    response = logged_in(cast.office).get("/api/indicators/", {"kind": "stock"})
    assert [i["code"] for i in response.json()] == ["loans"]


# --- reading values -------------------------------------------------------------


def test_city_office_reads_every_county(values):
    found = listed(logged_in(values.office).get("/api/indicators/values", {"period": PERIOD}))
    assert found[("990102", "fai")] == "120.5"
    assert found[("990121", "fai")] == "80"


def test_county_reads_only_its_own_values(values):
    found = listed(logged_in(values.reporter_b).get("/api/indicators/values"))
    assert ("990121", "fai") in found
    assert ("990102", "fai") not in found


def test_peer_values_are_readable_by_everyone(values):
    found = listed(logged_in(values.reporter_b).get("/api/indicators/values"))
    assert found[(values.peers[0].code, "fai")] == "900"


def test_county_asking_for_another_county_is_refused_as_unknown(values):
    """Answered as for a code that does not exist: no unit name (security, issue 6 §5)."""
    response = logged_in(values.reporter_b).get("/api/indicators/values", {"unit": "990102"})
    assert response.status_code == 422
    assert "不存在或不在您的数据范围内" in response.json()["detail"]
    assert "甲区" not in response.content.decode()


def test_values_filters(values):
    client = logged_in(values.office)
    found = listed(client.get("/api/indicators/values", {"unit": "990102", "indicator": "fai"}))
    assert list(found) == [("990102", "fai")]
    assert listed(client.get("/api/indicators/values", {"period": "2019-10"})) == {}


def test_values_are_paginated(values):
    response = logged_in(values.office).get("/api/indicators/values", {"limit": 1})
    body = response.json()
    assert body["count"] == 3
    assert len(body["items"]) == 1


def test_values_unknown_code_is_422(values):
    response = logged_in(values.office).get("/api/indicators/values", {"indicator": "gdp"})
    assert response.status_code == 422
    assert "gdp" in response.json()["detail"]


def test_values_bad_period_is_422(values):
    response = logged_in(values.office).get("/api/indicators/values", {"period": "2019/11"})
    assert response.status_code == 422
    assert "YYYY-MM" in response.json()["detail"]


def test_values_list_query_count(values, django_assert_max_num_queries):
    client = logged_in(values.office)
    with django_assert_max_num_queries(6):
        assert client.get("/api/indicators/values").status_code == 200


# --- writing values -------------------------------------------------------------


def test_county_writes_its_own_values(cast):
    response = put(logged_in(cast.reporter_a), [
        {"indicator": "fai", "unit": "990102", "period": PERIOD, "value": "130.25"},
        {"indicator": "revenue", "unit": "990102001", "period": PERIOD, "value": 3},
    ])
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 2, "updated": 0}
    value = Value.objects.get(unit=cast.county_a, indicator=cast.fai, period=PERIOD)
    assert value.value == Decimal("130.25")
    assert value.updated_by == cast.reporter_a


def test_rewrite_counts_as_update(values):
    response = put(logged_in(values.reporter_a), [
        {"indicator": "fai", "unit": "990102", "period": PERIOD, "value": "121"},
    ])
    assert response.json() == {"created": 0, "updated": 1}


def test_county_cannot_write_another_county(values):
    response = put(logged_in(values.reporter_b), [
        {"indicator": "fai", "unit": "990102", "period": PERIOD, "value": "1"},
    ])
    assert response.status_code == 422
    assert "不存在或不在您的数据范围内" in response.json()["detail"]
    assert "甲区" not in response.content.decode()
    assert Value.objects.get(unit=values.county_a, period=PERIOD).value == Decimal("120.5")


def test_batch_with_one_forbidden_row_writes_nothing(cast):
    response = put(logged_in(cast.reporter_b), [
        {"indicator": "fai", "unit": "990121", "period": PERIOD, "value": "1"},
        {"indicator": "fai", "unit": "990102", "period": PERIOD, "value": "1"},
    ])
    assert response.status_code == 422
    assert not Value.objects.exists()


def test_leader_cannot_write(cast):
    response = put(logged_in(cast.leader), [
        {"indicator": "fai", "unit": "990102", "period": PERIOD, "value": "1"},
    ])
    assert response.status_code == 403
    assert "只能查看" in response.json()["detail"]


def test_write_with_token(cast, client):
    token = create_api_token(cast.reporter_a, "sync")
    response = put(client, [{"indicator": "fai", "unit": "990102", "period": PERIOD, "value": 5}],
                   HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert Value.objects.get(unit=cast.county_a).updated_by == cast.reporter_a


def test_write_unknown_unit_is_422(cast):
    response = put(logged_in(cast.office), [
        {"indicator": "fai", "unit": "000000", "period": PERIOD, "value": "1"},
    ])
    assert response.status_code == 422
    assert "000000" in response.json()["detail"]


def test_write_malformed_body_is_422(cast):
    response = put(logged_in(cast.office), [{"indicator": "fai", "unit": "990102"}])
    assert response.status_code == 422
    assert "缺少期间" in response.json()["detail"]
    assert response.json()["errors"][0]["loc"] == ["body", "payload", 0, "period"]


def test_write_bad_period_is_422(cast):
    response = put(logged_in(cast.office), [
        {"indicator": "fai", "unit": "990102", "period": "2019-13", "value": "1"},
    ])
    assert response.status_code == 422
    assert "2019-13" in response.json()["detail"]


def test_write_to_locked_period_is_422(values):
    Submission.objects.create(unit=values.county_a, period=PERIOD, form="indicators",
                              state=State.APPROVED)
    response = put(logged_in(values.reporter_a), [
        {"indicator": "fai", "unit": "990102", "period": PERIOD, "value": "1"},
    ])
    assert response.status_code == 422
    assert "锁定" in response.json()["detail"]


def test_put_one_value(cast):
    response = logged_in(cast.reporter_a).put(
        f"/api/indicators/values/fai/990102/{PERIOD}", data={"value": "7.50"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["value"] == "7.5"
    assert response.json()["updated_by"] == "jiaqu"


def test_put_one_value_of_another_county_is_refused_as_unknown(cast):
    response = logged_in(cast.reporter_b).put(
        f"/api/indicators/values/fai/990102/{PERIOD}", data={"value": "1"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "甲区" not in response.content.decode()


def test_delete_value(values):
    response = logged_in(values.reporter_a).delete(f"/api/indicators/values/fai/990102/{PERIOD}")
    assert response.status_code == 204
    assert not Value.objects.filter(unit=values.county_a).exists()


def test_delete_value_of_another_county_is_refused_as_unknown(values):
    response = logged_in(values.reporter_b).delete(f"/api/indicators/values/fai/990102/{PERIOD}")
    assert response.status_code == 422
    assert Value.objects.filter(unit=values.county_a).exists()


def test_leader_cannot_delete(values):
    response = logged_in(values.leader).delete(f"/api/indicators/values/fai/990102/{PERIOD}")
    assert response.status_code == 403


# --- targets ------------------------------------------------------------------


@pytest.fixture
def targets(cast):
    upsert_targets(Scope.for_user(cast.office), [
        (cast.fai, cast.county_a, 2019, Decimal("150")),
        (cast.fai, cast.county_b, 2019, Decimal("100")),
    ])
    return cast


def test_targets_of_the_city_office(targets):
    response = logged_in(targets.office).get("/api/indicators/targets", {"year": 2019})
    items = response.json()["items"]
    assert {(t["unit"], t["value"]) for t in items} == {("990102", "150"), ("990121", "100")}


def test_targets_of_a_county_exclude_other_counties(targets):
    response = logged_in(targets.reporter_b).get("/api/indicators/targets")
    assert [t["unit"] for t in response.json()["items"]] == ["990121"]


def test_targets_of_another_county_are_refused_as_unknown(targets):
    response = logged_in(targets.reporter_b).get("/api/indicators/targets", {"unit": "990102"})
    assert response.status_code == 422 and "甲区" not in response.content.decode()


# --- metrics ------------------------------------------------------------------


def test_metrics_registry(cast):
    response = logged_in(cast.leader).get("/api/indicators/metrics")
    assert response.status_code == 200
    codes = [m["code"] for m in response.json()]
    assert "value.<code>" in codes
    concrete = logged_in(cast.leader).get("/api/indicators/metrics", {"concrete": "true"})
    assert "value.fai" in [m["code"] for m in concrete.json()]


# --- comparison ---------------------------------------------------------------


def test_comparison_of_counties(values):
    response = logged_in(values.office).get(
        "/api/indicators/comparison", {"period": PERIOD, "indicator": "fai"}
    )
    assert response.status_code == 200, response.content
    table = response.json()
    assert table["tier"] == "counties"
    assert [i["code"] for i in table["indicators"]] == ["fai"]
    rows = {r["unit"]: r for r in table["rows"]}
    assert rows["990102"]["cells"]["fai"]["value"] == "120.5"
    assert "rank" in rows["990102"]["cells"]["fai"]


def test_comparison_hides_other_counties_values(values):
    table = logged_in(values.reporter_b).get(
        "/api/indicators/comparison", {"period": PERIOD, "indicator": "fai"}
    ).json()
    rows = {r["unit"]: r for r in table["rows"]}
    assert rows["990102"]["visible"] is False
    assert rows["990102"]["cells"]["fai"]["value"] is None
    assert rows["990121"]["cells"]["fai"]["value"] == "80"


def test_comparison_of_cities(values):
    table = logged_in(values.leader).get(
        "/api/indicators/comparison", {"period": PERIOD, "tier": "cities"}
    ).json()
    assert {r["unit"] for r in table["rows"]} == {"990100", "990200", "990300"}


def test_comparison_needs_a_period(values):
    response = logged_in(values.office).get("/api/indicators/comparison")
    assert response.status_code == 422
    assert response.json()["detail"] == "请求参数有误：缺少期间。"


def test_comparison_unknown_tier_is_422(values):
    response = logged_in(values.office).get(
        "/api/indicators/comparison", {"period": PERIOD, "tier": "villages"}
    )
    assert response.status_code == 422


def test_bad_input_is_refused_in_chinese(cast):
    client = logged_in(cast.reporter_a)
    response = put(client, [{"indicator": "fai", "unit": "990102", "period": PERIOD,
                             "value": True}, {"indicator": "fai", "unit": "990102"}])
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == ("请求参数有误：第1项：数值不是有效的数字；第2项：缺少期间；"
                              "第2项：缺少数值。")
    assert [(e["field"], e["msg"]) for e in body["errors"]] == [
        ("数值", "第1项：数值不是有效的数字"),
        ("期间", "第2项：缺少期间"),
        ("数值", "第2项：缺少数值"),
    ]
    one = client.put(f"/api/indicators/values/fai/990102/{PERIOD}", data={"value": "x"},
                     content_type="application/json")
    assert one.json()["detail"] == "数值“x”有误：不是有效的数字。"


def row(value, indicator="fai", unit="990102", period=PERIOD) -> dict:
    return {"indicator": indicator, "unit": unit, "period": period, "value": value}


def test_values_are_read_as_the_importer_reads_cells(cast):
    response = put(logged_in(cast.reporter_a), [
        row("１２３．４"), row("1,234.5", indicator="revenue"), row("8.2%", "fai_growth"),
        row(12.30, indicator="loans"),
    ])
    assert response.status_code == 200, response.content
    stored = {v.indicator.code: v.value for v in Value.objects.select_related("indicator")}
    assert stored == {"fai": Decimal("123.4"), "revenue": Decimal("1234.5"),
                      "fai_growth": Decimal("8.2"), "loans": Decimal("12.3")}


def test_a_percentage_is_refused_outside_percent_indicators(cast):
    response = put(logged_in(cast.reporter_a), [row("8.2%", "fai_growth"), row("12.3%")])
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "第2项：数值“12.3%”有误：此处数值的计量单位是“亿元”，不能填百分数。")
    one = logged_in(cast.reporter_a).put(
        f"/api/indicators/values/fai/990102/{PERIOD}", data={"value": "12.3%"},
        content_type="application/json")
    assert one.status_code == 422 and "不能填百分数" in one.json()["detail"]
    assert not Value.objects.exists()


def test_every_refused_item_is_named(cast):
    response = put(logged_in(cast.reporter_a), [
        row("1"), row("abc"), row("2", indicator="nope"), row("3", period="2019-13"),
        row("—"), row("99999999999999"),
    ])
    assert response.status_code == 422
    assert response.json()["errors"] == [
        "第2项：数值“abc”有误：不是有效的数字。",
        "第3项：指标代码不存在：nope。",
        "第4项：期间“2019-13”格式不正确，应为“YYYY-MM”，如 2019-11。",
        "第5项：数值“—”为空；删除指标值请用 DELETE。",
        "第6项：数值“99999999999999”超出范围：整数部分最多 13 位。",
    ]
    assert not Value.objects.exists()


def test_refusals_of_the_services_name_the_item(values):
    Submission.objects.create(unit=values.county_a, period=PERIOD, form="indicators",
                              state=State.APPROVED)
    locked = put(logged_in(values.reporter_a), [
        row("1", period="2019-10"), row("1"), row("2", indicator="revenue"),
    ])
    assert locked.status_code == 422
    # Every refused item is named, not only the first.
    assert locked.json()["errors"] == [
        "第2项：“甲区”2019年11月的指标数据已审核锁定；如需修改，请联系市督查室解锁。",
        "第3项：“甲区”2019年11月的指标数据已审核锁定；如需修改，请联系市督查室解锁。"]
    outside = put(logged_in(values.reporter_b), [row("1", unit="990121"), row("1"),
                                                 row("2", unit="990181")])
    # A unit outside the caller's view reads like one that does not exist (no name).
    assert outside.status_code == 422
    assert outside.json()["errors"] == [
        "第2项：组织机构代码不存在或不在您的数据范围内：990102。",
        "第3项：组织机构代码不存在或不在您的数据范围内：990181。"]
    assert "甲区" not in str(outside.json())


def test_json_numbers_are_read_exactly(cast):
    body = '[{"indicator": "fai", "unit": "990102", "period": "2019-11", "value": %s}]'
    client = logged_in(cast.reporter_a)
    response = put(client, body % "1234567890.12345")
    assert response.status_code == 200, response.content
    assert Value.objects.get().value == Decimal("1234567890.12345")
    refused = put(client, body % "123456789012.3456789")
    assert refused.json()["detail"].startswith(
        "第1项：数值“123456789012.3456789”的有效数字超过 15 位")


def test_the_schema_takes_text_or_numbers(cast):
    schema = logged_in(cast.office).get("/api/openapi.json").json()
    value = schema["components"]["schemas"]["ValueIn"]["properties"]["value"]
    assert value["anyOf"] == [{"type": "string"}, {"type": "number"}]


def test_a_body_that_is_not_json_is_400(cast):
    response = logged_in(cast.reporter_a).put(
        "/api/indicators/values", data="[{indicator: fai}", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "请求体无法解析，应为 JSON。"


def test_numbers_beyond_the_stored_range_are_422(cast):
    client = logged_in(cast.reporter_a)
    response = put(client, [{"indicator": "fai", "unit": "990102", "period": PERIOD,
                             "value": "1" + "0" * 19}])
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "第1项：数值“10000000000000000000”超出范围：整数部分最多 13 位。")
    one = client.put(f"/api/indicators/values/fai/990102/{PERIOD}",
                     data={"value": "12345678901234"}, content_type="application/json")
    assert one.status_code == 422 and "超出范围" in one.json()["detail"]
    assert not Value.objects.exists()


def test_the_list_items_are_what_the_schema_gives(values):
    """The list is written straight from its rows (core/apilists.py): each item is the JSON
    that ValueOut gives for the same value, field for field and in its order."""
    import json

    from jiangping.core.apilists import RENDERER
    from jiangping.indicators.api import ValueOut
    from jiangping.indicators.approval import with_approval

    submission = Submission.objects.create(unit=values.county_a, period="2019-11",
                                           form="indicators", state=State.APPROVED)
    items = logged_in(values.office).get("/api/indicators/values").json()["items"]
    assert len(items) == 3 and submission.locked
    for item in items:
        stored = with_approval(Value.objects.select_related(
            "indicator", "unit", "updated_by")).get(
            indicator__code=item["indicator"], unit__code=item["unit"], period=item["period"])
        expected = json.loads(RENDERER.render(
            None, ValueOut.model_validate(stored).model_dump(), response_status=200))
        assert list(item) == list(ValueOut.model_fields) and item == expected
    assert {item["unit"]: item["approved"] for item in items}["990102"] is True
