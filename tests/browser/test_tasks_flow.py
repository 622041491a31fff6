"""In a real browser: the city office decomposes a speech and confirms three tasks, the
lead county reports progress and asks for close-out, the office closes it out."""

import os

import pytest

from tests.browser.test_entry_flow import SCREENSHOTS, browser, log_in  # noqa: F401  (fixture)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(os.environ.get("JIANGPING_SKIP_BROWSER") == "1",
                       reason="JIANGPING_SKIP_BROWSER=1"),
]

SPEECH = """同志们：
今天召开11月份经济运行讲评会，安排部署12月份和明年一季度工作。
一、全力冲刺全年目标
（一）抓好重点项目建设。市发改委牵头，乙县配合，12月底前完成重点项目投资计划，开工率达到95%。
（二）推动秸秆综合利用。乙县要加快秸秆综合利用，年底前综合利用率达到90%。
二、统筹做好安全稳定工作
各县（市、区）要抓好安全生产，12月20日前完成隐患排查，整改率达到100%。
市直有关单位要落实减税降费政策，帮助企业纾困。
同志们，离年底只有一个月，大家要以只争朝夕的精神抓好落实。
"""


@pytest.fixture
def data(transactional_db, live_server, cast):
    """The cast, written before Playwright starts (see test_entry_flow)."""
    return cast


def test_speech_to_tasks_to_close_out(live_server, data, browser):  # noqa: F811
    from playwright.sync_api import expect

    base = live_server.url
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page.on("dialog", lambda dialog: dialog.accept())

    log_in(page, base, "office")
    page.goto(f"{base}/tasks/speech/?example=november")
    expect(page.locator("textarea[name=text]")).to_contain_text("经济运行讲评会")
    expect(page.locator("input[name=meeting_date]")).to_have_value("2025-12-05")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "speech-input.png"), full_page=True)
    page.fill("textarea[name=text]", SPEECH)
    page.fill("input[name=meeting_date]", "2026-11-20")
    page.fill("input[name=source_title]", "市长在全市11月份经济运行讲评会上的讲话")
    page.click("button:has-text('分解')")
    rows = page.locator("fieldset.proposal-row")
    # The closing exhortation (同志们，…以只争朝夕的精神抓好落实) is no task.
    expect(rows).to_have_count(4)
    expect(page.locator("mark.sentence")).to_have_count(4)
    expect(page.locator("#s-1 .m-unit").first).to_have_text("市发改委")
    expect(page.locator("#s-1 .m-deadline")).to_have_text("12月底前")
    # 各县(市、区): the office picks the lead; 甲区 leads, the other counties co-operate.
    third = page.locator("#row-3")
    expect(third.locator("select[name$=lead_unit]")).to_have_value("")
    lead = third.locator(".field-lead .unit-picker-input")
    lead.fill("甲区")
    lead.press("Enter")
    expect(third.locator(".field-lead .chip")).to_have_text("甲区×")
    # The lead is no co-unit of its own task: the co-unit chips drop it.
    expect(third.locator(".field-co .chip")).to_have_text(["乙县×", "丙市×"])
    expect(page.locator("#row-4 .mention.collective")).to_contain_text("市直有关单位")
    expect(page.locator("#row-4 .needs-unit")).to_have_text("需指定牵头单位")
    page.locator("#row-4 input[name$=include]").uncheck()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / "speech.png"), full_page=True)

    page.click("button[name=confirm]")
    page.wait_for_url(f"{base}/tasks/")
    expect(page.locator(".messages")).to_contain_text("已立项 3 项")
    table = page.locator("table.tasks tbody tr")
    expect(table).to_have_count(3)
    safety = table.filter(has_text="安全生产")
    expect(safety.locator("td.deadline")).to_contain_text("2026-12-20")
    expect(table.filter(has_text="重点项目").locator("td.deadline")).to_contain_text("2026-12-31")
    expect(safety).to_contain_text("甲区")
    page.click("text=退出")
    page.wait_for_url(f"{base}/login/")

    log_in(page, base, "jiaqu")
    page.goto(f"{base}/tasks/")
    page.locator("table.tasks a", has_text="安全生产").click()
    page.fill("textarea[name=text]", "已完成全区隐患排查，整改率100%。")
    page.fill("input[name=percent]", "100")
    page.click("form.progress-form button.primary")
    expect(page.locator(".messages")).to_contain_text("进展已报送")
    page.click("#task-status button:has-text('申请销号')")
    expect(page.locator("#task-status")).to_contain_text("已完成")
    detail = page.url
    page.click("text=退出")
    page.wait_for_url(f"{base}/login/")

    log_in(page, base, "office")
    page.goto(detail)
    page.click("#task-status button:has-text('同意销号')")
    expect(page.locator("#task-status")).to_contain_text("已销号")
