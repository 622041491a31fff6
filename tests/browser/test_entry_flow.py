"""In a real browser: a county enters and submits, the city office approves, and the
comparison page shows the value with its rank."""

import os
from pathlib import Path

import pytest

from jiangping.core.tests.web import P, month_data
from jiangping.demo.cast import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls of the
# fixtures are still plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(os.environ.get("JIANGPING_SKIP_BROWSER") == "1",
                       reason="JIANGPING_SKIP_BROWSER=1"),
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("browser tests need Debian's chromium (apt-get install chromium), "
                    "or JIANGPING_SKIP_BROWSER=1 to leave them out")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def data(transactional_db, live_server, cast):
    """The month's data, written before Playwright starts: ORM calls made while its
    event loop is current would open a database connection nobody closes."""
    month_data(cast)
    return cast


def log_in(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/")


def test_enter_submit_approve_compare(live_server, data, browser):
    from playwright.sync_api import expect

    base = live_server.url
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")

    log_in(page, base, "jiaqu")
    expect(page.locator(".whoami-unit")).to_contain_text("甲区")
    page.goto(f"{base}/indicators/entry/?period={P}")
    page.fill("input[name=v_revenue]", "13.75")
    page.click("button[name=submit]")
    expect(page.locator(".messages")).to_contain_text("已报送")
    expect(page.locator("input[name=v_revenue]")).to_have_value("13.75")
    page.click("text=退出")
    page.wait_for_url(f"{base}/login/")

    log_in(page, base, "office")
    page.goto(f"{base}/intake/queue/?period={P}")
    row = page.locator("#row-990102")
    expect(row).to_contain_text("已报送")
    approved = page.locator("#queue-counts > div", has=page.locator(".badge.approved"))
    expect(approved.locator(".stat")).to_have_text("0")
    row.locator("button", has_text="审核通过").click()
    expect(page.locator("#row-990102 .badge.approved")).to_have_text("已审核")
    expect(approved.locator(".stat")).to_have_text("1")  # the counters follow, no reload

    page.goto(f"{base}/indicators/compare/?period={P}&focus=revenue")
    panel = page.locator("#focus-panel")
    first = panel.locator("tbody tr").first
    expect(first.locator("th")).to_contain_text("甲区")
    expect(first).to_contain_text("13.75")
    expect(first.locator("td.rank")).to_contain_text("1")
    page.wait_for_function(
        "document.querySelector('#rank-chart canvas, #rank-chart svg') !== null")

    page.locator("th.group a", has_text="固定资产投资").first.click()
    expect(page.locator("#focus-panel h2")).to_contain_text("固定资产投资")
    expect(page.locator("th.group.focus")).to_have_attribute("data-code", "fai")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "compare.png"), full_page=True)


def test_compare_keeps_the_chosen_indicator(live_server, data, browser):
    """Click an indicator, then change the month and the tier: the indicator stays."""
    from playwright.sync_api import expect

    base = live_server.url
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    log_in(page, base, "office")
    page.goto(f"{base}/indicators/compare/?period={P}")
    expect(page.locator("#focus-panel h2")).to_contain_text("固定资产投资")

    page.locator("th.group a", has_text="一般公共预算收入").click()
    expect(page.locator("#focus-panel h2")).to_contain_text("一般公共预算收入")
    expect(page.locator("#compare-focus")).to_have_value("revenue")

    page.select_option("select[name=period]", "2019-10")
    expect(page.locator("#focus-panel h2")).to_contain_text("2019年10月")
    expect(page.locator("#focus-panel h2")).to_contain_text("一般公共预算收入")
    assert "focus=revenue" in page.url and "period=2019-10" in page.url

    page.locator("#compare-tiers a", has_text="全省各市").click()
    expect(page.locator("#compare-tiers a[aria-current]")).to_have_text("全省各市")
    expect(page.locator("#focus-panel h2")).to_contain_text("一般公共预算收入")
    expect(page.locator("th.group.focus")).to_have_attribute("data-code", "revenue")
