"""What the home page's cards and the approval queue keep in the page cache — the
leader's ranking charts, the office's month of submissions, the queue's plausibility
warnings — is computed once per month and scope, and every write to what they show is
seen by the next view (:mod:`jiangping.core.pagecache`)."""

from decimal import Decimal as D

import pytest
from django.test import RequestFactory

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


def card(function, user):
    request = RequestFactory().get("/")
    request.user = user
    return function(request, Scope.for_user(user), P)


def test_the_leaders_charts_follow_the_figures(data, monkeypatch):
    built = counted(monkeypatch, home, "_ranking_charts")
    first = card(home.ranking_card, data.leader)
    assert card(home.ranking_card, data.leader) == first and len(built) == 1
    assert [chart["tier"] for chart in first["charts"]] == ["counties", "cities"]
    # Leaders see approved figures: 甲区's growth shows once its month is approved.
    assert '"name": "甲区", "rank": null, "value": null' in first["charts"][0]["chart"]
    submission = intake.get_or_open(data.county_a, P, "indicators")
    intake.submit(Scope.for_user(data.reporter_a), submission, data.reporter_a)
    intake.approve(Scope.for_user(data.office), submission, data.office)
    after = card(home.ranking_card, data.leader)
    assert len(built) == 2
    assert '"name": "甲区", "rank": 1, "value": 40.0' in after["charts"][0]["chart"]


def test_the_offices_month_follows_the_submissions(data, monkeypatch):
    read = counted(monkeypatch, home, "month_status")
    before = card(home.queue_card, data.office)
    assert card(home.queue_card, data.office) == before and len(read) == 1
    assert before["waiting"] == []
    submission = intake.get_or_open(data.county_a, P, "indicators")
    intake.submit(Scope.for_user(data.reporter_a), submission, data.reporter_a)
    after = card(home.queue_card, data.office)
    assert len(read) == 2 and after["waiting"] == [data.county_a]
    assert {c.key: c.count for c in after["queue"]}["submitted"] == 1


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
