"""What the home page's cards and the approval queue keep in the page cache — the
leader's ranking charts, the office's month of submissions, the queue's plausibility
warnings — is computed once per month and scope, and every write to what they show is
seen by the next view (:mod:`jiangping.core.pagecache`)."""

import html
from decimal import Decimal as D

import pytest
from django.test import RequestFactory

from jiangping.core import registry
from jiangping.core.tests.web import P, month_data
from jiangping.indicators import home
from jiangping.indicators.services import set_value
from jiangping.intake import services as intake
from jiangping.orgs.scope import Scope


@pytest.fixture
def data(cast, cached):
    return month_data(cast)


def counted(monkeypatch, module, name):
    """Count the calls of ``module.name`` (still calling it)."""
    calls = []
    real = getattr(module, name)

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


def card(user, key):
    """The HTML of card ``key`` on ``user``'s home page (None: not shown)."""
    request = RequestFactory().get("/")
    request.user = user
    shown = registry.cards_for(request, Scope.for_user(user), P)
    return next((card.html for card in shown if card.card.key == key), None)


def test_the_leaders_charts_follow_the_figures(data, monkeypatch):
    built = counted(monkeypatch, home, "_ranking_charts")
    first = card(data.leader, "indicators.ranking")
    assert card(data.leader, "indicators.ranking") == first and len(built) == 1
    assert first.index("<h3>县（市、区）") < first.index("<h3>全省各市")
    # Leaders see approved figures: 甲区's growth shows once its month is approved.
    assert '"name": "甲区", "rank": null' in html.unescape(first)
    submission = intake.get_or_open(data.county_a, P, "indicators")
    intake.submit(Scope.for_user(data.reporter_a), submission, data.reporter_a)
    intake.approve(Scope.for_user(data.office), submission, data.office)
    after = card(data.leader, "indicators.ranking")
    assert len(built) == 2
    assert '"name": "甲区", "rank": 1, "value": 40.0' in html.unescape(after)


def test_the_offices_month_follows_the_submissions(data, monkeypatch):
    read = counted(monkeypatch, home, "month_status")
    before = card(data.office, "indicators.queue")
    assert card(data.office, "indicators.queue") == before and len(read) == 1
    assert data.county_a.label not in before
    submission = intake.get_or_open(data.county_a, P, "indicators")
    intake.submit(Scope.for_user(data.reporter_a), submission, data.reporter_a)
    after = card(data.office, "indicators.queue")
    assert len(read) == 2 and data.county_a.label in after
    # Not the office's card: a county's reporter is not shown it, and has its own.
    assert card(data.reporter_a, "indicators.queue") is None
    assert "已填" in card(data.reporter_a, "indicators.own_month")


def test_the_units_month_follows_its_submission(data):
    before = card(data.reporter_a, "indicators.own_month")
    assert "未报送" in before
    submission = intake.get_or_open(data.county_a, P, "indicators")
    intake.submit(Scope.for_user(data.reporter_a), submission, data.reporter_a)
    after = card(data.reporter_a, "indicators.own_month")
    assert "未报送" not in after and "已报送" in after
    # Another unit's reporter has a card of its own.
    assert "未报送" in card(data.reporter_b, "indicators.own_month")


def test_the_queue_warnings_follow_the_figures(data, monkeypatch):
    checked = []
    real = intake._checks["indicators"]
    monkeypatch.setitem(intake._checks, "indicators",
                        lambda ids, period: checked.append(ids) or real(ids, period))
    office = Scope.for_user(data.office)
    submission = intake.get_or_open(data.county_a, P, "indicators")
    intake.submit(Scope.for_user(data.reporter_a), submission, data.reporter_a)

    def warnings():
        rows = intake.with_warnings(intake.month_status(office, P), P, "indicators")
        return {row.unit.code: row.warnings for row in rows}

    first = warnings()
    assert warnings() == first and len(checked) == 1
    assert first[data.county_a.code] == (
        "固定资产投资增速：较上月（11.1%）变化28.9个百分点，超过20个百分点",)
    # 甲区 reports 固定资产投资 twelve times last month's: the next view warns of it.
    set_value(Scope.operator(), indicator=data.fai, unit=data.county_a, period=P,
              value=D("1200"))
    after = warnings()
    assert len(checked) == 2
    assert "固定资产投资：1200.0是上月（100.0）的12.0倍，超过3倍" in after[data.county_a.code]
