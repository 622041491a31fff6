"""In a real browser: hostile names stay text, and every page keeps to its
Content-Security-Policy (no inline script or style, nothing from elsewhere)."""

import datetime as dt
import os

import pytest

from jiangping.core.tests.web import P, month_data
from jiangping.orgs.scope import Scope
from jiangping.tasks.services import create_task
from tests.browser.test_entry_flow import browser, log_in  # noqa: F401  (fixture)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(os.environ.get("JIANGPING_SKIP_BROWSER") == "1",
                       reason="JIANGPING_SKIP_BROWSER=1"),
]

HOSTILE = "珞<img src=x onerror=alert(1)>"

# Records what the browser refused, before any page script runs.
WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def data(transactional_db, live_server, cast):
    """The month's data and a task, written before Playwright starts (see test_entry_flow);
    甲区's short name is an HTML injection attempt."""
    month_data(cast)
    cast.county_a.short_name = HOSTILE
    cast.county_a.save()
    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save()
    task = create_task(Scope.for_user(cast.office), title="抓好重点项目建设",
                       lead_unit=cast.county_a, user=cast.office,
                       deadline=dt.date(2026, 12, 31), target="开工率达到95%")
    cast.task_id = task.pk
    return cast


def new_page(browser, problems):  # noqa: F811
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page.add_init_script(WATCH_CSP)
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"),
                                      dialog.dismiss()))
    page.on("console", lambda message: problems.append(f"console: {message.text}")
            if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__violations || []")


HOVER_HOSTILE_BAR = """(el) => {
  const chart = echarts.getInstanceByDom(el);
  const names = chart.getOption().yAxis[0].data;
  const index = names.findIndex((n) => n.includes("珞"));
  const value = chart.getOption().series[0].data[index].value;
  const [x, y] = chart.convertToPixel({seriesIndex: 0}, [value / 2, index]);
  const box = el.getBoundingClientRect();
  return [box.left + x, box.top + y];
}"""


def test_a_hostile_unit_name_in_the_chart_tooltip_stays_text(live_server, data, browser):  # noqa: F811
    problems = []
    page = new_page(browser, problems)
    log_in(page, live_server.url, "office")
    page.goto(f"{live_server.url}/indicators/compare/?period={P}&focus=fai")
    chart = page.locator("#rank-chart")
    page.wait_for_function(
        "document.querySelector('#rank-chart canvas') !== null && window.echarts")
    x, y = chart.evaluate(HOVER_HOSTILE_BAR)
    page.mouse.move(x, y)
    page.mouse.move(x + 2, y)
    tooltip = page.locator("#rank-chart div", has_text="珞").last
    tooltip.wait_for(state="visible", timeout=5000)
    assert HOSTILE in tooltip.inner_text()
    assert chart.evaluate("(el) => el.querySelectorAll('img').length") == 0
    page.wait_for_timeout(300)  # an onerror would have fired by now
    assert problems == [] and violations(page) == []


def test_every_main_page_keeps_to_the_content_security_policy(live_server, data, browser):  # noqa: F811
    from playwright.sync_api import expect

    base = live_server.url
    pages = {
        "office": ["/", f"/indicators/compare/?period={P}", f"/indicators/entry/?period={P}",
                   "/intake/queue/", "/tasks/", f"/tasks/{data.task_id}/", "/tasks/new/",
                   "/tasks/speech/", "/tasks/calendar/"],
        "jiaqu": ["/", f"/indicators/compare/?period={P}", f"/indicators/entry/?period={P}",
                  "/intake/queue/", "/tasks/", f"/tasks/{data.task_id}/"],
        "leader": ["/", f"/indicators/compare/?period={P}", "/tasks/"],
        "admin": ["/", "/admin/", "/admin/orgs/orgunit/", "/admin/orgs/user/",
                  "/admin/orgs/loginlockout/", "/api/docs"],
    }
    seen = {}
    for username, paths in pages.items():
        problems = []
        page = new_page(browser, problems)
        page.goto(f"{base}/login/")
        seen[f"{username} /login/"] = violations(page)
        log_in(page, base, username)
        for path in paths:
            response = page.goto(f"{base}{path}")
            assert response.status < 500, (username, path, response.status)
            page.wait_for_load_state("networkidle")
            found = violations(page) + problems
            problems.clear()
            if path.startswith("/indicators/compare/"):
                # An htmx swap: another indicator's panel comes in and is drawn.
                page.locator("th.group a").last.click()
                expect(page.locator("th.group.focus")).to_have_count(1)  # settled
                page.wait_for_load_state("networkidle")
                found += violations(page)
            seen[f"{username} {path}"] = found
        page.close()
    assert {where: found for where, found in seen.items() if found} == {}


def test_the_month_picker_of_the_queue_submits_without_inline_script(live_server, data,
                                                                      browser):  # noqa: F811
    problems = []
    page = new_page(browser, problems)
    log_in(page, live_server.url, "office")
    page.goto(f"{live_server.url}/intake/queue/?period={P}")
    page.select_option("select[name=period]", "2019-10")
    page.wait_for_url("**/intake/queue/?period=2019-10")
    assert problems == [] and violations(page) == []
