"""The bulletin as HTML: numbered headings, tables with a repeated header, hostile text
printed as text, chart data as JSON (never as code), nothing fetched from elsewhere,
the fragment for the preview, and the charts drawn in a real browser offline."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from jiangping.bulletins.document import Chart, Paragraph, Section, Table
from jiangping.bulletins.tests.samples import sample_bulletin
from jiangping.bulletins.writers.html import chart_data, render_html

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(autouse=True)
def bulletin_app(settings):
    """The bulletin's templates and static files come with its app."""
    if "jiangping.bulletins" not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "jiangping.bulletins"]


class Tree(HTMLParser):
    """Each element as (tag, attrs, text directly inside it and its children)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict, list[str]]] = []
        self.open: list[tuple[str, dict, list[str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = (tag, dict(attrs), [])
        self.elements.append(element)
        if tag not in {"meta", "img", "br", "link", "input"}:
            self.open.append(element)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for element in self.open:
            element[2].append(data)

    def find(self, tag: str, cls: str | None = None) -> list[tuple[str, dict, str]]:
        return [(t, a, "".join(text)) for t, a, text in self.elements
                if t == tag and (cls is None or cls in (a.get("class") or "").split())]


def hostile_bulletin():
    bulletin = sample_bulletin(5)
    bulletin.title = "关于" + HOSTILE + "的通报"
    bulletin.sections[0].blocks.append(Paragraph(HOSTILE, lead="一是" + HOSTILE))
    bulletin.sections[0].heading = "总体</h2>情况"
    bulletin.sections.append(Section("hostile", "附表", [
        Table("表9 " + HOSTILE, ["县区", HOSTILE], [[HOSTILE, "1.0"]], align=["left", "x onclick"]),
        Chart("bars", HOSTILE, ["</script><script>alert(2)</script>"],
              [{"name": HOSTILE, "values": ["1.0"]}], unit="%"),
    ]))
    return bulletin


def test_a_whole_document_with_numbered_headings_in_order():
    html = render_html(sample_bulletin(10))
    assert html.startswith("<!DOCTYPE html>")
    tree = Tree(html)
    assert [text for _, _, text in tree.find("title")] == [
        "关于2026年1—10月全市重点工作讲评情况的通报"]
    assert [text for _, _, text in tree.find("h1", "bl-title")] == [
        "关于2026年1—10月全市重点工作讲评情况的通报"]
    assert [text for _, _, text in tree.find("h2", "bl-h1")] == [
        "一、总体情况", "二、主要经济指标", "三、督办事项落实情况", "四、综合考核排名",
        "五、存在问题", "六、下步工作"]
    assert [text for _, _, text in tree.find("h3", "bl-h2")] == ["（一）地区生产总值"]
    assert [text for _, _, text in tree.find("span", "bl-lead")] == [
        "一是", "二是", "一是要", "二是要"]
    assert [text for _, _, text in tree.find("p", "bl-issuer")] == [
        "江城市月讲评工作领导小组办公室"]
    assert [text for _, _, text in tree.find("p", "bl-date")] == ["2026年11月5日"]
    editable = [a["data-section"] for _, a, _ in tree.find("section", "bl-section")
                if a.get("data-editable") == "true"]
    assert editable == ["problems", "actions"]


def test_the_layout_of_gb_t_9704_in_the_css():
    html = render_html(sample_bulletin(3))
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert "margin: 37mm 26mm 35mm 28mm;" in style
    assert "size: A4;" in style
    assert 'content: "— " counter(page) " —";' in style
    assert "table.bl-table thead {\n  display: table-header-group;" in style
    assert '"方正小标宋简体"' in style and '"仿宋_GB2312"' in style
    assert '"Noto Serif CJK SC"' in style and '"AR PL UKai CN"' in style
    assert "font-size: 22pt;" in style and "line-height: 28.9pt;" in style


def test_a_table_has_its_header_in_thead_and_aligned_cells():
    tree = Tree(render_html(sample_bulletin(4)))
    assert [text for _, _, text in tree.find("th")] == [
        "名次", "县区", "指标得分", "工作得分", "总分", "较上月"]
    assert len(tree.find("thead")) == 1
    cells = [(a["class"], text) for _, a, text in tree.find("td")]
    assert cells[:6] == [("bl-center", "1"), ("bl-left", "临江区"), ("bl-right", "30.00"),
                         ("bl-right", "25.00"), ("bl-right", "95.00"), ("bl-center", "前移1位")]
    assert cells[6][1] == "并列2"
    assert len(cells) == 4 * 6
    assert [text for _, _, text in tree.find("p", "bl-caption")] == [
        "表1 2026年1—10月各县（市、区）综合考核排名"]


def test_hostile_text_prints_as_text():
    html = render_html(hostile_bulletin())
    body = html.split("<body>", 1)[1]
    body = body.split("<noscript>", 1)[0]  # the inlined scripts follow
    assert "<img src=x" not in body
    assert '<script>alert("x")' not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "<h2 class=\"bl-h1\">一、总体&lt;/h2&gt;情况</h2>" in body
    tree = Tree(html)
    assert [text for _, _, text in tree.find("p", "bl-p") if "alert" in text] == [
        "一是" + HOSTILE + HOSTILE]
    assert tree.find("h1", "bl-title")[0][2] == "关于" + HOSTILE + "的通报"
    # An unknown alignment never reaches the class attribute.
    assert [a["class"] for _, a, text in tree.find("td") if text == "1.0"] == ["bl-left"]
    # The only executable scripts are ECharts and the bulletin's own.
    assert len([a for _, a, _ in tree.find("script") if "type" not in a]) == 2


def test_chart_data_goes_as_json_never_as_code():
    html = render_html(hostile_bulletin())
    tree = Tree(html)
    data = {a["id"]: json.loads(text) for _, a, text in tree.find("script")
            if a.get("type") == "application/json"}
    assert list(data) == ["bl-chart-1", "bl-chart-2", "bl-chart-3", "bl-chart-4"]
    assert data["bl-chart-4"] == {
        "chart": "bars", "title": HOSTILE, "categories": ["</script><script>alert(2)</script>"],
        "series": [{"name": HOSTILE, "values": ["1.0"]}], "unit": "%", "marker": None}
    assert "</script><script>alert(2)" not in html
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(2)" in html
    holders = [a["data-chart"] for _, a, _ in tree.find("div", "bl-chart")]
    assert holders == list(data)


def test_chart_data_keeps_the_printed_decimals_and_gaps():
    chart = sample_bulletin(3).sections[1].blocks[-1]
    assert chart_data(chart) == {
        "chart": "trend", "title": "全市固定资产投资增速走势",
        "categories": ["1—6月", "1—7月", "1—8月", "1—9月", "1—10月"],
        "series": [{"name": "全市", "values": ["6.1", "6.8", "7.0", "7.9", "8.2"]},
                   {"name": "全省", "values": ["5.9", "6.0", None, "6.2", "6.1"]}],
        "unit": "%", "marker": None}
    gauge = sample_bulletin(3).sections[3].blocks[3]
    assert chart_data(gauge)["marker"] == {"name": "序时进度", "value": "83.3"}
    with pytest.raises(ValueError, match="pie"):
        chart_data(Chart("pie", "饼图", [], []))


def test_nothing_is_fetched_from_elsewhere():
    html = render_html(sample_bulletin(10))
    assert "echarts" in html and "jiangpingBulletinCharts" in html
    tree = Tree(html)
    assert not tree.find("link")
    assert not [a for _, a, _ in tree.elements if "src" in a or "href" in a]
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", html.split("<body>", 1)[1]
                         .split("<script>", 1)[0])


def test_the_fragment_is_the_article_alone_without_inline_style_or_script():
    fragment = render_html(sample_bulletin(3), fragment=True)
    assert fragment.lstrip().startswith('<article class="bulletin" lang="zh-CN">')
    assert fragment.rstrip().endswith("</article>")
    assert "<style" not in fragment and "<html" not in fragment and "style=" not in fragment
    scripts = Tree(fragment).find("script")
    assert [a.get("type") for _, a, _ in scripts] == ["application/json"] * 3


def test_for_pdf_charts_are_embedded_images_and_no_script():
    html = render_html(sample_bulletin(3), for_pdf=True)
    tree = Tree(html)
    assert not tree.find("script")
    images = [a for _, a, _ in tree.find("img")]
    assert [a["alt"] for a in images] == [
        "全市固定资产投资增速走势", "各县（市、区）综合得分", "全市重点项目投资完成进度"]
    assert all(a["src"].startswith("data:image/svg+xml;base64,") for a in images)
    assert not tree.find("figcaption")  # the image carries its title


CHROMIUM = "/usr/bin/chromium"


@pytest.mark.browser
@pytest.mark.skipif(os.environ.get("JIANGPING_SKIP_BROWSER") == "1",
                    reason="JIANGPING_SKIP_BROWSER=1")
def test_the_downloaded_document_draws_its_charts_offline(tmp_path):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("browser tests need Debian's chromium (apt-get install chromium), "
                    "or JIANGPING_SKIP_BROWSER=1 to leave them out")
    path = tmp_path / "通报.html"
    path.write_text(render_html(hostile_bulletin()), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1200})
            errors, requests, dialogs = [], [], []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("request", lambda request: requests.append(request.url))
            page.on("dialog", lambda dialog: dialogs.append(dialog.message) or dialog.dismiss())
            page.goto(path.as_uri())
            drawn = page.evaluate("""() => [...document.querySelectorAll('.bl-chart')].map(
                el => [el.dataset.chart, !!echarts.getInstanceByDom(el),
                       el.querySelectorAll('svg path').length > 3])""")
            title = page.evaluate("document.querySelector('.bl-title').textContent")
        finally:
            browser.close()
    assert errors == [] and dialogs == []
    assert requests == [path.as_uri()]
    assert drawn == [[f"bl-chart-{n}", True, True] for n in range(1, 5)]
    assert title == "关于" + HOSTILE + "的通报"
