"""Writing and reading values and targets through the actions, with the fixed cast."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiangping.indicators import bulk, services, targets
from jiangping.indicators.models import Source, Target, Value
from jiangping.intake.models import State, Submission
from jiangping.orgs.scope import Scope

P = "2019-11"


def scope(user):
    return Scope.for_user(user)


def test_reporter_writes_own_subtree(cast):
    s = scope(cast.reporter_a)
    v = services.set_value(s, indicator=cast.fai, unit=cast.county_a, period=P, value=D("110.5"),
                           user=cast.reporter_a)
    assert v.value == D("110.5") and v.updated_by == cast.reporter_a
    assert v.source == Source.REPORTED
    services.set_value(s, indicator=cast.fai, unit=cast.village_a, period=P, value="3")
    again = services.set_value(s, indicator=cast.fai, unit=cast.county_a, period=P, value=D(111))
    assert again.pk == v.pk and Value.objects.get(pk=v.pk).value == D(111)
    assert services.set_value(s, indicator=cast.fai, unit=cast.county_a, period=P,
                              value=None) is None
    assert not Value.objects.filter(unit=cast.county_a).exists()


def test_other_county_and_read_only_roles_are_refused(cast):
    with pytest.raises(PermissionDenied):
        services.set_value(scope(cast.reporter_b), indicator=cast.fai, unit=cast.county_a,
                           period=P, value=D(1))
    with pytest.raises(PermissionDenied):
        services.set_value(scope(cast.leader), indicator=cast.fai, unit=cast.county_a,
                           period=P, value=D(1))
    assert not Value.objects.exists()
    services.set_value(scope(cast.office), indicator=cast.fai, unit=cast.county_b, period=P,
                       value=D(1))
    services.set_value(scope(cast.admin), indicator=cast.fai, unit=cast.county_c, period=P,
                       value=D(1))
    assert Value.objects.count() == 2


def test_county_cannot_read_another_county(cast):
    services.set_value(Scope.operator(), indicator=cast.fai, unit=cast.county_a, period=P,
                       value=D(5))
    services.set_value(Scope.operator(), indicator=cast.fai, unit=cast.county_b, period=P,
                       value=D(6))
    with pytest.raises(PermissionDenied):
        services.values_for(scope(cast.reporter_b), units=[cast.county_a])
    own = services.values_for(scope(cast.reporter_b), periods=[P])
    assert [v.unit_id for v in own] == [cast.county_b.pk]
    assert services.values_for(scope(cast.office)).count() == 2
    assert services.values_for(scope(cast.leader), units=[cast.county_a]).count() == 1


def test_bad_period_and_value(cast):
    with pytest.raises(ValidationError):
        services.set_value(Scope.operator(), indicator=cast.fai, unit=cast.county_a,
                           period="2019-13", value=D(1))
    with pytest.raises(ValidationError):
        services.set_value(Scope.operator(), indicator=cast.fai, unit=cast.county_a,
                           period=P, value="abc")
    with pytest.raises(ValidationError):
        services.upsert_values(Scope.operator(), [(cast.fai, cast.county_a, "2019/11", 1)])


def test_locked_submission_refuses_writes(cast):
    services.set_value(Scope.operator(), indicator=cast.fai, unit=cast.county_a, period=P,
                       value=D(5))
    Submission.objects.create(unit=cast.county_a, period=P, form="indicators",
                              state=State.APPROVED)
    for user in (cast.reporter_a, cast.office):
        with pytest.raises(ValidationError, match="锁定"):
            services.set_value(scope(user), indicator=cast.fai, unit=cast.county_a, period=P,
                               value=D(7))
    with pytest.raises(ValidationError) as refused:
        services.upsert_values(scope(cast.office), [
            (cast.fai, cast.county_b, P, D(1)),
            (cast.fai, cast.county_a, P, D(9)),
        ])
    assert refused.value.messages == [
        "“甲区”2019年11月的指标数据已审核锁定，请先在“审核”页面解锁“甲区”2019年11月的报送。"]
    assert refused.value.row == 1  # the row it refuses, for the caller to name
    assert Value.objects.get().value == D(5)
    services.set_value(scope(cast.reporter_a), indicator=cast.fai, unit=cast.county_a,
                       period="2019-10", value=D(4))
    Submission.objects.filter(unit=cast.county_a).update(state=State.RETURNED)
    services.set_value(scope(cast.reporter_a), indicator=cast.fai, unit=cast.county_a,
                       period=P, value=D(7))


def test_peer_values_are_city_office_only(cast):
    peer = cast.peers[0]
    v = services.set_value(scope(cast.office), indicator=cast.fai_growth, unit=peer, period=P,
                           value=D("6.1"))
    assert v.source == Source.PEER
    for user in (cast.reporter_a, cast.leader):
        with pytest.raises(PermissionDenied):
            services.set_value(scope(user), indicator=cast.fai_growth, unit=peer, period=P,
                               value=D(1))
    with pytest.raises(PermissionDenied):
        services.set_value(scope(cast.reporter_a), indicator=cast.fai_growth,
                           unit=cast.county_a, period=P, value=D(1), source=Source.PEER)
    created, updated = services.upsert_values(
        scope(cast.office), [(cast.fai_growth, p, P, D(7)) for p in cast.peers],
        source=Source.PEER,
    )
    assert (created, updated) == (1, 1)
    assert services.values_for(scope(cast.reporter_a), units=[peer]).get().value == D(7)


def test_upsert_counts_and_idempotency(cast):
    op = Scope.operator()
    rows = [
        (cast.fai, cast.county_a, P, D("110")),
        (cast.fai.pk, cast.county_b.pk, P, "90.5"),
        (cast.pm10, cast.county_a, "2019-10", 80),
    ]
    assert services.upsert_values(op, rows, user=cast.office) == (3, 0)
    stamps = dict(Value.objects.values_list("pk", "updated"))
    assert services.upsert_values(op, rows) == (0, 0)
    assert dict(Value.objects.values_list("pk", "updated")) == stamps
    assert Value.objects.filter(updated_by=cast.office).count() == 3
    assert Value.objects.count() == 3
    changed = [(cast.fai, cast.county_a, P, D("111")), (cast.fai, cast.county_c, P, D(1)),
               (cast.fai, cast.county_c, P, D(2)), (cast.revenue, cast.county_c, P, None)]
    assert services.upsert_values(op, changed) == (1, 1)
    got = {(v.unit_id, v.indicator_id, v.period): v.value for v in Value.objects.all()}
    assert got[cast.county_a.pk, cast.fai.pk, P] == D(111)
    assert got[cast.county_b.pk, cast.fai.pk, P] == D("90.5")
    assert got[cast.county_c.pk, cast.fai.pk, P] == D(2)
    assert Value.objects.filter(updated_by=cast.office).count() == 2
    assert services.upsert_values(op, [(cast.fai, cast.county_b, P, D("90.50000001"))]) == (0, 0)
    assert services.upsert_values(op, [(cast.fai, cast.county_b, P, D("90.501"))]) == (0, 1)
    assert services.upsert_values(op, []) == (0, 0)


@pytest.mark.parametrize("array_rows", [0, bulk.ARRAY_ROWS])
def test_upsert_mixes_new_and_stored_keys_and_leaves_other_rows(cast, monkeypatch, array_rows):
    """Through the staging table and without it (a few rows), alike."""
    monkeypatch.setattr(bulk, "ARRAY_ROWS", array_rows)
    op = Scope.operator()
    before = [
        (cast.fai, cast.county_a, P, D(1)),
        (cast.pm10, cast.county_a, P, D(2)),
        (cast.fai, cast.county_b, P, D(3)),
        (cast.fai, cast.county_a, "2019-10", D(4)),
        (cast.pm10, cast.county_c, "2019-10", D(5)),
    ]
    assert services.upsert_values(op, before, user=cast.office) == (5, 0)
    ids = {(v.indicator_id, v.unit_id, v.period): v.pk for v in Value.objects.all()}
    others = {
        v.pk: (v.value, v.source, v.updated, v.updated_by_id)
        for v in Value.objects.exclude(pk__in=[ids[cast.fai.pk, cast.county_a.pk, P],
                                               ids[cast.pm10.pk, cast.county_a.pk, P]])
    }
    mixed = [
        (cast.fai, cast.county_a, P, D("1.5")),
        (cast.pm10, cast.county_b, P, D(20)),
        (cast.pm10, cast.county_a, P, D("2.5")),
        (cast.fai.pk, cast.county_c.pk, P, D(30)),
        (cast.fai, cast.county_a, "2019-12", D(40)),
    ]
    assert services.preview_values(op, mixed) == (3, 2)
    assert Value.objects.count() == 5  # a preview writes nothing
    assert services.upsert_values(op, mixed) == (3, 2)
    got = {(v.indicator_id, v.unit_id, v.period): v for v in Value.objects.all()}
    assert len(got) == 8
    for indicator, unit, period, value in mixed:
        row = got[indicator if isinstance(indicator, int) else indicator.pk,
                  unit if isinstance(unit, int) else unit.pk, period]
        assert row.value == value and row.updated_by_id is None
    assert got[cast.fai.pk, cast.county_a.pk, P].pk == ids[cast.fai.pk, cast.county_a.pk, P]
    assert got[cast.pm10.pk, cast.county_a.pk, P].pk == ids[cast.pm10.pk, cast.county_a.pk, P]
    assert {
        v.pk: (v.value, v.source, v.updated, v.updated_by_id)
        for v in Value.objects.filter(pk__in=others)
    } == others


def test_upsert_outside_scope_writes_nothing(cast):
    rows = [(cast.fai, cast.county_a, P, D(1)), (cast.fai, cast.county_b, P, D(2))]
    with pytest.raises(PermissionDenied):
        services.upsert_values(scope(cast.reporter_a), rows)
    with pytest.raises(PermissionDenied):
        services.upsert_values(scope(cast.leader), rows[:1])
    assert not Value.objects.exists()


def test_upsert_checks_scope_and_lock_once(cast, django_assert_max_num_queries):
    rows = [(cast.fai, cast.county_a, f"2019-{m:02d}", D(m)) for m in range(1, 13)]
    rows += [(cast.revenue, cast.village_a, f"2019-{m:02d}", D(m)) for m in range(1, 13)]
    # units, the writers' lock (one statement, PostgreSQL only), the month locks, then
    # existing keys and the insert (in a savepoint), and the months index: a recount of
    # the months written and its upsert
    with django_assert_max_num_queries(9):
        assert services.upsert_values(scope(cast.reporter_a), rows) == (24, 0)


def test_targets(cast):
    t = targets.set_target(scope(cast.office), indicator=cast.fai, unit=cast.county_a,
                            year=2019, value=D(120))
    assert t.value == D(120)
    with pytest.raises(PermissionDenied):
        targets.set_target(scope(cast.reporter_a), indicator=cast.fai, unit=cast.county_a,
                            year=2019, value=D(1))
    with pytest.raises(PermissionDenied):
        targets.set_target(scope(cast.leader), indicator=cast.fai, unit=cast.county_a,
                            year=2019, value=D(1))
    with pytest.raises(ValidationError):
        targets.set_target(scope(cast.office), indicator=cast.fai, unit=cast.county_a,
                            year="20x9", value=D(1))
    rows = [(cast.fai, cast.county_a, 2019, D(130)), (cast.fai, cast.county_b, 2019, D(100))]
    assert targets.upsert_targets(scope(cast.office), rows) == (1, 1)
    assert targets.upsert_targets(scope(cast.office), rows) == (0, 0)
    assert Target.objects.get(unit=cast.county_a).value == D(130)
    with pytest.raises(PermissionDenied):
        targets.upsert_targets(scope(cast.reporter_a), rows[:1])
    with pytest.raises(PermissionDenied):
        targets.targets_for(scope(cast.reporter_b), units=[cast.county_a])
    assert targets.targets_for(scope(cast.reporter_b), year=2019).get().unit == cast.county_b
    targets.set_target(scope(cast.office), indicator=cast.fai, unit=cast.county_a, year=2019,
                        value=None)
    assert Target.objects.count() == 1


@pytest.mark.parametrize("value, reason", [
    (D(0), "须大于零"), (D("-50"), "须大于零"), ("0.0000001", "过小")])
def test_targets_must_be_above_zero(cast, value, reason):
    office = scope(cast.office)
    with pytest.raises(ValidationError, match=reason):
        targets.set_target(office, indicator=cast.fai, unit=cast.county_a, year=2019,
                            value=value)
    rows = [(cast.fai, cast.county_b, 2019, D(100)), (cast.fai, cast.county_a, 2019, value)]
    with pytest.raises(ValidationError, match=reason):
        targets.upsert_targets(office, rows)
    assert not Target.objects.exists()


@pytest.mark.parametrize("value", [D("1e20"), "99999999999999", D("-12345678901234.5"),
                                   D("9999999999999.9999999")])
def test_numbers_beyond_the_stored_range_are_refused(cast, value):
    op = Scope.operator()
    with pytest.raises(ValidationError, match="超出范围"):
        services.set_value(op, indicator=cast.fai, unit=cast.county_a, period=P, value=value)
    with pytest.raises(ValidationError, match="整数部分最多 13 位"):
        services.upsert_values(op, [(cast.fai, cast.county_a, P, value)])
    with pytest.raises(ValidationError, match="超出范围"):
        targets.upsert_targets(op, [(cast.fai, cast.county_a, 2019, value)])
    assert not Value.objects.exists() and not Target.objects.exists()


def test_numbers_are_rounded_to_six_decimals(cast):
    op = Scope.operator()
    services.upsert_values(op, [(cast.fai, cast.county_a, P, D("12.1234565")),
                                (cast.revenue, cast.county_a, P, D("999999999.9999994"))])
    services.set_value(op, indicator=cast.pm10, unit=cast.county_a, period=P,
                       value="0.12345649")
    got = {v.indicator_id: v.value for v in Value.objects.all()}
    assert got[cast.fai.pk] == D("12.123457") and got[cast.pm10.pk] == D("0.123456")
    assert got[cast.revenue.pk] == D("999999999.999999")


# Every number with at most 15 significant digits, 13 of them integer, comes back as written.
EXACT = [D("1234567890123.45"), D("9999999999999.99"), D("-999999999.999999"),
         D("123456789.123456"), D("1234567890123"), D("0.000001"), D("0.1")]


@pytest.mark.parametrize("value", EXACT)
def test_accepted_numbers_read_back_as_written(cast, value):
    op = Scope.operator()
    key = {"indicator": cast.fai, "unit": cast.county_a, "period": P}
    assert services.upsert_values(op, [(cast.fai, cast.county_a, P, value)]) == (1, 0)
    assert Value.objects.get(**key).value == value
    assert services.upsert_values(op, [(cast.fai, cast.county_a, P, value)]) == (0, 0)
    services.set_value(op, **key, value=value)
    assert Value.objects.get(**key).value == value
    assert targets.upsert_targets(op, [(cast.fai, cast.county_a, 2019, abs(value))]) == (1, 0)
    assert Target.objects.get(indicator=cast.fai, unit=cast.county_a).value == abs(value)
    assert targets.upsert_targets(op, [(cast.fai, cast.county_a, 2019, abs(value))]) == (0, 0)


@pytest.mark.parametrize("value", [D("1234567890123.456789"), D("9999999999999.999999"),
                                   "1234567890.1234567", D("-123456789012.3456")])
def test_more_than_15_significant_digits_are_refused_by_name(cast, value):
    op = Scope.operator()
    message = f"数值“{value}”的有效数字超过 15 位"
    for write in (
        lambda: services.upsert_values(op, [(cast.fai, cast.county_a, P, value)]),
        lambda: services.set_value(op, indicator=cast.fai, unit=cast.county_a, period=P,
                                   value=value),
        lambda: targets.upsert_targets(op, [(cast.fai, cast.county_a, 2019, value)]),
    ):
        with pytest.raises(ValidationError) as refused:
            write()
        assert message in refused.value.messages[0]
    assert not Value.objects.exists() and not Target.objects.exists()


def test_submitted_month_is_locked_for_the_county_not_the_city_office(cast):
    services.set_value(Scope.operator(), indicator=cast.fai, unit=cast.county_a, period=P,
                       value=D(5))
    Submission.objects.create(unit=cast.county_a, period=P, form="indicators",
                              state=State.SUBMITTED)
    for unit in (cast.county_a, cast.village_a):
        with pytest.raises(ValidationError, match="报送，审核期间不能修改"):
            services.set_value(scope(cast.reporter_a), indicator=cast.fai, unit=unit,
                               period=P, value=D(7))
    with pytest.raises(ValidationError, match="随“甲区”的填报报送"):
        services.upsert_values(scope(cast.reporter_a), [(cast.fai, cast.township_a, P, D(1))])
    services.set_value(scope(cast.reporter_a), indicator=cast.fai, unit=cast.county_a,
                       period="2019-10", value=D(4))
    services.set_value(scope(cast.office), indicator=cast.fai, unit=cast.county_a, period=P,
                       value=D(6))
    assert services.upsert_values(scope(cast.office), [(cast.fai, cast.village_a, P, D(2))]) \
        == (1, 0)
    assert services.write_lock(scope(cast.office), cast.county_a, P) is None


def test_approval_locks_the_whole_subtree_for_everybody(cast):
    Submission.objects.create(unit=cast.county_a, period=P, form="indicators",
                              state=State.APPROVED)
    Submission.objects.create(unit=cast.township_a, period=P, form="indicators",
                              state=State.SUBMITTED)
    for user in (cast.reporter_a, cast.office):
        for unit in (cast.township_a, cast.village_a):
            with pytest.raises(ValidationError, match="随“甲区”的填报审核锁定"):
                services.upsert_values(scope(user), [(cast.fai, unit, P, D(1))])
    services.upsert_values(scope(cast.office), [(cast.fai, cast.county_b, P, D(1))])
    assert list(Value.objects.values_list("unit_id", flat=True)) == [cast.county_b.pk]


def test_refusals_carry_the_row_they_refuse(cast):
    rows = [(cast.fai, cast.county_b, P, D(1)), (cast.fai, cast.county_a, "2019-13", D(1))]
    with pytest.raises(ValidationError) as bad_period:
        services.upsert_values(scope(cast.office), rows)
    assert bad_period.value.row == 1
    with pytest.raises(PermissionDenied) as outside:
        services.upsert_values(scope(cast.reporter_b), [
            (cast.fai, cast.county_b, P, D(1)), (cast.fai, cast.county_a, P, D(1))])
    assert outside.value.row == 1
    with pytest.raises(ValidationError) as too_big:
        services.upsert_values(scope(cast.office), [
            (cast.fai, cast.county_b, P, None), (cast.fai, cast.county_b, P, D("1e20"))])
    assert too_big.value.row == 1
