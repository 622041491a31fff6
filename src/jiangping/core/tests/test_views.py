"""The home page per role, the login page, the layout's language switch and demo banner."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from jiangping.core.tests.web import P, month_data


@pytest.fixture
def data(cast):
    return month_data(cast)


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_chinese(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "登录" in page and "用户名" in page and "密码" in page


def test_login_with_the_cast(client, cast):
    from jiangping.demo.cast import PASSWORD

    response = client.post(reverse("login"), {"username": "jiaqu", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    wrong = client.post(reverse("login"), {"username": "jiaqu", "password": "nope"})
    assert wrong.status_code == 200 and "errorbox" in wrong.content.decode()


def test_office_home_shows_the_queue(client, data):
    client.force_login(data.office)
    page = client.get(reverse("home")).content.decode()
    assert "2019年11月" in page
    assert reverse("intake:queue") in page and reverse("indicators:compare") in page
    # nobody has opened the form: the four county-level units have not filed
    assert re.search(r'<div class="stat">4</div><div class="stat-label">'
                     r'<span class="badge missing">未填报</span>', page)
    assert "市督查室" in page  # the user, with the unit in the masthead
    assert "示例市" in page


def test_office_home_counts_units_that_have_not_filed(client, data):
    from jiangping.intake import services

    # 乙县 opened another form this month and this form last month: it has not filed.
    services.get_or_open(data.county_b, P, "projects")
    services.get_or_open(data.county_b, "2019-10", "indicators")
    services.get_or_open(data.county_a, P, "indicators")
    client.force_login(data.office)
    queue = {key: n for key, _label, n in client.get(reverse("home")).context["queue"]}
    assert queue["draft"] == 1
    assert queue["missing"] == 3  # 乙县, 丙市, 高新区


def test_office_home_counts_as_the_queue_does(client, data):
    from jiangping.intake import services
    from jiangping.orgs.scope import Scope

    office = Scope.for_user(data.office)
    submission = services.get_or_open(data.county_a, P, "indicators")
    services.submit(Scope.for_user(data.reporter_a), submission, data.reporter_a)
    services.approve(office, submission, data.office)
    services.unlock(office, submission, data.office)
    services.get_or_open(data.county_b, P, "indicators")
    client.force_login(data.office)
    home = client.get(reverse("home")).context["queue"]
    queue = client.get(reverse("intake:queue"), {"period": P}).context["counts"]
    assert [tuple(c) for c in home] == [tuple(c) for c in queue]
    assert {key: n for key, _label, n in home} == {
        "submitted": 0, "returned": 0, "unlocked": 1, "draft": 1, "missing": 2, "approved": 0}


def test_reporter_home_shows_own_status(client, data):
    client.force_login(data.reporter_a)
    page = client.get(reverse("home")).content.decode()
    assert "未报送" in page
    assert f"{reverse('indicators:entry')}?period={P}" in page
    assert "已填 5 / 5 项" not in page and "已填 4 / 5 项" in page
    assert reverse("intake:queue") in page


def test_leader_home_shows_comparison_and_charts(client, data):
    client.force_login(data.leader)
    page = client.get(reverse("home")).content.decode()
    assert "tier=cities" in page
    assert 'class="chart" data-chart=' in page
    assert "进入审核" not in page


def test_admin_home_links_to_admin(client, data):
    # The demo's admin is a superuser with staff rights: the card lists the admin's pages.
    data.admin.is_staff = data.admin.is_superuser = True
    data.admin.save()
    client.force_login(data.admin)
    page = client.get(reverse("home")).content.decode()
    assert reverse("admin:orgs_user_changelist") in page
    assert reverse("admin:intake_submission_changelist") in page
    assert reverse("admin:index") in page  # the navigation's 管理后台


def test_admin_without_staff_rights_is_told_how_to_get_them(client, data):
    # Links to the admin would only lead to its login page: none, and the reason.
    client.force_login(data.admin)
    page = client.get(reverse("home")).content.decode()
    assert "系统管理" in page and "“职员”权限" in page
    assert reverse("admin:orgs_user_changelist") not in page
    assert reverse("admin:index") not in page


def test_nav_follows_the_role(client, data):
    client.force_login(data.leader)
    page = client.get(reverse("home")).content.decode()
    assert reverse("indicators:entry") not in page
    client.force_login(data.reporter_a)
    page = client.get(reverse("home")).content.decode()
    assert "我的报送" in page and ">审核<" not in page


def test_language_switch(client, data):
    client.force_login(data.office)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in page and "Comparison" in page
    client.post(reverse("set_language"), {"language": "zh-hant", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert 'lang="zh-hant"' in page and "指標比較" in page


@override_settings(DEMO_MODE=True)
def test_demo_banner(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "演示模式" in page


def test_no_demo_banner_by_default(client, db):
    assert "演示模式" not in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize("name", [
    "orgs_orgunit", "orgs_user", "orgs_apitoken", "indicators_indicator", "indicators_value",
    "indicators_target", "intake_submission",
])
def test_admin_pages(client, data, name):
    data.admin.is_staff = data.admin.is_superuser = True
    data.admin.save()
    client.force_login(data.admin)
    assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{name}_changelist"), {"q": "甲"}).status_code == 200
