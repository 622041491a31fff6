"""In a real browser: each role of the cast logs in to a home page with its own cards,
and a navigation whose every link opens (screenshots: screenshots/home-<role>.png)."""

import datetime as dt
import os

import pytest

from jiangping.core.tests.web import P, month_data
from tests.browser.test_entry_flow import SCREENSHOTS, browser, log_in  # noqa: F401  (fixture)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(os.environ.get("JIANGPING_SKIP_BROWSER") == "1",
                       reason="JIANGPING_SKIP_BROWSER=1"),
]

CARDS = {
    "office": ["2019年11月数据报送与审核", "督办事项"],
    "jiaqu": ["2019年11月指标数据", "本单位待办事项"],
    "leader": ["2019年11月指标比较", "逾期事项"],
    "cadre": ["驻村工作区", "本单位待办事项"],
    "admin": ["系统管理", "督办事项", "组织机构"],
}


@pytest.fixture
def data(transactional_db, live_server, cast):
    """The month's data, 甲区's form submitted and an overdue task of 甲区, written
    before Playwright starts (see test_entry_flow)."""
    from django.utils import timezone

    from jiangping.intake import services as intake
    from jiangping.orgs.scope import Scope
    from jiangping.tasks import services as tasks

    month_data(cast)
    cast.admin.is_staff = cast.admin.is_superuser = True  # as the demo's admin
    cast.admin.save()
    submission = intake.get_or_open(cast.county_a, P, "indicators")
    intake.submit(Scope.for_user(cast.reporter_a), submission, cast.reporter_a)
    tasks.create_task(Scope.for_user(cast.office), user=cast.office, title="加快甲区产业园建设",
                      lead_unit=cast.county_a,
                      deadline=timezone.localdate() - dt.timedelta(days=3))
    return cast


@pytest.mark.parametrize("username", list(CARDS))
def test_home_page_of_each_role(live_server, data, browser, username):  # noqa: F811
    from playwright.sync_api import expect

    base = live_server.url
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    log_in(page, base, username)
    for title in CARDS[username]:
        expect(page.locator("section.card :is(h2, h3)", has_text=title).first).to_be_visible()
    if username == "leader":
        page.wait_for_function("document.querySelector('.chart canvas, .chart svg') !== null")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"home-{username}.png"), full_page=True)
    links = page.locator("nav.mainnav a").evaluate_all("links => links.map(a => a.href)")
    for link in links:
        assert page.request.get(link).status == 200, link
