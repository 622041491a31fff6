"""Unit mentions resolved against a registry that keeps full names (东山县住房和城乡建设局):
only when name, level and county agree; otherwise unresolved, with likely units."""

import pytest

from jiangping.tasks import speechunits
from jiangping.tasks.tests.test_speech_modules import REGISTRY
from jiangping.tasks.unitresolve import (
    Gazetteer,
    Home,
    Mention,
    UnitEntry,
    infer_home,
    organ_of,
    resolve,
    short_organ,
)

REG = Gazetteer.build([
    UnitEntry("青川市", "", "", "city"),
    UnitEntry("青川市住房和城乡建设局", "市住建局", "", "department"),
    UnitEntry("青川市自然资源和规划局", "市自然资源局", "市国土局", "department"),
    UnitEntry("东山县", "", "", "county"),
    UnitEntry("西河区", "", "", "county"),
    UnitEntry("东山县住房和城乡建设局", "", "", "department", "东山县"),
    UnitEntry("西河区住房和城乡建设局", "", "", "department", "西河区"),
    UnitEntry("东山县市场监督管理局", "", "市场监管东山分局", "department", "东山县"),
    UnitEntry("东山县财政局", "", "财政局", "department", "东山县"),
    UnitEntry("城关镇", "", "", "township", "东山县"),
])
CITY, EAST, WEST = Home("青川市", "city"), Home("东山县", "county"), Home("西河区", "county")


@pytest.mark.parametrize(("sentence", "home", "expected"), [
    # A short or long organ name is the registered full name at the same level and county.
    ("住建局要", EAST, ("住建局", "county", "东山县住房和城乡建设局")),
    ("县住房和城乡建设局要", EAST, ("县住房和城乡建设局", "county", "东山县住房和城乡建设局")),
    ("县住建局要", WEST, ("县住建局", "county", "西河区住房和城乡建设局")),
    ("西河区住建局要", EAST, ("西河区住建局", "county", "西河区住房和城乡建设局")),
    ("东山县住建局要", CITY, ("东山县住建局", "county", "东山县住房和城乡建设局")),
    ("县市场监管局要", EAST, ("县市场监管局", "county", "东山县市场监督管理局")),
    ("市住建局要", EAST, ("市住建局", "city", "青川市住房和城乡建设局")),
    ("市国土局要", EAST, ("市国土局", "city", "青川市自然资源和规划局")),
    # A registered synonym written with another level's character still names its unit.
    ("市场监管东山分局要", CITY, ("市场监管东山分局", "county", "东山县市场监督管理局")),
    # A bare registered form names the home county's unit only.
    ("财政局要", EAST, ("财政局", "county", "东山县财政局")),
    ("财政局要", WEST, ("财政局", "county", None)),
    ("财政局要", CITY, ("财政局", "city", None)),
    ("县财政局要", WEST, ("县财政局", "county", None)),
    ("城关镇要", EAST, ("城关镇", "township", "城关镇")),
])
def test_resolution(sentence, home, expected):
    [m] = speechunits.find_mentions(sentence, REG, home)
    assert (m.text, m.level, m.unit) == expected


def test_a_county_unit_unresolved_in_a_citys_text_lists_the_counties_first():
    [m] = speechunits.find_mentions("县住建局要", REG, CITY)
    assert m.unit is None
    assert m.candidates == ["东山县住房和城乡建设局", "西河区住房和城乡建设局",
                            "青川市住房和城乡建设局"]
    [m] = speechunits.find_mentions("财政局要", REG, WEST)
    assert m.candidates == ["东山县财政局"]


def test_a_registered_form_of_another_county_needs_its_owner():
    mention = Mention(0, 6, "县国土资源局", level="county")
    registry = Gazetteer.build([
        UnitEntry("东山县", "", "", "county"),
        UnitEntry("东山县自然资源局", "", "县国土资源局", "department", "东山县")])
    resolve(mention, registry, WEST)
    assert mention.unit is None
    mention = Mention(0, 6, "县国土资源局", level="county", owner="东山县")
    resolve(mention, registry, WEST)
    assert mention.unit == "东山县自然资源局"


@pytest.mark.parametrize(("text", "home", "expected"), [
    ("", "东山县城关镇", Home("东山县城关镇", "township")),
    ("", "青川城投集团", Home("青川城投集团", "city")),
    ("县委、县政府要求，东山县、西河区，东山县要", None, Home("东山县", "county")),
    ("县委要求，西河区要", None, Home("西河区", "county")),
    ("市委、市政府要求，全县要", None, Home("青川市", "city")),
])
def test_the_home_unit(text, home, expected):
    assert infer_home(text, REG, home) == expected


def test_the_places_of_the_registry_include_its_townships():
    assert [e.name for e in REG.places()] == ["青川市", "东山县", "西河区", "城关镇"]


def test_a_management_committee_is_a_guanweihui():
    assert short_organ("高新区管理委员会") == "高新区管委会"
    registry = Gazetteer.build([UnitEntry("青川市", "", "", "city"),
                                UnitEntry("青川市高新区管理委员会", "", "", "department")])
    [m] = speechunits.find_mentions("市高新区管委会要", registry, CITY)
    assert m.unit == "青川市高新区管理委员会"


@pytest.mark.parametrize(("name", "organ"), [
    ("县委", "县委"), ("市委", "市委"), ("镇政府", "政府"), ("县农业农村局", "农业农村局"),
])
def test_an_organ_without_its_level(name, organ):
    assert organ_of(name) == organ


@pytest.mark.parametrize(("sentence", "name"), [
    ("市发展和改革委要", "市发改委"),
    ("市发展改革委要", "市发改委"),
    ("市住房城乡建设局要", "市住建局"),
    ("市住房和城乡建设局要", "市住建局"),
])
def test_a_long_name_spoken_is_shown_by_its_usual_name(sentence, name):
    [m] = speechunits.find_mentions(sentence, REGISTRY, CITY)
    assert (m.unit, m.name) == (None, name)
