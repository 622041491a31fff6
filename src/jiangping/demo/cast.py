"""A small fixed cast for tests: one province, our city, two peer cities, three
counties with townships and villages, a city department, and users in every role
(东村's village cadre included).

The same names recur in every test: 甲区 (county A) reports; 乙县 (county B) must
see nothing of 甲区's; the city office (市督查室) sees and approves everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from jiangping.indicators.models import Direction, Indicator, Kind
from jiangping.orgs.models import Level, OrgUnit, Role, UnitGroup, User

PASSWORD = "cast-password-1"  # noqa: S105  (test cast only)


@dataclass
class Cast:
    province: OrgUnit
    city: OrgUnit
    peers: list[OrgUnit]
    county_a: OrgUnit
    county_b: OrgUnit
    county_c: OrgUnit
    zone: OrgUnit
    department: OrgUnit
    township_a: OrgUnit
    village_a: OrgUnit
    office: User
    reporter_a: User
    reporter_b: User
    leader: User
    admin: User
    cadre: User
    fai: Indicator
    fai_growth: Indicator
    revenue: Indicator
    pm10: Indicator
    loans: Indicator


def _unit(code, name, level, parent=None, group="", short="", synonyms="", order=0, home=False):
    return OrgUnit.objects.create(
        code=code, name=name, level=level, parent=parent, group=group, short_name=short,
        synonyms=synonyms, sort_order=order, is_home=home,
    )


def _user(username, unit, role, name):
    user = User(username=username, unit=unit, role=role, display_name=name)
    user.set_password(PASSWORD)
    user.save()
    return user


def build_cast() -> Cast:
    province = _unit("990000", "示例省", Level.PROVINCE)
    city = _unit("990100", "示例市", Level.CITY, province, home=True, order=1)
    peers = [
        _unit("990200", "样本市", Level.CITY, province, order=2),
        _unit("990300", "模拟市", Level.CITY, province, order=3),
    ]
    county_a = _unit("990102", "甲区", Level.COUNTY, city, UnitGroup.DISTRICT, order=1,
                     synonyms="甲")
    county_b = _unit("990121", "乙县", Level.COUNTY, city, UnitGroup.COUNTY, order=2,
                     synonyms="乙")
    county_c = _unit("990181", "丙市", Level.COUNTY, city, UnitGroup.COUNTY_CITY, order=3,
                     synonyms="丙")
    zone = _unit("990171", "示例高新区", Level.COUNTY, city, UnitGroup.ZONE, order=4,
                 short="高新区")
    department = _unit("D0101", "示例市发展和改革委员会", Level.DEPARTMENT, city,
                       UnitGroup.DEPARTMENT, short="市发改委", order=10)
    township_a = _unit("990102001", "甲区东街道", Level.TOWNSHIP, county_a)
    village_a = _unit("990102001001", "东村", Level.VILLAGE, township_a)
    _unit("990121001", "乙县北镇", Level.TOWNSHIP, county_b)

    fai = Indicator.objects.create(code="fai", name="固定资产投资", unit="亿元", kind=Kind.FLOW,
                                   direction=Direction.HIGHER, decimals=1, has_target=True,
                                   synonyms="固投,全社会固定资产投资", sort_order=1)
    fai_growth = Indicator.objects.create(
        code="fai_growth", name="固定资产投资增速", unit="%", kind=Kind.GROWTH,
        direction=Direction.HIGHER, decimals=1, growth_of=fai, sort_order=2,
        synonyms="固投增速",
    )
    revenue = Indicator.objects.create(code="revenue", name="一般公共预算收入", unit="亿元",
                                       kind=Kind.FLOW, decimals=2, has_target=True, sort_order=3)
    pm10 = Indicator.objects.create(code="pm10", name="PM10浓度", unit="μg/m³", kind=Kind.LEVEL,
                                    direction=Direction.LOWER, decimals=0, sort_order=4)
    loans = Indicator.objects.create(code="loans", name="金融机构贷款余额", unit="亿元",
                                     kind=Kind.STOCK, decimals=1, sort_order=5)
    return Cast(
        province=province, city=city, peers=peers, county_a=county_a, county_b=county_b,
        county_c=county_c, zone=zone, department=department, township_a=township_a,
        village_a=village_a,
        office=_user("office", city, Role.CITY_OFFICE, "市督查室"),
        reporter_a=_user("jiaqu", county_a, Role.REPORTER, "甲区填报员"),
        reporter_b=_user("yixian", county_b, Role.REPORTER, "乙县填报员"),
        leader=_user("leader", city, Role.LEADER, "市领导"),
        admin=_user("admin", city, Role.ADMIN, "系统管理员"),
        cadre=_user("cadre", village_a, Role.CADRE, "东村驻村干部"),
        fai=fai, fai_growth=fai_growth, revenue=revenue, pm10=pm10, loans=loans,
    )

