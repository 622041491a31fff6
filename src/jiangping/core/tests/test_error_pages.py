"""Refusals and missing pages speak Chinese inside the site's layout."""

import pytest
from django.urls import reverse


@pytest.fixture
def production(settings):
    settings.DEBUG = False


def test_forbidden_page_names_the_reason(client, cast, production):
    client.force_login(cast.reporter_b)
    response = client.get(reverse("indicators:entry"), {"unit": cast.county_a.code})
    assert response.status_code == 403
    body = response.content.decode()
    assert "无权访问" in body and "甲区" in body and "返回首页" in body


def test_not_found_page(client, cast, production):
    client.force_login(cast.office)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
