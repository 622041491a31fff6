"""In a real browser: one extreme value does not flatten the ranking chart, whose axis
stops at the robust bound with the extreme bar cut and labelled; an unapproved bar is
marked (§3)."""

import os

import pytest

from jiangping.core.tests.web import P, month_data
from jiangping.indicators.services import upsert_values
from jiangping.orgs.scope import Scope
from tests.browser.test_entry_flow import browser, log_in  # noqa: F401  (fixture)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(os.environ.get("JIANGPING_SKIP_BROWSER") == "1",
                       reason="JIANGPING_SKIP_BROWSER=1"),
]


@pytest.fixture
def data(transactional_db, live_server, cast):
    """甲区's PM10 is 9000 beside 60–70: written before Playwright starts."""
    month_data(cast)
    upsert_values(Scope.operator(), [(cast.pm10, cast.county_c, P, 70),
                                     (cast.pm10, cast.zone, P, 65),
                                     (cast.pm10, cast.county_a, P, 9000)])
    return cast


def test_the_chart_axis_stops_short_of_the_extreme_bar(live_server, data, browser):  # noqa: F811
    from playwright.sync_api import expect

    base = live_server.url
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, base, "office")
    page.goto(f"{base}/indicators/compare/?period={P}&focus=pm10")
    expect(page.locator("#focus-panel h2")).to_contain_text("PM10")
    page.wait_for_function("window.echarts && echarts.getInstanceByDom("
                           "document.getElementById('rank-chart'))")
    option = page.evaluate("""() => {
        const chart = echarts.getInstanceByDom(document.getElementById('rank-chart'));
        const o = chart.getOption();
        return {max: o.xAxis[0].max, data: o.series[0].data.map(d => [d.value, d.text,
                d.itemStyle.borderType || '', d.itemStyle.opacity || 1])};
    }""")
    assert errors == []
    assert option["max"] < 200
    cut = [d for d in option["data"] if d[1].startswith("9000")]
    assert cut and cut[0][0] == option["max"] and cut[0][2] == "dashed"
    assert "已截断" in cut[0][1] and "未审核" in cut[0][1]
    assert all(d[3] < 1 for d in option["data"])  # nothing approved here: all faded
