"""Scoping with the fixed cast: who sees and writes which org units."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from jiangping.indicators.models import Value
from jiangping.orgs.models import OrgUnit, Role, User
from jiangping.orgs.scope import Scope


def names(scope):
    return set(scope.units().values_list("name", flat=True))


def test_city_office_sees_and_writes_the_whole_city(cast):
    scope = Scope.for_user(cast.office)
    assert scope.can_write and scope.is_city_office
    seen = names(scope)
    city = {"示例市", "甲区", "乙县", "丙市", "示例高新区", "甲区东街道", "东村", "乙县北镇"}
    assert city <= seen
    assert "示例省" not in seen and not seen & {p.name for p in cast.peers}
    for unit in (cast.county_a, cast.county_b, cast.village_a, cast.department):
        scope.require_write(unit)
    with pytest.raises(PermissionDenied):
        scope.require_read(cast.peers[0])
    scope.require_city_office()


def test_county_user_sees_only_its_subtree(cast):
    scope = Scope.for_user(cast.reporter_a)
    assert names(scope) == {"甲区", "甲区东街道", "东村"}
    assert scope.can_write and not scope.is_city_office
    for unit in (cast.county_a, cast.township_a, cast.village_a):
        assert scope.contains(unit)
        scope.require_write(unit)
    for unit in (cast.city, cast.county_b, cast.province, cast.department):
        assert not scope.contains(unit)
    with pytest.raises(PermissionDenied):
        scope.require_city_office()


def test_other_county_is_refused(cast):
    scope = Scope.for_user(cast.reporter_b)
    assert names(scope) == {"乙县", "乙县北镇"}
    for unit in (cast.county_a, cast.township_a, cast.village_a):
        with pytest.raises(PermissionDenied):
            scope.require_read(unit)
        with pytest.raises(PermissionDenied):
            scope.require_write(unit)


def test_filter_restricts_rows_to_the_subtree(cast):
    for unit in (cast.county_a, cast.village_a, cast.county_b):
        Value.objects.create(indicator=cast.fai, unit=unit, period="2019-11", value=1)
    rows = Scope.for_user(cast.reporter_b).filter(Value.objects.all())
    assert [v.unit for v in rows] == [cast.county_b]
    assert Scope.for_user(cast.reporter_a).filter(Value.objects.all()).count() == 2
    assert Scope.for_user(cast.office).filter(Value.objects.all()).count() == 3


def test_leader_reads_but_never_writes(cast):
    scope = Scope.for_user(cast.leader)
    assert not scope.can_write
    scope.require_read(cast.village_a)
    for unit in (cast.city, cast.county_a):
        with pytest.raises(PermissionDenied):
            scope.require_write(unit)


def test_admin_and_operator_have_everything(cast):
    for scope in (Scope.for_user(cast.admin), Scope.operator()):
        assert scope.root_path is None and scope.can_write and scope.is_city_office
        assert scope.units().count() == OrgUnit.objects.count()
        scope.require_write(cast.peers[0])
        scope.require_write(cast.province)


def test_refused_without_login_or_unit(cast):
    with pytest.raises(PermissionDenied):
        Scope.for_user(AnonymousUser())
    with pytest.raises(PermissionDenied):
        Scope.for_user(None)
    orphan = User.objects.create(username="orphan", role=Role.REPORTER)
    with pytest.raises(PermissionDenied):
        Scope.for_user(orphan)


def test_sibling_with_a_common_prefix_is_not_inside(cast):
    """Paths end with a slash, so unit 1 never contains unit 12 by string prefix."""
    sibling = OrgUnit.objects.create(code="X1", name="同级", level="county", parent=cast.city)
    nested = OrgUnit.objects.create(code="X2", name="下级", level="township", parent=sibling)
    scope = Scope.for_user(cast.reporter_a)
    assert not scope.contains(sibling) and not scope.contains(nested)
