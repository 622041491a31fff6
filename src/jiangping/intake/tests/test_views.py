"""The approval queue: the city office decides, reporters see their own, others are refused."""

import re

import pytest
from django.urls import reverse

from jiangping.core.tests.web import P, month_data
from jiangping.intake import services
from jiangping.intake.models import State, Submission
from jiangping.orgs.scope import Scope

QUEUE = reverse("intake:queue")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def data(cast):
    return month_data(cast)


@pytest.fixture
def submitted(data):
    submission = services.get_or_open(data.county_a, P, "indicators")
    services.submit(Scope.for_user(data.reporter_a), submission, data.reporter_a)
    return submission


def test_queue_lists_every_reporting_unit(client, submitted, data):
    client.force_login(data.office)
    response = client.get(QUEUE, {"period": P})
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("甲区", "乙县", "丙市", "高新区"):
        assert name in page
    assert "已报送" in page and "未填报" in page
    assert reverse("intake:approve", args=[submitted.pk]) in page
    assert page.index("甲区") < page.index("乙县")  # submitted ones first


def test_approve_with_htmx(client, submitted, data):
    client.force_login(data.office)
    response = client.post(reverse("intake:approve", args=[submitted.pk]), headers=HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith("<tr") and "已审核" in page and "解锁" in page
    submitted.refresh_from_db()
    assert submitted.state == State.APPROVED and submitted.decided_by == data.office


def counters(page: str) -> dict[str, int]:
    """The counter block of a page or an htmx answer, key → figure."""
    block = page[page.index('id="queue-counts"'):]  # nothing after it has stat figures
    found = re.findall(r'<div class="stat">(\d+)</div><div class="stat-label">'
                       r'<span class="badge (\w+)">', block)
    return {key: int(n) for n, key in found}


def test_decisions_answer_with_the_updated_counters(client, submitted, data):
    """htmx swaps the row; the counters come along out of band so they stay right."""
    client.force_login(data.office)
    before = counters(client.get(QUEUE, {"period": P}).content.decode())
    assert (before["submitted"], before["approved"]) == (1, 0)

    page = client.post(reverse("intake:approve", args=[submitted.pk]), headers=HTMX)
    page = page.content.decode()
    assert page.index("<tr") < page.index('<div id="queue-counts" class="stats card" '
                                          'hx-swap-oob="true">')
    assert counters(page) == {**before, "submitted": 0, "approved": 1}

    page = client.post(reverse("intake:unlock", args=[submitted.pk]), headers=HTMX)
    assert counters(page.content.decode()) == {**before, "submitted": 0, "unlocked": 1}
    assert counters(client.get(QUEUE, {"period": P}).content.decode()) == counters(
        page.content.decode())

    refused = client.post(reverse("intake:unlock", args=[submitted.pk]), headers=HTMX)
    assert refused.status_code == 422
    assert counters(refused.content.decode())["unlocked"] == 1


def test_return_needs_a_reason(client, submitted, data):
    client.force_login(data.office)
    url = reverse("intake:return", args=[submitted.pk])
    response = client.post(url, {"comment": " "}, headers=HTMX)
    assert response.status_code == 422 and "须填写退回原因" in response.content.decode()
    assert Submission.objects.get(pk=submitted.pk).state == State.SUBMITTED
    response = client.post(url, {"comment": "固定资产投资增速与累计值不符"}, headers=HTMX)
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.state == State.RETURNED
    assert "固定资产投资增速与累计值不符" in response.content.decode()


def test_unlock_without_htmx(client, submitted, data):
    services.approve(Scope.for_user(data.office), submitted, data.office, "")
    client.force_login(data.office)
    response = client.post(reverse("intake:unlock", args=[submitted.pk]))
    assert response.status_code == 302 and P in response["Location"]
    submitted.refresh_from_db()
    assert submitted.state != State.APPROVED


def test_unlocked_submission_is_marked_in_the_queue(client, submitted, data):
    office = Scope.for_user(data.office)
    services.approve(office, submitted, data.office, "")
    client.force_login(data.office)
    response = client.post(reverse("intake:unlock", args=[submitted.pk]), headers=HTMX)
    row = response.content.decode()
    assert '<span class="badge unlocked"' in row and ">已解锁</span>" in row
    assert " 解锁 市督查室</li>" in row  # the trail names the unlock
    page = client.get(QUEUE, {"period": P}).content.decode()
    stat = '<div class="stat">{n}</div><div class="stat-label"><span class="badge {key}">'
    assert stat.format(n=1, key="unlocked") + "已解锁" in page
    assert stat.format(n=0, key="returned") + "已退回" in page  # not counted as returned
    client.force_login(data.reporter_a)
    mine = client.get(QUEUE).content.decode()
    assert '<span class="badge unlocked"' in mine


@pytest.mark.parametrize(("language", "label"), [("en", "Unlocked"), ("zh-hant", "已解鎖")])
def test_unlock_reads_in_the_readers_language(client, submitted, data, language, label):
    office = Scope.for_user(data.office)
    services.approve(office, submitted, data.office, "")
    services.unlock(office, submitted, data.office)
    client.force_login(data.office)
    client.cookies["django_language"] = language
    page = client.get(QUEUE, {"period": P}).content.decode()
    assert f">{label}</span>" in page


def test_unlock_with_a_reason_shows_it(client, submitted, data):
    office = Scope.for_user(data.office)
    services.approve(office, submitted, data.office, "")
    services.unlock(office, submitted, data.office, "补报税收收入")
    client.force_login(data.reporter_a)
    page = client.get(QUEUE).content.decode()
    assert "补报税收收入" in page


def test_reporter_sees_own_submissions(client, submitted, data):
    client.force_login(data.reporter_a)
    page = client.get(QUEUE).content.decode()
    assert "我的报送" in page and "2019年11月" in page and "已报送" in page
    assert "乙县" not in page


def test_reporter_cannot_decide(client, submitted, data):
    client.force_login(data.reporter_a)
    assert client.post(reverse("intake:approve", args=[submitted.pk])).status_code == 403
    client.force_login(data.reporter_b)
    assert client.post(reverse("intake:approve", args=[submitted.pk])).status_code == 403
    assert client.get(QUEUE).status_code == 200
    assert "甲区" not in client.get(QUEUE).content.decode()
    assert Submission.objects.get(pk=submitted.pk).state == State.SUBMITTED


def test_leader_reads_the_queue(client, submitted, data):
    client.force_login(data.leader)
    page = client.get(QUEUE, {"period": P}).content.decode()
    assert "甲区" in page and "审核通过</button>" not in page
    assert client.post(reverse("intake:approve", args=[submitted.pk])).status_code == 403


def test_queue_refuses_bad_period(client, data):
    client.force_login(data.office)
    assert client.get(QUEUE, {"period": "11/2019"}).status_code == 400
