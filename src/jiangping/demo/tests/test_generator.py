"""The synthetic province: deterministic, internally consistent, no passwords outside demo."""

from decimal import Decimal

from django.db.models import Sum
from django.test import TestCase

from jiangping.demo.generator import (
    DemoDataExists,
    build,
    expected_checksum,
    latest_complete_period,
    values_checksum,
)
from jiangping.demo.tasks_data import demo_today
from jiangping.indicators.models import Indicator, Kind, Source, Target, Value
from jiangping.intake.models import State, Submission
from jiangping.orgs.models import Level, OrgUnit, UnitGroup, User, code_errors
from jiangping.tasks.models import Notification, SourceKind, Status, Task
from jiangping.tasks.speech import EXAMPLES

LATEST = "2026-10"
TOLERANCE = Decimal("0.5")


def test_latest_period_is_the_last_complete_month():
    from datetime import date

    assert latest_complete_period(date(2026, 11, 27)) == "2026-10"
    assert latest_complete_period(date(2027, 1, 3)) == "2026-12"


def test_same_seed_same_values_other_seed_other_values():
    first = expected_checksum("small", 1, LATEST)
    assert expected_checksum("small", 1, LATEST) == first
    assert expected_checksum("small", 2, LATEST) != first


class SmallDemo(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.summary = build("small", seed=1, with_passwords=True, latest=LATEST)
        cls.home = OrgUnit.objects.get(is_home=True)
        cls.counties = list(OrgUnit.objects.filter(parent=cls.home, level=Level.COUNTY))

    def test_database_holds_exactly_the_generated_values(self):
        assert values_checksum() == expected_checksum("small", 1, LATEST)

    def test_builds_only_into_an_empty_database(self):
        with self.assertRaises(DemoDataExists):
            build("small", seed=1, latest=LATEST)

    def test_shape_of_the_province(self):
        counts = self.summary.counts
        assert counts["cities"] == 17 and counts["counties"] == 10 and counts["departments"] == 10
        assert counts["indicators"] >= 25
        assert {u.group for u in self.counties} == {
            UnitGroup.DISTRICT, UnitGroup.COUNTY, UnitGroup.COUNTY_CITY, UnitGroup.ZONE}
        assert self.home.code == "990100"
        assert all(u.code.startswith("99") for u in OrgUnit.objects.exclude(level="department"))
        for unit in OrgUnit.objects.select_related("parent"):
            assert not code_errors(unit.code, unit.level, unit.parent), unit.code
            parent_path = unit.parent.path if unit.parent else "/"
            assert unit.path == f"{parent_path}{unit.pk}/"
            assert unit.depth == unit.path.count("/") - 2
        # New units still get fresh ids after the explicit-id bulk insert.
        extra = OrgUnit.objects.create(code="990199", name="测试区", level=Level.COUNTY,
                                       parent=self.home)
        assert extra.path == f"{self.home.path}{extra.pk}/"

    def test_every_month_for_every_county_and_city(self):
        months = (2026 - 2018) * 12 + 10
        indicators = Indicator.objects.count()
        units = OrgUnit.objects.filter(level__in=[Level.COUNTY, Level.CITY, Level.PROVINCE])
        assert Value.objects.count() == months * indicators * units.count()
        assert not Value.objects.filter(unit__level=Level.CITY, source=Source.REPORTED).exists()
        assert not Value.objects.filter(unit__level=Level.COUNTY, source=Source.PEER).exists()

    def test_cumulative_flows_never_decrease_within_a_year(self):
        rows = Value.objects.filter(indicator__kind=Kind.FLOW).order_by(
            "indicator", "unit", "period").values_list("indicator", "unit", "period", "value")
        previous = None
        for indicator, unit, period, value in rows.iterator():
            key = (indicator, unit, period[:4])
            if previous and previous[0] == key:
                assert value >= previous[1], (key, period)
            assert value >= 0
            previous = (key, value)

    def test_home_city_flows_are_the_sum_of_its_counties(self):
        for code in ("fai", "revenue", "new_projects", "loans"):
            city = Value.objects.get(indicator__code=code, unit=self.home, period=LATEST).value
            total = Value.objects.filter(
                indicator__code=code, unit__in=self.counties, period=LATEST
            ).aggregate(total=Sum("value"))["total"]
            assert city == total, code

    def test_every_county_and_the_city_have_targets_every_year(self):
        targeted = list(Indicator.objects.filter(has_target=True))
        assert len(targeted) >= 3
        for unit in [*self.counties, self.home]:
            for indicator in targeted:
                years = set(Target.objects.filter(unit=unit, indicator=indicator)
                            .values_list("year", flat=True))
                assert years == set(range(2018, 2027)), (unit, indicator)

    def test_reported_growth_within_tolerance_except_the_planted_gaps(self):
        gaps = {(a.unit, a.indicator) for a in self.summary.anomalies if a.kind == "growth_gap"}
        assert len(gaps) >= 2
        last_year = f"{int(LATEST[:4]) - 1}{LATEST[4:]}"
        # A growth at comparable prices (GDP's) is paired with its flow but not checked.
        for growth in Indicator.objects.filter(growth_of__isnull=False, comparable_price=False):
            for unit in self.counties:
                cum = {v.period: v.value for v in Value.objects.filter(
                    indicator=growth.growth_of, unit=unit, period__in=[LATEST, last_year])}
                reported = Value.objects.get(indicator=growth, unit=unit, period=LATEST).value
                computed = (cum[LATEST] / cum[last_year] - 1) * 100
                beyond = abs(reported - computed) > TOLERANCE
                assert beyond == ((unit.code, growth.code) in gaps), (unit, growth)

    def test_submissions_of_the_latest_month_in_mixed_states(self):
        submissions = list(Submission.objects.filter(period=LATEST, form="indicators"))
        assert len(submissions) == len(self.counties)
        states = [s.state for s in submissions]
        assert states.count(State.RETURNED) == 1
        assert states.count(State.DRAFT) == 1
        assert states.count(State.APPROVED) >= 1 and states.count(State.SUBMITTED) >= 1
        assert sum(1 for s in submissions if s.submitted_at and s.late) == 1
        assert all(s.events.exists() for s in submissions if s.state != State.DRAFT)

    def test_tasks_come_from_the_two_speeches_in_every_state(self):
        from datetime import date

        tasks = list(Task.objects.select_related("lead_unit").prefetch_related("co_units"))
        assert len(tasks) == sum(self.summary.tasks.values()) >= 40
        assert {task.status for task in tasks} == set(Status.values)
        speeches = {title: day for title, day, _file in EXAMPLES.values()}
        from_speeches = [task for task in tasks if task.source_title in speeches]
        # Every proposal the registry gives a lead unit: 7 of 10 in the November speech,
        # 6 of 9 in the first-quarter one; and the three led by 各县(市、区) (two and one),
        # decomposed into one task per county-level unit but the zone (分解到各县).
        counties = [u for u in self.counties if u.group != UnitGroup.ZONE]
        assert len(counties) == 9
        assert len(from_speeches) == 13 + 3 * len(counties)
        assert len(from_speeches) > len(tasks) / 2
        assert {task.status for task in from_speeches} == set(Status.values)
        assert {task.source_title for task in from_speeches} == set(speeches)
        per_county = {}
        for task in from_speeches:
            per_county.setdefault((task.source_title, task.title), []).append(task)
        split = {key: rows for key, rows in per_county.items() if len(rows) > 1}
        assert len(split) == 3
        for rows in split.values():
            assert sorted(t.lead_unit.code for t in rows) == sorted(u.code for u in counties)
            assert len({(t.target, t.source_date) for t in rows}) == 1
            assert all(t.lead_unit not in t.co_units.all() for t in rows)
        pledge = per_county[("市长在全市11月份经济运行讲评会上的讲话", "落实包联服务制度")]
        assert all(t.target == "规上工业增加值增长达到7%" for t in pledge)
        assert all(task.source_kind == SourceKind.SPEECH for task in from_speeches)
        assert {(t.source_title, t.source_date) for t in from_speeches} == {
            ("市长在全市11月份经济运行讲评会上的讲话", date(2025, 12, 5)),
            ("市长在全市一季度经济运行讲评会上的讲话", date(2026, 4, 8)),
        }
        roads = next(t for t in from_speeches if t.title == "完成绕城公路东段主体工程")
        assert roads.lead_unit.short_name == "市交通运输局"
        assert roads.target == "新建农村公路达到120公里"
        # The rest tops up from the document.
        assert all(task.source_kind == SourceKind.DOCUMENT for task in tasks
                   if task not in from_speeches)
        # Close-out notices carry the simulated times, not the clock.
        notices = list(Notification.objects.all())
        assert {n.kind for n in notices} >= {"close_requested", "close_approved"}
        assert all(n.created.date() < demo_today(LATEST) for n in notices)

    def test_no_password_outside_demo_mode(self):
        users = list(User.objects.all())
        assert {u.role for u in users} >= {"admin", "city_office", "reporter", "leader", "cadre"}
        assert not any(u.has_usable_password() for u in users)
        assert all(login.password is None for login in self.summary.logins)


class DemoMonthUnderReview(TestCase):
    """The demo opens its latest month for review, and its history is approved (§3)."""

    @classmethod
    def setUpTestData(cls):
        build("small", seed=1, latest="2019-03")

    def test_pages_open_on_the_latest_month_opened_by_the_office(self):
        from jiangping.core.periods import data_periods, opened_month, review_month
        from jiangping.orgs.models import Role

        opened = opened_month()
        assert opened.period == "2019-03" and opened.opened_by.role == Role.CITY_OFFICE
        assert review_month() == "2019-03"
        assert data_periods()[:3] == ["2019-03", "2019-02", "2019-01"]

    def test_every_earlier_month_is_approved(self):
        home = OrgUnit.objects.get(is_home=True)
        counties = OrgUnit.objects.filter(parent=home, level=Level.COUNTY).count()
        earlier = Submission.objects.filter(period__lt="2019-03", form="indicators")
        assert earlier.count() == counties * 14  # 2018-01 … 2019-02
        assert set(earlier.values_list("state", flat=True)) == {State.APPROVED}
        assert earlier.first().events.count() == 2
