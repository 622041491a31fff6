"""Roles and pages: every page × every role of the cast answers 200 or the Chinese 403,
the navigation links only to pages that open, and every role's home page shows what it
can act on (DESIGN §1; issue 6 §5)."""

import datetime as dt
import html
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from jiangping.core.tests.web import P, month_data
from jiangping.intake import services as intake
from jiangping.orgs.scope import Scope
from jiangping.tasks import services as tasks

ROLES = ("office", "reporter_a", "leader", "cadre", "admin")
EVERYONE = set(ROLES)
READERS = {"office", "reporter_a", "leader", "admin"}
OFFICE = {"office", "admin"}

# (URL name, who opens it); everybody else is refused with 403. Decided per role:
# a village cadre has no month's figures to read, enter or approve; a leader reads the
# month (entry read-only, the queue without decisions) but never assigns tasks.
PAGES = [
    ("home", EVERYONE),
    ("indicators:compare", READERS),
    ("indicators:entry", READERS),
    ("intake:queue", READERS),
    ("tasks:board", EVERYONE),
    ("tasks:calendar", EVERYONE),
    ("tasks:new", OFFICE),
    ("tasks:speech", OFFICE),
    ("bulletins:page", READERS),
]


@pytest.fixture
def data(cast, django_capture_on_commit_callbacks):
    """The month's data, 甲区's form submitted, 乙县's approved; a task of 甲区 overdue and
    one of 乙县 done and waiting for close-out."""
    month_data(cast)
    office = Scope.for_user(cast.office)
    submitted = intake.get_or_open(cast.county_a, P, "indicators")
    intake.submit(Scope.for_user(cast.reporter_a), submitted, cast.reporter_a)
    approved = intake.get_or_open(cast.county_b, P, "indicators")
    intake.submit(Scope.for_user(cast.reporter_b), approved, cast.reporter_b)
    intake.approve(office, approved, cast.office)
    today = timezone.localdate()
    cast.overdue = tasks.create_task(office, user=cast.office, title="加快甲区产业园建设",
                                     lead_unit=cast.county_a,
                                     deadline=today - dt.timedelta(days=10))
    cast.done = tasks.create_task(office, user=cast.office, title="抓好乙县秸秆禁烧",
                                  lead_unit=cast.county_b, deadline=today + dt.timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.request_close(Scope.for_user(cast.reporter_b), cast.done, cast.reporter_b)
    cast.submitted, cast.approved = submitted, approved
    return cast


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def nav_links(page: str) -> list[str]:
    nav = re.search(r'<nav class="mainnav".*?</nav>', page, re.S)
    return re.findall(r'href="([^"]+)"', nav.group(0)) if nav else []


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize(("name", "allowed"), PAGES, ids=[name for name, _ in PAGES])
def test_every_page_for_every_role(client, data, who, name, allowed):
    client.force_login(getattr(data, who))
    response = client.get(reverse(name))
    if who in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        page = response.content.decode()
        assert "无权访问" in page and "不能使用此页面" in page


@pytest.mark.parametrize("who", ROLES)
def test_the_navigation_links_only_to_pages_that_open(client, data, who):
    links = nav_links(home(client, getattr(data, who)))
    assert reverse("home") in links
    for link in links:
        assert client.get(link).status_code == 200, link
    expected = {name for name, allowed in PAGES if who in allowed and name in {
        "indicators:compare", "intake:queue", "tasks:board"}}
    assert {reverse(name) for name in expected} <= set(links)


def test_the_navigation_per_role(client, data):
    entry, queue = reverse("indicators:entry"), reverse("intake:queue")
    office = home(client, data.office)
    assert entry in nav_links(office) and ">审核<" in office
    reporter = home(client, data.reporter_a)
    assert entry in nav_links(reporter) and ">我的报送<" in reporter
    leader = home(client, data.leader)
    assert entry not in nav_links(leader) and ">报送情况<" in leader and queue in nav_links(leader)
    cadre = nav_links(home(client, data.cadre))
    assert cadre == [reverse("home"), reverse("tasks:board")]


def test_the_current_page_is_marked(client, data):
    client.force_login(data.office)
    page = client.get(reverse("tasks:calendar")).content.decode()
    assert re.search(rf'<a href="{reverse("tasks:board")}" aria-current="page">', page)
    assert page.count('aria-current="page"') == 1


@pytest.mark.parametrize("action", ["approve", "return", "unlock"])
@pytest.mark.parametrize("who", ["reporter_a", "leader", "cadre"])
def test_only_the_office_decides(client, data, who, action):
    client.force_login(getattr(data, who))
    target = data.approved if action == "unlock" else data.submitted
    response = client.post(reverse(f"intake:{action}", args=[target.pk]), {"comment": "x"})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.state == ("approved" if action == "unlock" else "submitted")


def test_a_cadre_cannot_open_the_approval_queue_by_url(client, data):
    client.force_login(data.cadre)
    response = client.get(reverse("intake:queue"), {"period": P})
    assert response.status_code == 403
    assert "甲区" not in response.content.decode()


def test_every_page_declares_its_roles():
    """A page added to any app says which roles open it, so that the navigation and
    this test know; the admin, the API, login and language switch are not pages of ours."""
    undeclared = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in ("admin",) or str(pattern.pattern).startswith(
                        ("api/", "i18n/")):
                    continue
                walk(pattern.url_patterns, f"{prefix}{pattern.pattern}")
            elif (isinstance(pattern, URLPattern) and pattern.name not in ("login", "logout")
                  and getattr(pattern.callback, "allowed_roles", None) is None):
                undeclared.append(f"{prefix}{pattern.pattern}")

    walk(get_resolver().url_patterns)
    assert not undeclared


# --- home pages --------------------------------------------------------------
def test_office_home_shows_the_queue_tasks_and_notifications(client, data):
    page = home(client, data.office)
    assert "2019年11月数据报送与审核" in page
    assert f'{reverse("intake:queue")}?period={P}#row-{data.county_a.code}">甲区</a>' in page
    assert "待审核的销号申请" in page and data.done.title in page
    assert "未读通知（1）" in page and "申请销号" in page


def test_reporter_home_shows_own_month_and_own_tasks(client, data):
    page = home(client, data.reporter_a)
    assert "2019年11月指标数据" in page and "已报送" in page
    assert "本单位待办事项" in page and data.overdue.title in page
    assert data.done.title not in page  # 乙县's


def test_reporter_home_of_an_approved_month_says_whom_to_ask(client, data):
    page = home(client, data.reporter_b)
    assert "审核通过" in page and "请联系市督查室解锁" in page


def test_leader_home_shows_rankings_and_overdue_tasks(client, data):
    page = home(client, data.leader)
    assert 'class="chart" data-chart=' in page and "tier=cities" in page
    assert "逾期事项" in page and data.overdue.title in page
    assert "进入审核" not in page


def test_cadre_home_is_not_empty(client, data):
    page = home(client, data.cadre)
    assert "驻村工作区" in page and "示例市 · 甲区 · 甲区东街道 · 东村" in page
    assert "建档立卡户" in page  # what the area will hold
    assert "没有待办的督办事项" in page and reverse("tasks:board") in page
    assert "数据报送与审核" not in page and "指标数据" not in page


def test_admin_home_shows_system_management(client, data):
    page = home(client, data.admin)
    assert "系统管理" in page


def test_every_role_has_cards(client, data):
    for who in ROLES:
        page = home(client, getattr(data, who))
        assert page.count('<section class="card">') >= 2, who


# --- admin branding and locked months ---------------------------------------
def test_the_admin_is_branded(client, data):
    data.admin.is_staff = data.admin.is_superuser = True
    data.admin.save()
    client.force_login(data.admin)
    page = client.get(reverse("admin:index")).content.decode()
    assert "讲评 管理后台" in page and "Django" not in page
    client.logout()
    login = client.get(reverse("admin:login")).content.decode()
    assert "讲评 管理后台" in login


def test_a_locked_month_sends_the_office_to_the_unlock_button(client, data):
    client.force_login(data.office)
    page = client.get(reverse("indicators:entry"),
                      {"period": P, "unit": data.county_b.code}).content.decode()
    row = f'{reverse("intake:queue")}?period={P}#row-{data.county_b.code}'
    assert f'href="{row}"' in page and "到审核页解锁" in page
    assert "联系" not in page.split('<main class="page">')[1].split("</form>")[0]
    queue = client.get(reverse("intake:queue"), {"period": P}).content.decode()
    assert re.search(rf'<tr id="row-{data.county_b.code}">.*?'
                     rf'{reverse("intake:unlock", args=[data.approved.pk])}', queue, re.S)


def test_a_locked_month_tells_the_reporter_whom_to_ask(client, data):
    client.force_login(data.reporter_b)
    page = client.get(reverse("indicators:entry"), {"period": P}).content.decode()
    assert "请联系市督查室解锁" in page and "到审核页解锁" not in page


def test_a_township_under_a_locked_county_names_the_queue_for_the_office(data):
    from jiangping.indicators.services import write_lock

    township = data.county_b.children.get()
    office = write_lock(Scope.for_user(data.office), township, P)
    reporter = write_lock(Scope.for_user(data.reporter_b), township, P)
    assert office.endswith("请先在“审核”页面解锁“乙县”2019年11月的报送。")
    assert reporter.endswith("如需修改，请联系市督查室解锁。")
    assert "市级管理员" not in office + reporter


def test_a_user_placed_in_no_unit_is_refused_without_links(client, data):
    data.reporter_a.unit = None
    data.reporter_a.save()
    client.force_login(data.reporter_a)
    response = client.get(reverse("home"))
    assert response.status_code == 403 and "未设置所属单位" in response.content.decode()
    assert nav_links(response.content.decode()) == []


@pytest.mark.parametrize("who", ROLES)
def test_a_task_page_opens_within_the_users_subtree_only(client, data, who):
    """甲区's task: the office, 甲区, the leader and the admin read it; the cadre of a
    village of 甲区 is not answered whether it exists (404, as for a missing task)."""
    client.force_login(getattr(data, who))
    response = client.get(reverse("tasks:detail", args=[data.overdue.pk]))
    assert response.status_code == (404 if who == "cadre" else 200)
    missing = client.get(reverse("tasks:detail", args=[data.overdue.pk + 1000]))
    assert missing.status_code == 404


@pytest.mark.parametrize("who", ROLES)
def test_no_link_of_the_home_page_or_the_navigation_answers_403(client, data, who):
    """One level deep: every link of the home page and of the pages in the navigation."""
    page = home(client, getattr(data, who))
    pages = [page] + [client.get(link).content.decode() for link in nav_links(page)]
    links = {html.unescape(link) for text in pages for link in re.findall(r'href="(/[^"]*)"', text)
             if not link.startswith(("/static/", "/admin/"))}
    assert len(links) >= 4
    refused = [link for link in sorted(links) if client.get(link).status_code == 403]
    assert not refused
