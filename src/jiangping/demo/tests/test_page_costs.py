"""A page's cost follows what it shows, not the history behind it.

On the small demo (every month since 2018), the hot pages and API lists are rendered as
the city office, a leader and a county: no statement they run reads the whole values or
submissions table (the plan of each is checked on the database the suite runs on), and
their number of queries stays the same when the history grows by a month for every
county, with its submissions, and the city by a county.
"""

from django.test import Client, TestCase

from jiangping.core.periods import review_month
from jiangping.core.tests.plans import full_scans, recording
from jiangping.demo.generator import build
from jiangping.indicators import services as indicators
from jiangping.indicators.models import Indicator, Value
from jiangping.intake import services as intake
from jiangping.orgs.models import Level, OrgUnit, Role, User, home_city
from jiangping.orgs.scope import Scope
from jiangping.tasks.models import Task

LATEST = "2026-10"
EARLIER = "2017-12"  # a month before the demo's history: history that grows
GUARDED = ("indicators_value", "intake_submission")

# (name, who, url); {period} and {task} are filled in.
HOT = [
    ("home", "office", "/"),
    ("home", "county", "/"),
    ("home", "leader", "/"),
    ("compare counties", "office", "/indicators/compare/?period={period}&tier=counties"),
    ("compare counties", "county", "/indicators/compare/?period={period}&tier=counties"),
    ("compare cities", "office", "/indicators/compare/?period={period}&tier=cities"),
    ("compare, month under review", "office", "/indicators/compare/"),
    ("entry", "office", "/indicators/entry/?period={period}"),
    ("entry", "county", "/indicators/entry/?period={period}"),
    ("approval queue", "office", "/intake/queue/?period={period}"),
    ("submissions", "county", "/intake/queue/"),
    ("import page", "office", "/intake/import/"),
    ("task board", "office", "/tasks/"),
    ("task board", "county", "/tasks/"),
    ("task detail", "county", "/tasks/{task}/"),
    ("calendar", "office", "/tasks/calendar/"),
    ("api months", "office", "/api/months/"),
    ("api values", "county", "/api/indicators/values?period={period}&limit=100"),
    ("api values", "office", "/api/indicators/values?period={period}&limit=100"),
    ("api comparison", "office", "/api/indicators/comparison?period={period}"),
    ("api submissions", "office", "/api/intake/submissions"),
    ("api tasks", "office", "/api/tasks/"),
    ("api tasks", "county", "/api/tasks/"),
    ("approval queue, read-only", "leader", "/intake/queue/?period={period}"),
]


class PageCosts(TestCase):
    @classmethod
    def setUpTestData(cls):
        build("small", seed=1, latest=LATEST)
        cls.office = User.objects.filter(role=Role.CITY_OFFICE).order_by("pk").first()
        cls.leader = User.objects.filter(role=Role.LEADER).order_by("pk").first()
        cls.county = (User.objects.filter(role=Role.REPORTER, unit__level=Level.COUNTY)
                      .order_by("pk").first())
        cls.task = Task.objects.filter(lead_unit=cls.county.unit).order_by("pk").first()

    def setUp(self):
        self.clients = {}
        for who, user in (("office", self.office), ("county", self.county),
                          ("leader", self.leader)):
            self.clients[who] = Client()
            self.clients[who].force_login(user)

    def render(self, who: str, url: str):
        url = url.format(period=LATEST, task=self.task.pk)
        response = self.clients[who].get(url)
        assert response.status_code == 200, (url, who, response.status_code)
        return response

    def test_the_month_under_review_is_the_opened_one(self):
        # The pages below open on the month the demo's office opened, not a scan's answer.
        assert review_month() == LATEST

    def test_no_hot_query_reads_the_whole_values_or_submissions_table(self):
        found = []
        for name, who, url in HOT:
            self.render(who, url)  # a first view writes the session; plans of reads only
            with recording() as recorded:
                self.render(who, url)
            found.extend((name, who, step, sql[:200]) for sql, step in
                         full_scans(recorded, GUARDED))
        assert not found, "\n".join(map(str, found))

    def test_the_number_of_queries_does_not_grow_with_history_or_units(self):
        before = {}
        for name, who, url in HOT:
            self.render(who, url)
            with recording() as recorded:
                self.render(who, url)
            before[(name, who)] = len(recorded.statements)

        self.grow()

        after = {}
        for name, who, url in HOT:
            self.render(who, url)
            with recording() as recorded:
                self.render(who, url)
            after[(name, who)] = len(recorded.statements)
        assert after == before

    def grow(self):
        """A month more of history for every county, submitted and approved, and a new
        county with its figures of the month shown."""
        city = home_city()
        operator = Scope.operator()
        office = Scope.for_user(self.office)
        indicator_ids = list(Indicator.objects.values_list("pk", flat=True))
        counties = list(OrgUnit.objects.filter(parent=city, level=Level.COUNTY))
        newcomer = OrgUnit.objects.create(code="990199", name="新设区", level=Level.COUNTY,
                                          parent=city, sort_order=99)
        rows = [(i, unit.pk, EARLIER, 100 + n) for n, unit in enumerate(counties)
                for i in indicator_ids]
        rows += [(i, newcomer.pk, LATEST, 7) for i in indicator_ids]
        indicators.upsert_values(operator, rows)
        for unit in counties:
            submission = intake.get_or_open(unit, EARLIER, "indicators")
            intake.submit(operator, submission, None)
            intake.approve(office, submission, self.office)
        assert Value.objects.filter(period=EARLIER).count() == len(counties) * len(indicator_ids)


class PlanCheckCanFail(TestCase):
    """The plan check above would see a whole-table read (it is not blind)."""

    def test_a_filter_no_index_answers_is_a_full_scan(self):
        with recording() as recorded:
            list(Value.objects.filter(value__gt=0).values_list("pk", flat=True))
            list(Value.objects.filter(period="2019-01").values_list("pk", flat=True))
        found = full_scans(recorded, ("indicators_value",))
        assert len(found) == 1 and "value" in found[0][0] and '"period"' not in found[0][0]
