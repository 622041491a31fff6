"""Demo users in every role and the latest month's submissions (演示账号与填报).

Demo passwords exist only in demo mode; otherwise every demo user gets an
unusable password and can only be reached through a password reset by the admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password

from jiangping.demo.geography import Geography
from jiangping.demo.names import pinyin_username
from jiangping.demo.series import stream
from jiangping.intake.models import State, Submission, SubmissionEvent
from jiangping.orgs.models import Level, OrgUnit, Role, UnitGroup, User

DEMO_PASSWORD = "jiangping-demo"  # noqa: S105  (demo mode only, printed to the operator)
FORM = "indicators"
DEADLINE_DAY = 5  # 次月5日前报送
RETURN_COMMENT = "固定资产投资增速与累计值推算的增速相差较大，请核实后重新报送。"


@dataclass(frozen=True)
class Login:
    """A demo login as printed to the operator."""

    username: str
    password: str | None  # None outside demo mode
    role: str  # Role value
    unit: str  # unit name
    display_name: str


def build_users(geo: Geography, with_passwords: bool) -> tuple[list[User], list[Login]]:
    """Create the demo users; passwords only when asked for *and* in demo mode."""
    password = DEMO_PASSWORD if with_passwords and settings.DEMO_MODE else None
    digest = make_password(password) if password else None
    home = geo.home
    county = next(u for u in geo.counties[home.code] if u.group == UnitGroup.COUNTY)
    village = next(
        u for u in geo.units if u.level == Level.VILLAGE and u.path.startswith(county.path)
    )
    people: list[tuple[str, OrgUnit, str, str]] = [
        ("admin", home, Role.ADMIN, "系统管理员"),
        ("office", home, Role.CITY_OFFICE, "市督查室"),
        ("leader", home, Role.LEADER, "市领导"),
    ]
    taken = {name for name, *_ in people} | {"cadre"}
    for unit in geo.counties[home.code]:
        people.append((pinyin_username(unit.short_name or unit.name, taken), unit, Role.REPORTER,
                       f"{unit.name}填报员"))
    department = geo.departments[0]
    people.append((pinyin_username(department.short_name.removeprefix("市"), taken), department,
                   Role.REPORTER, f"{department.short_name}填报员"))
    people.append(("cadre", village, Role.CADRE, f"{village.name}驻村干部"))

    users, logins = [], []
    for username, unit, role, display in people:
        user = User(
            username=username, unit=unit, role=role, display_name=display,
            is_superuser=role == Role.ADMIN, is_staff=role == Role.ADMIN,
            password=digest or make_password(None),
        )
        users.append(user)
        logins.append(Login(username, password, str(role), unit.name, display))
    User.objects.bulk_create(users)
    return users, logins


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute,
                    tzinfo=ZoneInfo(settings.TIME_ZONE))


def deadline_of(period: str) -> date:
    year, month = (int(part) for part in period.split("-"))
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return date(year, month, DEADLINE_DAY)


def build_submissions(geo: Geography, period: str, users: list[User], seed: int) -> dict[str, int]:
    """The latest month's 'indicators' submissions of the home city's county-level units:
    most approved, some submitted, one returned, one draft, one submitted late."""
    rng = stream(seed, "submissions")
    reporters = {user.unit_id: user for user in users if user.role == Role.REPORTER}
    office = next(user for user in users if user.role == Role.CITY_OFFICE)
    units = list(geo.counties[geo.home.code])
    order = list(range(len(units)))
    rng.shuffle(order)
    rest = order[3:]
    approved = set(rest[: max(1, round(len(rest) * 0.6))])
    plan = {order[0]: "returned", order[1]: "draft", order[2]: "late"}
    deadline = deadline_of(period)
    submissions, events = [], []
    for index, unit in enumerate(units):
        state = plan.get(index, "approved" if index in approved else "submitted")
        reporter = reporters.get(unit.id)
        submission = Submission(unit=unit, period=period, form=FORM, deadline=deadline)
        trail: list[tuple[str, datetime, User | None, str]] = []
        if state != "draft":
            days = 3 if state == "late" else -rng.randint(1, 4)
            submission.submitted_at = _at(deadline + timedelta(days=days), 9 + rng.randint(0, 7),
                                          rng.randint(0, 59))
            submission.submitted_by = reporter
            trail.append((State.SUBMITTED, submission.submitted_at, reporter, ""))
        if state == "late":
            state = State.SUBMITTED
        if state in ("approved", "returned"):
            submission.decided_at = submission.submitted_at + timedelta(hours=rng.randint(3, 26))
            submission.decided_by = office
            if state == "returned":
                submission.comment = RETURN_COMMENT
            trail.append((state, submission.decided_at, office, submission.comment))
        submission.state = state
        submissions.append(submission)
        events.append(trail)
    Submission.objects.bulk_create(submissions)
    rows = [
        SubmissionEvent(submission=submission, state=state, by=by, comment=comment, at=at)
        for submission, trail in zip(submissions, events, strict=True)
        for state, at, by, comment in trail
    ]
    SubmissionEvent.objects.bulk_create(rows)
    # auto_now_add stamps the insert time; the trail keeps the simulated times.
    for row, at in zip(rows, [e[1] for trail in events for e in trail], strict=True):
        row.at = at
    SubmissionEvent.objects.bulk_update(rows, ["at"])
    counts: dict[str, int] = {}
    for submission in submissions:
        counts[submission.state] = counts.get(submission.state, 0) + 1
    counts["late"] = sum(1 for s in submissions if s.submitted_at and s.late)
    return counts


def build_history(geo: Geography, first: str, latest: str, users: list[User]) -> int:
    """Every month before the latest one reported and approved by each home-city county:
    an approved submission with its trail (报送, 审核通过), so that the history is ranked
    as approved figures and the leaders' approved-only pages show it. Returns how many."""
    reporters = {user.unit_id: user for user in users if user.role == Role.REPORTER}
    office = next(user for user in users if user.role == Role.CITY_OFFICE)
    units = list(geo.counties[geo.home.code])
    submissions, times = [], []
    period = first
    while period < latest:
        deadline = deadline_of(period)
        submitted_at = _at(deadline - timedelta(days=2), 10, 0)
        decided_at = _at(deadline - timedelta(days=1), 15, 0)
        for unit in units:
            reporter = reporters.get(unit.id)
            submissions.append(Submission(
                unit=unit, period=period, form=FORM, deadline=deadline, state=State.APPROVED,
                submitted_at=submitted_at, submitted_by=reporter, decided_at=decided_at,
                decided_by=office))
            times.append(((State.SUBMITTED, submitted_at, reporter),
                          (State.APPROVED, decided_at, office)))
        year, month = int(period[:4]), int(period[5:])
        period = f"{year + month // 12:04d}-{month % 12 + 1:02d}"
    Submission.objects.bulk_create(submissions, batch_size=2000)
    events = [SubmissionEvent(submission=submission, state=state, by=by)
              for submission, trail in zip(submissions, times, strict=True)
              for state, _at_time, by in trail]
    SubmissionEvent.objects.bulk_create(events, batch_size=2000)
    # auto_now_add stamps the insert time; the trail keeps the simulated times.
    stamps = [at for trail in times for _state, at, _by in trail]
    for event, at in zip(events, stamps, strict=True):
        event.at = at
    SubmissionEvent.objects.bulk_update(events, ["at"], batch_size=1000)
    return len(submissions)
