"""The deterministic synthetic province (演示数据生成器) for demos, tests and benchmarks.

``build(scale, seed)`` fills an empty database with a fictional province of 17
cities; the home city (本市) has ten county-level units, ten city departments,
townships and villages, monthly indicator values from 2018-01 to the latest
complete month for every county-level unit and every city (cities and the
province as published in the provincial bulletin, ``source = peer``), annual
targets, demo users in every role, the latest month's submissions (every earlier month
approved), and the latest month opened by the city office as the month under review.

The same seed and scale always give the same data: every random draw comes from
a ``random.Random`` seeded with the seed and a stable key (unit code, indicator
code), never from global state, dict ordering or the clock — except that the
latest month defaults to the month before today.
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.utils import timezone

from jiangping.core.periods import latest_complete_period, open_review_month
from jiangping.demo import series as S
from jiangping.demo.accounts import Login, build_history, build_submissions, build_users
from jiangping.demo.catalog import BY_CODE, CATALOG, STORED, Spec
from jiangping.demo.geography import SCALES, Geography, build_geography
from jiangping.demo.models import DemoDataset
from jiangping.demo.tasks_data import build_tasks, task_counts
from jiangping.indicators import bulk
from jiangping.indicators.approval import refresh_data_months
from jiangping.indicators.models import Indicator, Source, Target, Value
from jiangping.orgs.models import Level, OrgUnit, Role, User, home_city
from jiangping.orgs.scope import Scope

FIRST_YEAR = 2018
BATCH = 5000
STAGE_ROWS = 50_000  # values staged and merged at once


class DemoDataExists(Exception):
    """The database already holds data; the demo only builds into an empty one."""


@dataclass(frozen=True)
class Anomaly:
    """A deliberate flaw in the demo data for the quality checks to find."""

    kind: str  # outlier | growth_gap
    unit: str  # org-unit code
    indicator: str  # indicator code
    period: str
    note: str


@dataclass
class DemoSummary:
    scale: str
    seed: int
    first_period: str
    latest_period: str
    province: str
    city: str
    counts: dict[str, int]
    submissions: dict[str, int]
    logins: list[Login]
    anomalies: list[Anomaly]
    timings: dict[str, float] = field(default_factory=dict)
    tasks: dict[str, int] = field(default_factory=dict)  # supervision tasks by status


def period_of(first_year: int, t: int) -> str:
    return f"{first_year + t // 12:04d}-{t % 12 + 1:02d}"


def _parse(period: str) -> tuple[int, int]:
    year, month = (int(part) for part in period.split("-"))
    if not 1 <= month <= 12 or year < FIRST_YEAR:
        raise ValueError(f"期间“{period}”无效：应为 {FIRST_YEAR}-01 以后的 YYYY-MM。")
    return year, month


# --- series ------------------------------------------------------------------

class _Series:
    """All series of the build, keyed by (unit code, indicator code), from Jan of the year
    before ``FIRST_YEAR`` (so that the first stored year has a growth)."""

    def __init__(self, seed: int, months: int) -> None:
        self.seed = seed
        self.months = months
        self.start = FIRST_YEAR - 1
        self.data: dict[tuple[str, str], list] = {}
        self.plans: dict[tuple[str, str], dict[int, float]] = {}
        last_year = self.start + (months - 1) // 12
        self.macro = S.macro_effects(S.stream(seed, "macro"), self.start, last_year)

    def rng(self, code: str, spec: Spec) -> random.Random:
        return S.stream(self.seed, code, spec.code)

    def generate(self, code: str, profile: S.Profile) -> None:
        """The base series (everything but reported growths) of a unit with a profile."""
        for spec in CATALOG:
            rng, key = self.rng(code, spec), (code, spec.code)
            if spec.shape == "flow":
                self.data[key], self.plans[key] = S.flow(
                    spec, profile, rng, self.start, self.months, self.macro)
            elif spec.shape == "share":
                self.data[key] = S.share(spec, self.data[(code, spec.part_of)], rng)
            elif spec.shape == "stock":
                self.data[key] = S.stock(spec, profile, rng, self.start, self.months, self.macro)
            elif spec.shape == "pm":
                self.data[key] = S.particulates(spec, profile, rng, self.months)
            elif spec.shape == "ratio":
                self.data[key] = S.ratio(spec, self.data[(code, spec.part_of)], rng)
            elif spec.shape == "air_days":
                self.data[key] = S.air_days(spec, self.data[(code, spec.part_of)], rng)
            elif spec.shape == "coverage":
                self.data[key] = S.coverage(spec, rng, self.months)

    def aggregate(self, code: str, parts: list[str]) -> None:
        """A city or the province from its units: flows and balances add up, levels average."""
        for spec in CATALOG:
            if spec.shape == "growth":
                continue
            members = [self.data[(part, spec.code)] for part in parts]
            self.data[(code, spec.code)] = (
                S.add_up(members) if spec.aggregate == "sum" else S.average(members, spec.decimals)
            )

    def derive_growths(self, code: str) -> None:
        for spec in CATALOG:
            if spec.shape == "growth":
                self.data[(code, spec.code)] = S.growth(
                    spec, self.data[(code, spec.growth_of)], self.rng(code, spec))


def _plant_outliers(store: _Series, counties: list[OrgUnit], rng: random.Random) -> list[Anomaly]:
    """A few implausible monthly figures in the latest year (outliers for the quality scan)."""
    latest = store.months - 1
    found = []
    units = rng.sample(counties, 3)
    for unit, code in zip(units[:2], rng.sample(["fai", "funds_in_place", "trade"], 2),
                          strict=True):
        t = latest - rng.randint(0, min(2, latest % 12))
        factor = rng.uniform(4.0, 6.0)
        S.spike_flow(store.data[(unit.code, code)], t, factor, BY_CODE[code].decimals)
        found.append(Anomaly("outlier", unit.code, code, period_of(store.start, t),
                             f"{unit.name}当月{BY_CODE[code].name}约为常态的{factor:.0f}倍"))
    t = latest - rng.randint(1, 3)
    S.spike_level(store.data[(units[2].code, "pm10")], t, 2.4, 0)
    found.append(Anomaly("outlier", units[2].code, "pm10", period_of(store.start, t),
                         f"{units[2].name}PM10浓度突增至常态的2.4倍"))
    return found


def _plant_growth_gaps(store: _Series, counties: list[OrgUnit],
                       rng: random.Random) -> list[Anomaly]:
    """Reported growths of the latest month that disagree with the computed growth."""
    latest = store.months - 1
    found = []
    linked = ["fai_growth", "ind_inv_growth", "revenue_growth", "retail_growth"]
    for unit, code in zip(rng.sample(counties, 3), rng.sample(linked, 3), strict=True):
        gap = rng.uniform(1.5, 3.0) * rng.choice((-1, 1))
        series = store.data[(unit.code, code)]
        series[latest] = (series[latest] + S.to_decimal(gap, 1)).quantize(S.quantum(1))
        found.append(Anomaly("growth_gap", unit.code, code, period_of(store.start, latest),
                             f"{unit.name}报告{BY_CODE[code].name}与计算增速相差约{abs(gap):.1f}个百分点"))
    return found


def _compute(geo: Geography, seed: int, months: int) -> tuple[_Series, list[Anomaly]]:
    store = _Series(seed, months)
    for code in sorted(geo.profiles):
        store.generate(code, geo.profiles[code])
    home_counties = geo.counties[geo.home.code]
    anomalies = _plant_outliers(store, home_counties, S.stream(seed, "outliers"))
    for city in geo.cities:
        if city.code in geo.counties:
            store.aggregate(city.code, [u.code for u in geo.counties[city.code]])
    store.aggregate(geo.province.code, [city.code for city in geo.cities])
    for code in sorted({code for code, _ in store.data}):
        store.derive_growths(code)
    anomalies += _plant_growth_gaps(store, home_counties, S.stream(seed, "gaps"))
    return store, anomalies


# --- database ------------------------------------------------------------------

def _insert_indicators() -> dict[str, Indicator]:
    made: dict[str, Indicator] = {}
    for order, spec in enumerate(STORED, start=1):
        made[spec.code] = Indicator.objects.create(
            code=spec.code, name=spec.name, synonyms=spec.synonyms, unit=spec.unit,
            kind=spec.kind, direction=spec.direction, decimals=spec.decimals,
            growth_of=made.get(spec.growth_of) if spec.linked or spec.comparable else None,
            comparable_price=spec.comparable, has_target=spec.has_target, sort_order=order,
        )
    return made


def _stored_rows(geo: Geography, store: _Series):
    """Every value to store as (indicator code, unit, period, value, source)."""
    reported = {u.code for units in geo.counties.values() for u in units}
    first_t = (FIRST_YEAR - store.start) * 12
    periods = [period_of(store.start, t) for t in range(store.months)]
    for unit in geo.units:
        if (unit.code, "gdp") not in store.data:
            continue
        source = Source.REPORTED.value if unit.code in reported else Source.PEER.value
        for spec in STORED:
            values = store.data[(unit.code, spec.code)]
            for t in range(first_t, store.months):
                if values[t] is not None:
                    yield spec.code, unit, periods[t], values[t], source


def _insert_values(geo: Geography, store: _Series, indicators: dict[str, Indicator]) -> int:
    """Insert every value through the bulk path of imports (:mod:`jiangping.indicators.bulk`:
    ``COPY`` into a staging table on PostgreSQL, ``executemany`` on SQLite, then one
    set-based merge), in batches of :data:`STAGE_ROWS`: at city scale there are some
    10⁵ rows and at province scale 10⁶, too many to go through model instances."""
    updated = connection.ops.adapt_datetimefield_value(timezone.now())
    ids = {code: indicator.id for code, indicator in indicators.items()}
    total = 0
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for code, unit, period, value, source in _stored_rows(geo, store):
            batch.append((ids[code], unit.id, period, value, source))
            if len(batch) >= STAGE_ROWS:
                total += _merge_values(cursor, batch, updated)
                batch = []
        total += _merge_values(cursor, batch, updated)
    return total


def _merge_values(cursor, batch: list[tuple], updated) -> int:
    if not batch:
        return 0
    staged = bulk.stage(cursor, batch)
    created, _updated = bulk.merge(cursor, staged, updated, None)
    bulk.unstage(cursor, staged)
    return created


def _insert_targets(geo: Geography, store: _Series, indicators: dict[str, Indicator],
                    seed: int) -> int:
    """Annual targets: each county's plan −16 % to +4 %, the city's the sum of its counties'."""
    rows = []
    last_year = store.start + (store.months - 1) // 12
    for city in geo.cities:
        for spec in STORED:
            if not spec.has_target or city.code not in geo.counties:
                continue
            totals: dict[int, object] = {}
            for unit in geo.counties[city.code]:
                plans = store.plans[(unit.code, spec.code)]
                rng = S.stream(seed, "target", unit.code, spec.code)
                for year in range(FIRST_YEAR, last_year + 1):
                    value = S.to_decimal(plans[year] * rng.uniform(0.84, 1.04), spec.decimals)
                    rows.append(Target(indicator=indicators[spec.code], unit=unit, year=year,
                                       value=value))
                    totals[year] = totals.get(year, 0) + value
            rows += [Target(indicator=indicators[spec.code], unit=city, year=year, value=value)
                     for year, value in totals.items()]
    Target.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _fix_sequence() -> None:
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [OrgUnit]):
            cursor.execute(sql)


