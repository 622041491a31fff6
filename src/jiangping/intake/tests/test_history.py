"""The trail of a submission: an unlock reads as 解锁, not as a second 退回."""

import pytest

from jiangping.core.tests.web import P, month_data
from jiangping.intake import history, services
from jiangping.intake.models import State
from jiangping.orgs.scope import Scope


@pytest.fixture
def approved(cast):
    month_data(cast)
    submission = services.get_or_open(cast.county_a, P, "indicators")
    services.submit(Scope.for_user(cast.reporter_a), submission, cast.reporter_a)
    services.approve(Scope.for_user(cast.office), submission, cast.office, "")
    return submission


def test_is_unlock():
    assert history.is_unlock(State.APPROVED, State.RETURNED)
    assert not history.is_unlock(State.SUBMITTED, State.RETURNED)
    assert not history.is_unlock(None, State.RETURNED)


def test_unlock_is_labelled_and_marks_the_submission(approved, cast):
    office = Scope.for_user(cast.office)
    assert not history.unlocked(approved)
    services.unlock(office, approved, cast.office, "改正固定资产投资")
    approved.refresh_from_db()
    labels = [entry.label for entry in history.history(approved)]
    assert labels == ["草稿", "已报送", "已审核", "解锁"]
    assert history.unlocked(approved)
    assert history.queue_key(approved, approved.state) == history.UNLOCKED

    services.submit(Scope.for_user(cast.reporter_a), approved, cast.reporter_a)
    services.return_(office, approved, cast.office, "增速不符")
    approved.refresh_from_db()
    assert [e.label for e in history.history(approved)][-2:] == ["已报送", "已退回"]
    assert not history.unlocked(approved)
    assert history.queue_key(approved, approved.state) == State.RETURNED
    assert not history.unlocked(None)
