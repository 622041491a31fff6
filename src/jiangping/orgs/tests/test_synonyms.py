"""Names learnt while confirming a speech (讲话分解): a unit's name as written is kept as
a synonym (别名) of the unit the office maps it to, or becomes a new unit; both are the
city office's, refuse a name another unit holds, and change nothing when refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiangping.orgs.models import Level, OrgUnit
from jiangping.orgs.services import add_synonym, create_unit, unit_forms


def reloaded(unit):
    return OrgUnit.objects.get(pk=unit.pk)


def test_a_synonym_is_added_once(cast):
    assert add_synonym(cast.department, "市发展改革局", cast.office) is True
    assert reloaded(cast.department).synonyms == "市发展改革局"
    assert add_synonym(cast.department, " 市发展改革局 ", cast.office) is False
    assert add_synonym(cast.department, "市发改委", cast.office) is False  # its short name
    assert add_synonym(cast.county_b, "乙县", cast.office) is False  # its name
    assert reloaded(cast.department).synonyms == "市发展改革局"


def test_synonyms_accumulate_after_the_existing_ones(cast):
    assert add_synonym(cast.county_b, "乙县人民政府", cast.office)
    assert add_synonym(cast.county_b, "乙县政府", cast.admin)
    unit = reloaded(cast.county_b)
    assert unit.synonyms == "乙,乙县人民政府,乙县政府"
    assert unit_forms(unit) == ["乙县", "乙", "乙县人民政府", "乙县政府"]


@pytest.mark.parametrize("surface", ["甲区", "高新区", "示例市发展和改革委员会"])
def test_a_name_of_another_unit_is_refused(cast, surface):
    with pytest.raises(ValidationError) as refused:
        add_synonym(cast.county_b, surface, cast.office)
    assert "不能再作为“乙县”的别名" in refused.value.messages[0]
    assert reloaded(cast.county_b).synonyms == "乙"


def test_a_synonym_learnt_by_one_unit_is_refused_to_another(cast):
    add_synonym(cast.county_a, "县工业园区管委会", cast.office)
    with pytest.raises(ValidationError) as refused:
        add_synonym(cast.county_b, "县工业园区管委会", cast.office)
    assert refused.value.messages == [
        "“县工业园区管委会”已是“甲区”的名称或别名，不能再作为“乙县”的别名。"]


def test_a_part_of_a_longer_synonym_is_no_conflict(cast):
    add_synonym(cast.county_a, "甲区工业园区管委会", cast.office)
    assert add_synonym(cast.county_b, "工业园区管委会", cast.office)


@pytest.mark.parametrize("surface", ["", " 县", "甲,乙", "县财政局、县税务局", "长" * 51])
def test_what_is_not_a_name_is_refused(cast, surface):
    with pytest.raises(ValidationError):
        add_synonym(cast.county_b, surface, cast.office)
    assert reloaded(cast.county_b).synonyms == "乙"


def test_synonyms_may_not_outgrow_their_column(cast):
    cast.county_b.synonyms = "乙," + ",".join(f"乙县别名{n:03d}" for n in range(37))
    assert len(cast.county_b.synonyms) == 297
    cast.county_b.save()
    with pytest.raises(ValidationError) as refused:
        add_synonym(cast.county_b, "乙县人民政府驻地", cast.office)
    assert "别名已超过 300 字" in refused.value.messages[0]


@pytest.mark.parametrize("who", ["reporter_a", "reporter_b", "leader", "cadre"])
def test_only_the_city_office_names_units(cast, who):
    with pytest.raises(PermissionDenied):
        add_synonym(cast.county_a, "甲区政府", getattr(cast, who))
    with pytest.raises(PermissionDenied):
        create_unit("甲区国土资源局", Level.DEPARTMENT, cast.county_a, getattr(cast, who))
    assert reloaded(cast.county_a).synonyms == "甲"
    assert not OrgUnit.objects.filter(name="甲区国土资源局").exists()


def test_a_peer_citys_unit_is_outside_the_office(cast):
    with pytest.raises(PermissionDenied):
        add_synonym(cast.peers[0], "样本", cast.office)


def test_a_unit_is_created_under_its_parent(cast):
    bureau = create_unit("县国土资源局", Level.DEPARTMENT, cast.county_b, cast.office)
    assert (bureau.parent, bureau.level, bureau.group) == (cast.county_b, Level.DEPARTMENT, "")
    assert bureau.code == "D99012101" and bureau.is_within(cast.county_b)
    second = create_unit("县财政局", Level.DEPARTMENT, cast.county_b, cast.office)
    assert second.code == "D99012102" and second.sort_order == bureau.sort_order + 1
    town = create_unit("乙县南镇", Level.TOWNSHIP, cast.county_b, cast.office)
    assert town.code == "990121002"  # 乙县北镇 holds 001
    city_bureau = create_unit("市自然资源和规划局", Level.DEPARTMENT, cast.city, cast.office)
    assert city_bureau.group == "department"
    zone = create_unit("工业园区管委会", Level.COUNTY, cast.city, cast.office)
    assert zone.code == "990101" and zone.parent == cast.city


@pytest.mark.parametrize("name", ["乙县", "甲区东街道", "市发改委"])
def test_a_duplicate_unit_is_refused(cast, name):
    count = OrgUnit.objects.count()
    with pytest.raises(ValidationError) as refused:
        create_unit(name, Level.DEPARTMENT, cast.county_b, cast.office)
    assert "已存在" in refused.value.messages[0]
    assert OrgUnit.objects.count() == count


@pytest.mark.parametrize(("level", "parent"), [
    (Level.TOWNSHIP, "city"), (Level.COUNTY, "county_b"), (Level.DEPARTMENT, "township_a"),
    (Level.VILLAGE, "township_a"), (Level.DEPARTMENT, "province"),
])
def test_a_level_must_fit_its_parent(cast, level, parent):
    with pytest.raises((ValidationError, PermissionDenied)):
        create_unit("县国土资源局", level, getattr(cast, parent), cast.office)
    assert not OrgUnit.objects.filter(name="县国土资源局").exists()