def build(scale: str = "small", seed: int = 1, with_passwords: bool = False,
          latest: str | None = None) -> DemoSummary:
    """Build the synthetic province into an empty database, in one transaction.

    ``with_passwords`` gives the demo users the demo password, and only in demo
    mode (``settings.DEMO_MODE``); otherwise their passwords are unusable.
    """
    if scale not in SCALES:
        raise ValueError(f"未知的规模“{scale}”：可选 {', '.join(SCALES)}。")
    latest = latest or latest_complete_period()
    year, month = _parse(latest)
    months = (year - FIRST_YEAR + 1) * 12 + month
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    with transaction.atomic():
        if OrgUnit.objects.exists() or Indicator.objects.exists() or User.objects.exists():
            raise DemoDataExists("数据库中已有组织机构、指标或用户数据。")
        geo = build_geography(seed, SCALES[scale])
        OrgUnit.objects.bulk_create(geo.units, batch_size=BATCH)
        _fix_sequence()
        lap("orgs")
        store, anomalies = _compute(geo, seed, months)
        lap("series")
        indicators = _insert_indicators()
        value_count = _insert_values(geo, store, indicators)
        refresh_data_months()
        lap("values")
        target_count = _insert_targets(geo, store, indicators, seed)
        lap("targets")
        users, logins = build_users(geo, with_passwords)
        submissions = build_submissions(geo, latest, users, seed)
        build_history(geo, f"{FIRST_YEAR}-01", latest, users)
        # The city office opens the latest month for review: every page opens on it.
        office = next(user for user in users if user.role == Role.CITY_OFFICE)
        open_review_month(Scope.operator(), latest, office)
        lap("users")
        tasks = build_tasks(geo, users, latest, seed)
        lap("tasks")
        DemoDataset.objects.create(scale=scale, seed=seed, latest_period=latest)
    counts = {
        "cities": len(geo.cities),
        "counties": geo.count(Level.COUNTY),
        "departments": len(geo.departments),
        "townships": geo.count(Level.TOWNSHIP),
        "villages": geo.count(Level.VILLAGE),
        "indicators": len(indicators),
        "values": value_count,
        "targets": target_count,
        "users": len(users),
    }
    return DemoSummary(
        scale=scale, seed=seed, first_period=f"{FIRST_YEAR}-01", latest_period=latest,
        province=geo.province.name, city=geo.home.name, counts=counts, submissions=submissions,
        logins=logins, anomalies=anomalies, timings=timings, tasks=tasks,
    )


