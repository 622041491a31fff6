"""In a real browser: the city office pastes a county's minute (会议纪要) naming a unit the
registry knows under another name, maps it to that unit while confirming, the task is
created with it as lead unit, and the next decomposition of the same text resolves it."""

import os

import pytest

from tests.browser.test_entry_flow import SCREENSHOTS, browser, log_in  # noqa: F401  (fixture)
from tests.browser.test_security import new_page, violations

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(os.environ.get("JIANGPING_SKIP_BROWSER") == "1",
                       reason="JIANGPING_SKIP_BROWSER=1"),
]

MINUTE = """乙县人民政府常务会议纪要
11月18日，县长主持召开县政府常务会议，研究工业园区基础设施建设和冬季安全生产工作。纪要如下：
一、关于工业园区基础设施建设
会议要求，县工业园区管委会牵头，县财政局配合，12月31日前完成园区道路管网工程招标。
二、关于冬季安全生产
各乡镇要抓紧开展安全隐患排查，12月15日前上报排查情况。
"""
PARK = "乙县经济开发区管理委员会"


@pytest.fixture
def data(transactional_db, live_server, cast):
    """The cast and 乙县's development-zone committee, registered under its full name
    (the minute calls it 县工业园区管委会), written before Playwright starts."""
    from jiangping.orgs.models import Level
    from jiangping.orgs.services import create_unit

    return create_unit(PARK, Level.DEPARTMENT, cast.county_b, cast.office)


def decompose(page, base):
    page.goto(f"{base}/tasks/speech/")
    page.fill("textarea[name=text]", MINUTE)
    page.fill("input[name=meeting_date]", "2026-11-18")
    page.fill("input[name=source_title]", "乙县人民政府常务会议纪要")
    page.select_option("select[name=home]", label="乙县")
    page.click("button:has-text('分解')")


def test_an_unregistered_unit_is_mapped_and_remembered(live_server, data, browser):  # noqa: F811
    from playwright.sync_api import expect

    from jiangping.orgs.models import OrgUnit
    from jiangping.tasks.models import Task

    base = live_server.url
    problems = []  # refused by the Content-Security-Policy, or script errors
    page = new_page(browser, problems)
    log_in(page, base, "office")
    decompose(page, base)

    park = page.locator("fieldset.proposal-row", has_text="园区道路管网")
    expect(park.locator(".mention.unresolved").first).to_contain_text("未登记：县工业园区管委会")
    expect(park.locator(".needs-unit")).to_have_text("需指定牵头单位")
    expect(park.locator(".field-lead select")).to_have_value("")
    # The new-unit fields show only once 新建单位 is chosen.
    mapping = park.locator(".mention.unresolved", has_text="县工业园区管委会")
    expect(mapping.locator("[data-new-unit]")).to_be_hidden()
    # The picker filters by any name a unit is known by, and is driven by the keyboard.
    box = mapping.locator(".unit-picker-input")
    box.click()
    box.type("开发区")
    expect(mapping.locator(".unit-picker-list li[role=option]")).to_have_count(1)
    box.press("ArrowDown")
    box.press("Enter")
    expect(mapping.locator(".chip")).to_contain_text(PARK)
    expect(mapping.locator("select[data-maps]")).to_have_value(str(data.pk))
    # Mapping the lead mention picks its unit as lead; the row no longer needs one.
    expect(park.locator(".field-lead .chip")).to_contain_text(PARK)
    expect(park.locator(".needs-unit")).to_be_hidden()
    # The co-unit picker shows what is chosen as chips and drops one with its × button.
    co = park.locator(".field-co")
    co.locator(".unit-picker-input").fill("甲区")
    co.locator(".unit-picker-input").press("Enter")
    expect(co.locator(".chip")).to_have_count(1)
    co.locator(".chip-remove").click()
    expect(co.locator(".chip")).to_have_count(0)
    for row in page.locator("fieldset.proposal-row").all():
        if "园区道路管网" not in row.inner_text():
            row.locator("input[name$=include]").uncheck()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "speech-units.png"), full_page=True)

    assert violations(page) + problems == []

    page.click("button[name=confirm]")
    page.wait_for_url(f"{base}/tasks/")
    expect(page.locator(".messages")).to_contain_text("已立项 1 项")
    expect(page.locator(".messages")).to_contain_text(f"“县工业园区管委会”即{PARK}")
    expect(page.locator("table.tasks tbody tr")).to_contain_text(PARK)
    (task,) = Task.objects.all()
    assert task.lead_unit == data
    assert "县工业园区管委会" in OrgUnit.objects.get(pk=data.pk).synonyms

    decompose(page, base)
    park = page.locator("fieldset.proposal-row", has_text="园区道路管网")
    resolved = park.locator(".mention.resolved", has_text="县工业园区管委会")
    expect(resolved).to_contain_text(PARK)
    expect(park.locator(".mention.unresolved", has_text="县工业园区管委会")).to_have_count(0)
    expect(park.locator(".needs-unit")).to_have_count(0)
    expect(park.locator(".field-lead .chip")).to_contain_text(PARK)
    page.screenshot(path=str(SCREENSHOTS / "speech-units-resolved.png"), full_page=True)
    assert violations(page) + problems == []
