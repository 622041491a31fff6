"""Composing the bulletin: order, closing sections, the office's edits, determinism, and
the whole text of a built month."""

import pytest
from django.core.exceptions import ValidationError

from jiangping.bulletins import compose as c
from jiangping.bulletins.document import Bulletin, Paragraph, Section
from jiangping.bulletins.sections import Context, Draft
from jiangping.core import registry
from jiangping.core.registry import BulletinSection
from jiangping.indicators.tests.bulletin_month import PERIOD, enter_bulletin_month
from jiangping.orgs.scope import Scope

ISSUE = {"number": "市讲评办〔2026〕10号", "date": "2026年11月5日",
         "issuer": "示例市月讲评工作领导小组办公室"}


def _draft(key, heading, text, problems=(), actions=()):
    return Draft(Section(key, heading, [Paragraph(text)]), list(problems), list(actions))


def _providers(monkeypatch, *sections):
    monkeypatch.setattr(c, "bulletin_sections", lambda: list(sections))


def _context(period="2026-10"):
    return Context(period=period, review=None, city=None, scope=None)


FAKES = (
    BulletinSection("headline", lambda ctx: _draft("headline", "总体情况", f"{ctx.period}平稳。"),
                    order=10),
    BulletinSection("projects", lambda ctx: _draft(
        "projects", "重点项目建设", "项目进展顺利。",
        problems=["部分项目开工率偏低，", "丙县进度滞后"], actions=["加快项目开工建设"]), order=30),
    BulletinSection("poverty", lambda ctx: None, order=50),
    BulletinSection("tasks", lambda ctx: _draft(
        "tasks", "督办事项落实情况", "办结率71.4%。", problems=["丙县进度滞后。", "逾期事项3项？"],
        actions=["抓好督办事项落实。"]), order=70),
    BulletinSection("problems", lambda ctx: pytest.fail("a closing key is not a provider"),
                    order=90),
)


def test_sections_in_order_with_the_closing_ones(monkeypatch):
    _providers(monkeypatch, *FAKES)
    bulletin = c.compose(_context(), **ISSUE)
    assert bulletin.title == "关于2026年1—10月全市重点工作讲评情况的通报"
    assert (bulletin.period, bulletin.number, bulletin.date, bulletin.issuer) == (
        "2026-10", ISSUE["number"], ISSUE["date"], ISSUE["issuer"])
    assert [s.key for s in bulletin.sections] == [
        "headline", "projects", "tasks", "problems", "actions"]
    problems, actions = bulletin.sections[-2:]
    assert (problems.heading, problems.editable) == ("存在问题", True)
    assert [(p.lead, p.text) for p in problems.blocks] == [
        ("一是", "部分项目开工率偏低。"), ("二是", "丙县进度滞后。"), ("三是", "逾期事项3项？")]
    assert (actions.heading, actions.editable) == ("下步工作", True)
    assert [(p.lead, p.text) for p in actions.blocks] == [
        ("一是要", "加快项目开工建设。"), ("二是要", "抓好督办事项落实。")]
    assert not any(s.editable for s in bulletin.sections[:-2])


def test_the_offices_edits_replace_the_suggestions(monkeypatch):
    _providers(monkeypatch, *FAKES)
    edited = c.compose(_context(), **ISSUE, edits={"problems": ["  资金支出进度偏慢  ", "", "x"]})
    problems, actions = edited.sections[-2:]
    assert [(p.lead, p.text) for p in problems.blocks] == [
        ("一是", "资金支出进度偏慢。"), ("二是", "x。")]
    assert [p.text for p in actions.blocks] == ["加快项目开工建设。", "抓好督办事项落实。"]
    emptied = c.compose(_context(), **ISSUE, edits={"problems": [], "actions": ["守住底线"]})
    assert [s.key for s in emptied.sections][-1:] == ["actions"]
    assert "problems" not in [s.key for s in emptied.sections]
    assert [(p.lead, p.text) for p in emptied.sections[-1].blocks] == [("一是要", "守住底线。")]


def test_nothing_to_say_leaves_the_closing_sections_out(monkeypatch):
    _providers(monkeypatch, FAKES[0], FAKES[2])
    bulletin = c.compose(_context("2026-01"), **ISSUE)
    assert bulletin.title == "关于2026年1月全市重点工作讲评情况的通报"
    assert [s.key for s in bulletin.sections] == ["headline"]
    assert bulletin.text() == (
        "关于2026年1月全市重点工作讲评情况的通报\n市讲评办〔2026〕10号\n\n"
        "一、总体情况\n2026-01平稳。\n\n示例市月讲评工作领导小组办公室\n2026年11月5日")