def _digest(rows) -> str:
    digest = hashlib.sha256()
    for indicator, unit, period, value, source in rows:
        digest.update(f"{indicator}|{unit}|{period}|{value.normalize():f}|{source}\n".encode())
    return digest.hexdigest()


def values_checksum() -> str:
    """SHA-256 of every stored value, keyed by codes (independent of row ids)."""
    rows = Value.objects.order_by("indicator__code", "unit__code", "period").values_list(
        "indicator__code", "unit__code", "period", "value", "source")
    return _digest(rows.iterator(chunk_size=BATCH))


def expected_checksum(scale: str, seed: int, latest: str) -> str:
    """What :func:`values_checksum` gives after ``build(scale, seed, latest=latest)``,
    computed without a database."""
    year, month = _parse(latest)
    geo = build_geography(seed, SCALES[scale])
    store, _anomalies = _compute(geo, seed, (year - FIRST_YEAR + 1) * 12 + month)
    rows = sorted((code, unit.code, period, value, source)
                  for code, unit, period, value, source in _stored_rows(geo, store))
    return _digest(rows)


def existing_summary(dataset: DemoDataset) -> DemoSummary:
    """Describe a demo already in the database (reused by ``jiangping demo``)."""
    from django.conf import settings

    from jiangping.demo.accounts import DEMO_PASSWORD
    from jiangping.intake.models import Submission

    home = home_city()
    province = OrgUnit.objects.filter(level=Level.PROVINCE).first()
    levels = dict(
        OrgUnit.objects.values_list("level").annotate(n=models.Count("id")).order_by("level")
    )
    users = list(User.objects.select_related("unit").order_by("pk"))
    admin = next((u for u in users if u.username == "admin"), None)
    password = (
        DEMO_PASSWORD
        if settings.DEMO_MODE and admin is not None and admin.check_password(DEMO_PASSWORD)
        else None
    )
    states: dict[str, int] = {}
    for submission in Submission.objects.filter(period=dataset.latest_period, form="indicators"):
        states[submission.state] = states.get(submission.state, 0) + 1
        if submission.submitted_at and submission.late:
            states["late"] = states.get("late", 0) + 1
    counts = {
        "cities": levels.get(Level.CITY, 0),
        "counties": levels.get(Level.COUNTY, 0),
        "departments": levels.get(Level.DEPARTMENT, 0),
        "townships": levels.get(Level.TOWNSHIP, 0),
        "villages": levels.get(Level.VILLAGE, 0),
        "indicators": Indicator.objects.count(),
        "values": Value.objects.count(),
        "targets": Target.objects.count(),
        "users": len(users),
    }
    return DemoSummary(
        scale=dataset.scale, seed=dataset.seed, first_period=f"{FIRST_YEAR}-01",
        latest_period=dataset.latest_period, province=province.name if province else "",
        city=home.name if home else "", counts=counts, submissions=states,
        logins=[
            Login(u.username, password, u.role, u.unit.name if u.unit else "", u.display_name)
            for u in users
        ],
        anomalies=[], tasks=task_counts(),
    )
