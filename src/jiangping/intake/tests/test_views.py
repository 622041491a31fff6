"""The approval queue: the city office decides, reporters see their own, others are refused."""

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
    assert '<span class="badge tag unlocked"' in row
    assert " 解锁 市督查室：解锁修改</li>" in row  # the trail names the unlock
    page = client.get(QUEUE, {"period": P}).content.decode()
    stat = '<div class="stat">{n}</div><div class="stat-label"><span class="badge {key}">'
    assert stat.format(n=1, key="unlocked") + "已解锁" in page
    assert stat.format(n=0, key="returned") + "已退回" in page  # not counted as returned
    client.force_login(data.reporter_a)
    mine = client.get(QUEUE).content.decode()
    assert '<span class="badge tag unlocked">' in mine


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
