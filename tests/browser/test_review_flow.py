"""In a real browser: the city office computes and publishes the month's review; a county
sees its scorecard with the explanations and the way up, and no other county's draft."""

import os

import pytest

from tests.browser.test_entry_flow import SCREENSHOTS, browser, log_in  # noqa: F401  (fixture)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(os.environ.get("JIANGPING_SKIP_BROWSER") == "1",
                       reason="JIANGPING_SKIP_BROWSER=1"),
]


@pytest.fixture
def data(transactional_db, live_server, cast):
    """The cast with June's figures and the scheme in force, written before Playwright."""
    from jiangping.reviews.tests.conftest import enter_month

    enter_month(cast)
    return cast


def test_office_publishes_and_a_county_reads_its_scorecard(live_server, data, browser):  # noqa: F811
    from playwright.sync_api import expect

    base = live_server.url
    office = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    log_in(office, base, "office")
    office.goto(f"{base}/reviews/?period=2026-06")
    office.click("button:has-text('计算本月')")
    expect(office.locator(".messages")).to_contain_text("已计算第1版（草稿）")
    expect(office.locator("table.review").first).to_contain_text("甲区")

    county = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    log_in(county, base, "yixian")
    county.goto(f"{base}/reviews/?period=2026-06")
    expect(county.locator("main")).to_contain_text("本月尚无已发布的考核结果")
    response = county.goto(f"{base}/reviews/unit/990102/?period=2026-06")
    assert response.status == 404  # another county's draft

    office.click("a:has-text('发布…')")
    expect(office.locator("main")).to_contain_text("本月首次发布")
    office.click("button:has-text('确认发布')")
    expect(office.locator(".messages")).to_contain_text("已发布2026-06第1版")

    county.goto(f"{base}/reviews/?period=2026-06")
    county.click("a:has-text('乙县')")
    expect(county.locator("h1")).to_contain_text("乙县2026年6月考核得分")
    expect(county.locator("main")).to_contain_text("完成率90%，基础分60，扣5分，得55分")
    expect(county.locator("main")).to_contain_text("即可前移1位")
    SCREENSHOTS.mkdir(exist_ok=True)
    county.screenshot(path=str(SCREENSHOTS / "scorecard.png"), full_page=True)
