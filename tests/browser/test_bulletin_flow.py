"""In a real browser: the city office generates the month's bulletin, edits its problems,
publishes it and compares two versions in place (htmx); a county reads the published
version only. The composer and the writers are the bulletin tests' fakes: this checks the
page, not the documents."""

import os

import pytest

from jiangping.bulletins.tests.fakes import faces  # noqa: F401  (fixture)
from tests.browser.test_entry_flow import SCREENSHOTS, browser, log_in  # noqa: F401  (fixture)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(os.environ.get("JIANGPING_SKIP_BROWSER") == "1",
                       reason="JIANGPING_SKIP_BROWSER=1"),
]


@pytest.fixture
def data(transactional_db, live_server, cast, faces):  # noqa: F811
    """June reviewed and published, written before Playwright."""
    from jiangping.reviews import services
    from jiangping.reviews.tests.conftest import PERIOD, enter_month

    office = enter_month(cast)
    services.compute(office, PERIOD)
    services.publish(office, PERIOD, cast.office)
    return cast


def test_office_generates_edits_publishes_and_compares(live_server, data, browser):  # noqa: F811
    from playwright.sync_api import expect

    base = live_server.url
    office = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    errors = []
    office.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(office, base, "office")
    office.goto(f"{base}/bulletins/?period=2026-06")
    office.click("button:has-text('生成通报')")
    expect(office.locator(".messages")).to_contain_text("已生成第1版（草稿）")
    expect(office.locator(".bulletin-preview-frame")).to_contain_text("讲评结果第1版：甲区98.00分。")
    office.fill("textarea[name=problems]", "一是招商引资到位资金偏少。\n乙县项目开工滞后。")
    office.click("button:has-text('保存修改')")
    expect(office.locator(".messages")).to_contain_text("已保存修改")
    expect(office.locator(".bulletin-preview-frame")).to_contain_text("二是乙县项目开工滞后。")

    county = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    log_in(county, base, "yixian")
    county.goto(f"{base}/bulletins/?period=2026-06")
    expect(county.locator("main")).to_contain_text("本月尚无已发布的通报")

    office.click("button:has-text('发布第1版')")
    expect(office.locator(".messages")).to_contain_text("已发布第1版通报")
    office.click("button:has-text('生成通报')")
    expect(office.locator(".messages")).to_contain_text("数据未变，通报内容与第1版相同")
    expect(office.locator("#bulletin-edit h2")).to_have_text("修改并生成新版本")
    office.fill("input[name=date]", "2026-02-30")
    office.click("button:has-text('修改并生成新版本')")
    expect(office.locator("#bulletin-edit .notice")).to_contain_text("2026年2月没有30日")
    expect(office.locator("textarea[name=problems]")).to_have_value(
        "招商引资到位资金偏少。\n乙县项目开工滞后。")
    assert [e for e in errors if "422" not in e] == []  # the refused form's own status
    errors.clear()
    from jiangping.bulletins import services
    from jiangping.orgs.scope import Scope

    services.generate(Scope.for_user(data.office), "2026-06", number="市讲评办〔2026〕7号")
    office.goto(f"{base}/bulletins/?period=2026-06")
    office.click("a:has-text('与第1版比较')")
    diff = office.locator("#bulletin-diff table.diff")
    expect(diff).to_contain_text("市讲评办〔2026〕6号")
    expect(diff.locator("tr.diff-changed")).to_contain_text("市讲评办〔2026〕7号")
    assert office.url.endswith("/bulletins/?period=2026-06")  # loaded in place
    SCREENSHOTS.mkdir(exist_ok=True)
    office.screenshot(path=str(SCREENSHOTS / "bulletin.png"), full_page=True)
    assert not errors, errors

    county.goto(f"{base}/bulletins/?period=2026-06")
    expect(county.locator("main")).to_contain_text("第1版（已发布）")
    expect(county.locator("main")).not_to_contain_text("市讲评办〔2026〕7号")
    with county.expect_download() as download:
        county.click("a:has-text('PDF')")
    assert download.value.suggested_filename == "通报2026-06第1版.pdf"
