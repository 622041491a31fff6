"""The review pages: the office computes and publishes; drafts stay with the office;
every user sees the published ranking and scorecards."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiangping.indicators.services import set_value
from jiangping.orgs.scope import Scope
from jiangping.reviews import services
from jiangping.reviews.models import Run, Status
from jiangping.reviews.tests.conftest import PERIOD

pytestmark = pytest.mark.django_db


def page(client, user, name="reviews:page", *args, **query):
    client.force_login(user)
    return client.get(reverse(name, args=args), {"period": PERIOD, **query})


def test_office_computes_sees_draft_and_publishes_after_the_diff(client, cast, month):
    client.force_login(cast.office)
    response = client.post(reverse("reviews:compute"), {"period": PERIOD})
    assert response.status_code == 302
    draft = Run.objects.get(period=PERIOD)
    assert draft.status == Status.DRAFT
    body = page(client, cast.office).content.decode()
    assert "第1版（草稿）" in body and "甲区" in body and "98.00" in body and "发布…" in body
    confirm = client.get(reverse("reviews:publish"), {"period": PERIOD}).content.decode()
    assert "本月首次发布" in confirm
    client.post(reverse("reviews:publish"), {"period": PERIOD})
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED


def test_county_sees_no_draft_and_its_published_scorecard(client, cast, month):
    services.compute(month, PERIOD)
    body = page(client, cast.reporter_a).content.decode()
    assert "98.00" not in body and "本月尚无已发布的考核结果" in body
    assert page(client, cast.reporter_a, "reviews:scorecard", "990102").status_code == 404
    assert page(client, cast.reporter_b, "reviews:scorecard", "990102").status_code == 404
    services.publish(month, PERIOD, cast.office)
    card = page(client, cast.reporter_a, "reviews:scorecard", "990102").content.decode()
    assert "甲区" in card and "完成率120%，基础分60，加2分，得62分" in card
    assert "找差距" in card and "本组第1位" in card
    other = page(client, cast.reporter_a, "reviews:scorecard", "990121").content.decode()
    assert "即可前移1位" in other


def test_only_the_office_computes_or_publishes(client, cast, month):
    client.force_login(cast.reporter_a)
    assert client.post(reverse("reviews:compute"), {"period": PERIOD}).status_code == 403
    assert client.post(reverse("reviews:publish"), {"period": PERIOD}).status_code == 403
    client.force_login(cast.leader)
    assert client.post(reverse("reviews:compute"), {"period": PERIOD}).status_code == 403
    assert not Run.objects.exists()


def test_bad_period_is_refused(client, cast):
    client.force_login(cast.office)
    assert client.get(reverse("reviews:page"), {"period": "2026-13"}).status_code == 404


def test_home_card_shows_the_latest_published_ranking(client, cast, month):
    client.force_login(cast.leader)
    services.compute(month, PERIOD)
    assert "2026年6月考核排名" not in client.get("/").content.decode()  # a draft: no card
    services.publish(month, PERIOD, cast.office)
    body = client.get("/").content.decode()
    assert "2026年6月考核排名" in body and "1. 甲区 98.00" in body and "红榜" in body
    client.force_login(cast.reporter_b)
    own = client.get("/").content.decode()
    assert "乙县得分 95.00，县市组第2位" in own and "即可前移1位" in own


def test_home_card_reads_a_published_result_once_per_unit(
        rf, cached, cast, month):
    from jiangping.core import registry

    def card(user):
        request = rf.get("/")
        request.user = user
        shown = registry.cards_for(request, Scope.for_user(user), PERIOD)
        return next(c.html for c in shown if c.card.key == "reviews.ranking")

    services.compute(month, PERIOD)
    services.publish(month, PERIOD, cast.office)
    first = card(cast.reporter_b)
    assert "乙县得分 95.00，县市组第2位" in first
    # Again: the card's HTML from the cache, no version read.
    with CaptureQueriesContext(connection) as seen:
        assert card(cast.reporter_b) == first
    assert not [q for q in seen.captured_queries if "reviews_run" in q["sql"]]
    assert "甲区得分 98.00" in card(cast.reporter_a)  # 甲区's own line
    # Version 2 of the month, published: the card is summarised afresh.
    set_value(month, indicator=cast.fai, unit=cast.county_c, period=PERIOD, value=D(99))
    services.compute(month, PERIOD)
    services.publish(month, PERIOD, cast.office)
    with CaptureQueriesContext(connection) as seen:
        card(cast.reporter_b)
    assert [q for q in seen.captured_queries if "reviews_run" in q["sql"]]


def test_office_exempts_a_unit_from_the_black_list(client, cast, month):
    services.compute(month, PERIOD)
    client.force_login(cast.reporter_a)
    assert client.post(reverse("reviews:exempt"), {"period": PERIOD, "unit": "990181",
                                                   "reason": "洪灾"}).status_code == 403
    client.force_login(cast.office)
    empty = client.post(reverse("reviews:exempt"), {"period": PERIOD, "unit": "990181",
                                                    "reason": " "}, follow=True)
    assert "请填写免责理由" in empty.content.decode()
    client.post(reverse("reviews:exempt"), {"period": PERIOD, "unit": "990181",
                                            "reason": "特大洪灾"})
    assert services.compute(month, PERIOD).result["black_list"] == []
    assert "特大洪灾" in page(client, cast.office).content.decode()
    client.post(reverse("reviews:exempt"), {"period": PERIOD, "unit": "990181", "remove": "1"})
    assert services.compute(month, PERIOD).result["black_list"] == ["990181"]


def test_a_village_cadre_opens_no_review_page(client, cast, month):
    services.compute(month, PERIOD)
    services.publish(month, PERIOD, cast.office)
    assert page(client, cast.cadre).status_code == 403
    assert page(client, cast.cadre, "reviews:scorecard", "990102").status_code == 403
