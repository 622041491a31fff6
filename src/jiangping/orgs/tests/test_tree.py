"""The org-unit tree: paths and depths follow moves, cycles and bad codes are refused."""

import pytest
from django.core.exceptions import ValidationError

from jiangping.orgs.models import Level, OrgUnit, Role, User, code_errors
from jiangping.orgs.scope import Scope


def test_moving_a_unit_carries_its_subtree(cast):
    village = cast.village_a
    assert (cast.township_a.depth, village.depth) == (3, 4)
    cast.township_a.parent = cast.county_b
    cast.township_a.save()
    village.refresh_from_db()
    assert village.path == f"{cast.county_b.path}{cast.township_a.pk}/{village.pk}/"
    assert village.depth == 4
    assert village.is_within(cast.county_b) and not village.is_within(cast.county_a)

    cast.county_a.parent = cast.province
    cast.county_a.save()
    cast.township_a.parent = cast.county_a
    cast.township_a.save()
    village.refresh_from_db()
    assert village.depth == 3
    assert village.path.count("/") - 2 == village.depth


def test_a_unit_cannot_move_under_its_own_subtree(cast):
    cast.county_a.parent = cast.village_a
    with pytest.raises(ValidationError):
        cast.county_a.save()
    cast.county_a.refresh_from_db()
    assert cast.county_a.parent == cast.city
    with pytest.raises(ValidationError):
        cast.county_a.parent = cast.county_a
        cast.county_a.full_clean()


@pytest.mark.parametrize(
    ("code", "level", "parent_code", "field"),
    [
        ("99010", Level.COUNTY, None, "code"),  # too short
        ("99A102", Level.COUNTY, None, "code"),  # not digits
        ("990102001", Level.TOWNSHIP, "990121", "code"),  # not under its county
        ("990102", Level.COUNTY, "990100", None),
        ("990102001001", Level.VILLAGE, "990102001", None),
        ("D0101", Level.DEPARTMENT, "990100", None),  # departments are free-form
    ],
)
def test_gb2260_codes(code, level, parent_code, field):
    parent = None
    if parent_code:
        parent_level = {6: Level.COUNTY, 9: Level.TOWNSHIP}[len(parent_code)]
        if parent_code.endswith("00"):
            parent_level = Level.CITY
        parent = OrgUnit(code=parent_code, level=parent_level, name="上级")
    errors = code_errors(code, level, parent)
    assert (field in errors) if field else not errors
    if field:
        assert code in errors[field]


def test_city_office_powers_belong_to_the_home_city_only(cast):
    misplaced = User.objects.create(username="misplaced", unit=cast.county_a,
                                    role=Role.CITY_OFFICE)
    assert Scope.for_user(cast.office).is_city_office
    assert not Scope.for_user(misplaced).is_city_office
    with pytest.raises(ValidationError):
        misplaced.full_clean()


def test_scope_filter_is_a_subtree_of_units(cast):
    from jiangping.indicators.models import Value

    Value.objects.create(indicator=cast.fai, unit=cast.village_a, period="2026-01", value=1)
    Value.objects.create(indicator=cast.fai, unit=cast.county_b, period="2026-01", value=2)
    scope = Scope.for_user(cast.reporter_a)
    assert list(scope.filter(Value.objects.all()).values_list("unit", flat=True)) == [
        cast.village_a.pk
    ]
    assert Scope.for_user(cast.office).filter(Value.objects.all()).count() == 2