def test_closing_section_past_ten_and_unknown_key():
    section = c.closing_section("problems", [f"问题{n}" for n in range(1, 13)])
    assert [p.lead for p in section.blocks][9:] == ["十是", "十一是", "十二是"]
    assert c.closing_section("actions", ["", "  "]) is None
    with pytest.raises(ValueError, match="headline"):
        c.closing_section("headline", ["x"])


def test_the_same_data_gives_the_same_text(monkeypatch):
    _providers(monkeypatch, *FAKES)
    first, second = c.compose(_context(), **ISSUE), c.compose(_context(), **ISSUE)
    assert first.text() == second.text()
    assert Bulletin.from_json(first.to_json()).text() == first.text()


# --- with the database ---------------------------------------------------------------
MONTH_TEXT = """\
关于2026年1—10月全市重点工作讲评情况的通报
市讲评办〔2026〕10号

一、总体情况
1—10月，全市2项主要指标在全省排位，其中1项好于全省平均水平，1项位次较1—9月前移；\
固定资产投资同比增长8.2%，居全省第2位。

二、主要经济指标
（一）全市主要指标在全省位次
1—10月，全市固定资产投资完成600.0亿元，同比增长8.2%，高于全省平均增速（6.1%）2.1个百分点，\
居全省第2位，较1—9月前移1位。全市固定资产投资完成年度目标的85.7%，超序时进度2.4个百分点。
1—10月，全市一般公共预算收入完成50.00亿元，同比下降3.8%，低于全省平均增速（−1.2%）2.6个百分点，\
居全省第2位。
[图] 全市固定资产投资增速走势
（二）各县（市、区）主要指标完成情况
各县（市、区）固定资产投资完成率由高到低依次为：甲区90.0%、乙县80.0%、丙市70.0%。\
低于序时进度的有：乙县（−3.3个百分点）、丙市（−13.3个百分点）。
各县（市、区）PM10浓度由低到高依次为：乙县60μg/m³、丙市60μg/m³、甲区80μg/m³。
[图] 各县（市、区）固定资产投资完成率

三、存在问题
一是全市一般公共预算收入同比下降3.8%。
二是乙县和丙市固定资产投资完成率低于序时进度，其中丙市低于序时进度13.3个百分点。

四、下步工作
一是要扭转一般公共预算收入下滑态势，力争尽快由降转增。
二是要督促乙县和丙市加快固定资产投资进度，尽快赶上序时进度。

示例市月讲评工作领导小组办公室
2026年11月5日"""


@pytest.fixture
def indicators_only(monkeypatch):
    """The indicators' own sections, whatever else is registered."""
    mine = [s for s in registry.bulletin_sections() if s.key in ("headline", "indicators")]
    _providers(monkeypatch, *mine)


def test_a_built_month(cast, indicators_only):
    enter_bulletin_month(cast)
    context = c.context_for(PERIOD)
    assert (context.city, context.review) == (cast.city, None)
    assert context.scope == Scope.operator()
    bulletin = c.compose(context, **ISSUE)
    assert bulletin.text() == MONTH_TEXT
    assert c.compose(c.context_for(PERIOD), **ISSUE).to_json() == bulletin.to_json()


def test_the_indicators_sections_are_registered(cast):
    enter_bulletin_month(cast)
    keys = [s.key for s in c.compose(c.context_for(PERIOD), **ISSUE).sections]
    assert keys.index("headline") < keys.index("indicators") < keys.index("problems")


def test_context_with_the_published_review(cast):
    from jiangping.reviews import services
    from jiangping.reviews.tests.conftest import PERIOD as JUNE
    from jiangping.reviews.tests.conftest import enter_month

    office = enter_month(cast)
    services.compute(office, JUNE)
    assert c.context_for(JUNE).review is None  # a draft is not published
    services.publish(office, JUNE)
    services.compute(office, JUNE)  # unchanged inputs: still the published version
    review = c.context_for(JUNE).review
    assert review["version"] == 1 and review["period"] == JUNE
    assert [u["name"] for u in review["units"]][:1] == ["甲区"]


def test_context_refuses_a_bad_period_and_a_missing_city(db):
    with pytest.raises(ValidationError, match="2026-13"):
        c.context_for("2026-13")
    with pytest.raises(ValidationError, match="尚未设置本市"):
        c.context_for("2026-10")


def test_a_clause_that_ends_itself_gets_no_full_stop():
    assert c._sentence("加强督查……") == "加强督查……"
    assert c._sentence("务必按期完成！") == "务必按期完成！"
    assert c._sentence("落实“三个一”") == "落实“三个一”。"  # a quoted term, not a sentence
    assert c._sentence("加快项目开工") == "加快项目开工。"


def test_the_bulletin_is_chinese_whatever_the_interface_language(cast, indicators_only):
    from django.utils import translation

    enter_bulletin_month(cast)
    for language in ("en", "zh-hant"):
        with translation.override(language):
            assert c.compose(c.context_for(PERIOD), **ISSUE).text() == MONTH_TEXT
