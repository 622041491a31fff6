import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiangping.indicators import services as values
from jiangping.intake import history, services
from jiangping.intake.models import State
from jiangping.orgs.scope import Scope


def test_life_cycle(cast, settings):
    settings.JIANGPING_SUBMISSION_DAY = 7
    office, county = Scope.for_user(cast.office), Scope.for_user(cast.reporter_a)
    submission = services.get_or_open(cast.county_a, "2019-11", "indicators")
    assert submission.deadline == dt.date(2019, 12, 7) and submission.state == State.DRAFT
    assert services.get_or_open(cast.county_a, "2019-11", "indicators").pk == submission.pk
    with pytest.raises(PermissionDenied):
        services.submit(Scope.for_user(cast.reporter_b), submission, cast.reporter_b)
    submission = services.submit(county, submission, cast.reporter_a)
    assert submission.state == State.SUBMITTED and submission.late  # 2019 deadline passed
    with pytest.raises(PermissionDenied):
        services.approve(county, submission, cast.reporter_a)
    with pytest.raises(ValidationError):
        services.return_(office, submission, cast.office, "  ")
    submission = services.return_(office, submission, cast.office, "固投数据与统计局不一致")
    assert submission.state == State.RETURNED and submission.comment == "固投数据与统计局不一致"
    submission = services.submit(county, submission, cast.reporter_a)
    submission = services.approve(office, submission, cast.office, "同意")
    assert submission.locked
    with pytest.raises(ValidationError):
        values.upsert_values(county, [(cast.fai.pk, cast.county_a.pk, "2019-11", 1)])
    with pytest.raises(ValidationError):
        services.submit(county, submission, cast.reporter_a)
    with pytest.raises(PermissionDenied):
        services.unlock(county, submission, cast.reporter_a)
    submission = services.unlock(office, submission, cast.office)
    assert not submission.locked
    assert values.upsert_values(county, [(cast.fai.pk, cast.county_a.pk, "2019-11", 1)]) \
        == (1, 0)
    assert [e.state for e in submission.events.all()] == [
        "draft", "submitted", "returned", "submitted", "approved", "returned"]


def test_unlock_stores_only_the_offices_own_comment(cast):
    office, county = Scope.for_user(cast.office), Scope.for_user(cast.reporter_a)
    submission = services.get_or_open(cast.county_a, "2019-11", "indicators")
    submission = services.approve(office, services.submit(county, submission, cast.reporter_a),
                                  cast.office, "同意")
    submission = services.unlock(office, submission, cast.office)
    assert submission.state == State.RETURNED and submission.comment == ""
    assert submission.events.last().comment == ""
    assert history.unlocked(submission)  # the trail tells it from a return
    submission = services.submit(county, submission, cast.reporter_a)
    with pytest.raises(ValidationError, match="退回原因"):
        services.return_(office, submission, cast.office, "")  # a return still needs one
    submission = services.approve(office, submission, cast.office)
    submission = services.unlock(office, submission, cast.office, "  补报12月数据 ")
    assert submission.comment == "补报12月数据"
    assert submission.events.last().comment == "补报12月数据"


def test_refusals_name_the_month_by_its_label(cast):
    submission = services.get_or_open(cast.county_a, "2019-11", "indicators")
    with pytest.raises(ValidationError, match="“甲区”2019年11月的报表当前状态为“草稿”"):
        services.approve(Scope.for_user(cast.office), submission, cast.office)


def test_deadline_rolls_over_the_year():
    assert services.default_deadline("2019-12") == dt.date(2020, 1, 5)


def test_month_status_lists_every_owing_unit_with_its_submission(cast):
    office = Scope.for_user(cast.office)
    county_a = services.get_or_open(cast.county_a, "2019-11", "indicators")
    services.submit(Scope.for_user(cast.reporter_a), county_a, cast.reporter_a)
    department = services.get_or_open(cast.department, "2019-11", "indicators")
    # 乙县 has another form this month and this form another month: it still owes this one.
    services.get_or_open(cast.county_b, "2019-11", "projects")
    services.get_or_open(cast.county_b, "2019-10", "indicators")

    rows = {row.unit.name: row for row in services.month_status(office, "2019-11")}
    assert set(rows) == {"甲区", "乙县", "丙市", "示例高新区", "示例市发展和改革委员会"}
    assert rows["甲区"].submission == county_a and rows["甲区"].state == State.SUBMITTED
    assert rows["示例市发展和改革委员会"].submission == department
    assert rows["乙县"].submission is None and rows["乙县"].state == services.MISSING
    assert [r.unit.name for r in services.month_status(office, "2019-11", form="projects")
            if r.submission] == ["乙县"]

    own = services.month_status(Scope.for_user(cast.reporter_b), "2019-11")
    assert [(r.unit.name, r.submission) for r in own] == [("乙县", None)]


def test_month_counts_count_each_state_once_unlocked_apart(cast):
    office = Scope.for_user(cast.office)
    county_a = services.get_or_open(cast.county_a, "2019-11", "indicators")
    services.submit(Scope.for_user(cast.reporter_a), county_a, cast.reporter_a)
    services.approve(office, county_a, cast.office)
    services.unlock(office, county_a, cast.office)
    county_b = services.get_or_open(cast.county_b, "2019-11", "indicators")
    services.submit(Scope.for_user(cast.reporter_b), county_b, cast.reporter_b)
    services.get_or_open(cast.county_c, "2019-11", "indicators")

    counts = services.month_counts(office, "2019-11")
    assert [(c.key, c.label, c.count) for c in counts] == [
        ("submitted", "已报送", 1), ("returned", "已退回", 0), ("unlocked", "已解锁", 1),
        ("draft", "草稿", 1), ("missing", "未填报", 1), ("approved", "已审核", 0),
    ]
    assert [c.key for c in services.month_counts(office, "2019-10")] == [
        "submitted", "returned", "draft", "missing", "approved"]  # 已解锁 only when there is one
    own = {c.key: c.count for c in services.month_counts(Scope.for_user(cast.reporter_b),
                                                          "2019-11")}
    assert own["submitted"] == 1 and sum(own.values()) == 1


def test_late_flag_follows_the_deadline(cast):
    from django.utils import timezone

    from jiangping.intake.models import Submission

    deadline = dt.date(2026, 11, 5)
    on_time = Submission(unit=cast.county_a, period="2026-10", form="indicators",
                         deadline=deadline,
                         submitted_at=dt.datetime(2026, 11, 5, 23, 30, tzinfo=dt.UTC))
    # 23:30 UTC on the 5th is already the 6th in China Standard Time.
    assert on_time.late
    on_time.submitted_at = dt.datetime(2026, 11, 5, 15, 0, tzinfo=dt.UTC)
    assert not on_time.late
    pending = Submission(unit=cast.county_a, period="2026-10", form="indicators",
                         deadline=timezone.localdate() + dt.timedelta(days=1))
    assert not pending.late
    pending.deadline = timezone.localdate() - dt.timedelta(days=1)
    assert pending.late
    assert not Submission(unit=cast.county_a, period="2026-10", form="indicators").late
