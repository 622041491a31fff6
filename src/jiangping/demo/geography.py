"""The org-unit tree of the synthetic province (虚构省份的组织机构).

Units get explicit ids so that their materialised ``path`` and ``depth`` are known
before one bulk insert (``bulk_create`` bypasses ``OrgUnit.save``). Codes follow
GB/T 2260 under the fictional province prefix 99: city ``99CC00``, county-level unit
``99CCNN`` (districts 02…, counties 21…, functional zone 71, county-level city 81),
township ``+3 digits`` (街道 001…, 镇 101…, 乡 201…), village ``+3 digits`` (社区 001…,
村 201…). City departments are ``D`` + city number + department number.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from jiangping.demo.names import DEPARTMENTS, NameMaker
from jiangping.demo.series import Profile, stream
from jiangping.orgs.models import Level, OrgUnit, UnitGroup

PROVINCE_PREFIX = "99"
CITY_COUNT = 17
# The home city's county-level units: (group, count), in display order.
HOME_LAYOUT = (
    (UnitGroup.DISTRICT, 3), (UnitGroup.COUNTY, 5), (UnitGroup.COUNTY_CITY, 1),
    (UnitGroup.ZONE, 1),
)
FIRST_NUMBER = {
    UnitGroup.DISTRICT: 2, UnitGroup.COUNTY: 21, UnitGroup.ZONE: 71, UnitGroup.COUNTY_CITY: 81,
}
SUFFIX = {UnitGroup.DISTRICT: "区", UnitGroup.COUNTY: "县", UnitGroup.COUNTY_CITY: "市"}
SIZE = {  # economic size range of an average unit of each group
    UnitGroup.DISTRICT: (0.9, 1.8), UnitGroup.COUNTY: (0.5, 1.2),
    UnitGroup.COUNTY_CITY: (1.0, 1.6), UnitGroup.ZONE: (0.4, 0.8),
}
WEALTH = {
    UnitGroup.DISTRICT: 1.2, UnitGroup.COUNTY: 0.85, UnitGroup.COUNTY_CITY: 1.0,
    UnitGroup.ZONE: 1.1,
}


@dataclass(frozen=True)
class Scale:
    """How much of the province is filled in."""

    name: str
    townships: tuple[int, int]  # per county-level unit
    villages: tuple[int, int]  # per township
    peer_counties: bool  # peer cities get their own counties, townships and villages


SCALES = {
    "small": Scale("small", (1, 2), (1, 2), peer_counties=False),
    "city": Scale("city", (8, 14), (10, 22), peer_counties=False),
    "province": Scale("province", (8, 14), (10, 22), peer_counties=True),
}


@dataclass
class Geography:
    province: OrgUnit
    home: OrgUnit
    cities: list[OrgUnit]  # the home city first
    counties: dict[str, list[OrgUnit]]  # city code → its county-level units, where built
    departments: list[OrgUnit]
    profiles: dict[str, Profile]  # unit code → profile, for every unit that gets values
    units: list[OrgUnit] = field(default_factory=list)  # every unit, parents first

    def count(self, level: str) -> int:
        return sum(1 for unit in self.units if unit.level == level)


class _Tree:
    def __init__(self, first_id: int) -> None:
        self.next_id = first_id
        self.units: list[OrgUnit] = []

    def add(self, parent: OrgUnit | None, code: str, name: str, level: str, group: str = "",
            short: str = "", synonyms: str = "", order: int = 0, home: bool = False) -> OrgUnit:
        path = f"{parent.path if parent else '/'}{self.next_id}/"
        unit = OrgUnit(
            id=self.next_id, code=code, name=name, level=level, group=group, short_name=short,
            synonyms=synonyms, parent=parent, path=path, depth=path.count("/") - 2,
            sort_order=order, is_home=home,
        )
        self.next_id += 1
        self.units.append(unit)
        return unit


def _profile(rng: random.Random, group: str) -> Profile:
    low, high = SIZE[group]
    return Profile(
        size=rng.uniform(low, high),
        growth=min(0.13, max(0.01, rng.gauss(0.07, 0.02))),
        wealth=WEALTH[group] * rng.uniform(0.9, 1.1),
        air=rng.uniform(0.8, 1.25),
    )


def _peer_layout(rng: random.Random) -> tuple:
    return (
        (UnitGroup.DISTRICT, rng.randint(1, 3)), (UnitGroup.COUNTY, rng.randint(4, 8)),
        (UnitGroup.COUNTY_CITY, rng.randint(0, 2)),
    )


def build_geography(seed: int, scale: Scale, first_id: int = 1) -> Geography:
    names = NameMaker(stream(seed, "names"))
    tree = _Tree(first_id)
    province = tree.add(None, f"{PROVINCE_PREFIX}0000", names.stem("region") + "省",
                        Level.PROVINCE)
    cities = []
    for index in range(1, CITY_COUNT + 1):
        stem = names.stem("region")
        cities.append(tree.add(
            province, f"{PROVINCE_PREFIX}{index:02d}00", stem + "市", Level.CITY,
            synonyms=stem, order=index, home=index == 1,
        ))
    home = cities[0]
    profiles: dict[str, Profile] = {}
    counties: dict[str, list[OrgUnit]] = {}
    counties[home.code] = _counties(tree, names, home, HOME_LAYOUT, seed, profiles)
    departments = [
        tree.add(home, f"D01{n:02d}", home.name + suffix, Level.DEPARTMENT, UnitGroup.DEPARTMENT,
                 short=short, synonyms=short.removeprefix("市"), order=100 + n)
        for n, (suffix, short) in enumerate(DEPARTMENTS, start=1)
    ]
    for city in cities[1:]:
        rng = stream(seed, "profile", city.code)
        if scale.peer_counties:
            counties[city.code] = _counties(tree, names, city, _peer_layout(rng), seed, profiles)
        else:
            profiles[city.code] = Profile(
                size=rng.uniform(6, 15), growth=min(0.12, max(0.02, rng.gauss(0.065, 0.015))),
                wealth=rng.uniform(0.8, 1.25), air=rng.uniform(0.75, 1.3),
            )
    for city_counties in counties.values():
        for county in city_counties:
            _townships(tree, county, scale, seed)
    return Geography(province, home, cities, counties, departments, profiles, tree.units)


def _counties(tree: _Tree, names: NameMaker, city: OrgUnit, layout, seed: int,
              profiles: dict[str, Profile]) -> list[OrgUnit]:
    units = []
    order = 0
    for group, count in layout:
        for n in range(count):
            order += 1
            code = f"{city.code[:4]}{FIRST_NUMBER[group] + n:02d}"
            if group == UnitGroup.ZONE:
                stem = city.name.removesuffix("市")
                unit = tree.add(city, code, stem + "高新技术产业开发区", Level.COUNTY, group,
                                short="高新区", synonyms=f"{stem}高新区,高新区", order=order)
            else:
                stem = names.stem("region")
                unit = tree.add(city, code, stem + SUFFIX[group], Level.COUNTY, group,
                                synonyms=stem, order=order)
            profiles[code] = _profile(stream(seed, "profile", code), group)
            units.append(unit)
    return units


def _townships(tree: _Tree, county: OrgUnit, scale: Scale, seed: int) -> None:
    rng = stream(seed, "towns", county.code)
    names = NameMaker(rng)
    count = rng.randint(*scale.townships)
    if county.group == UnitGroup.ZONE:
        count = max(1, count // 3)
    numbers = {"街道": 1, "镇": 101, "乡": 201}
    for n in range(count):
        if county.group in (UnitGroup.DISTRICT, UnitGroup.ZONE) or (
            county.group == UnitGroup.COUNTY_CITY and n < 2
        ):
            kind = "街道"
        else:
            kind = "镇" if rng.random() < 0.7 else "乡"
        township = tree.add(county, f"{county.code}{numbers[kind]:03d}",
                            names.stem(county.code) + kind, Level.TOWNSHIP, order=n + 1)
        numbers[kind] += 1
        village_number = {"社区": 1, "村": 201}
        for m in range(rng.randint(*scale.villages)):
            village_kind = "社区" if kind == "街道" or m == 0 else "村"
            tree.add(township, f"{township.code}{village_number[village_kind]:03d}",
                     names.stem(township.code) + village_kind, Level.VILLAGE, order=m + 1)
            village_number[village_kind] += 1
