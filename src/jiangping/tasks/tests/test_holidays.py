"""The holiday calendar the office keeps current: seeding, the calendar every working-day
computation asks for, entering a year (import form, page), and the estimated deadlines
recomputed when the year is entered (2027, see notice2027)."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse

from jiangping.intake.engine import run_import
from jiangping.intake.tests.helpers import write_xlsx
from jiangping.orgs.scope import Scope
from jiangping.tasks import holidays, services
from jiangping.tasks.models import DayKind, EventKind, Holiday, HolidayYear, Status
from jiangping.tasks.tests import notice2027
from jiangping.tasks.workdays import FIRST_YEAR, LAST_YEAR, Calendar

D = dt.date
HEADER = ["日期", "类型", "名称"]
MEETING = D(2027, 1, 25)  # a Monday, three weeks before 春节 2027


@pytest.fixture
def no_2027(db):
    """As on the day the 2027 notice is published: the year not yet in the table (a
    later chinesecalendar may have seeded it)."""
    Holiday.objects.filter(date__year__gte=2027).delete()
    HolidayYear.objects.filter(year__gte=2027).delete()


def office(cast):
    return Scope.for_user(cast.office)


def notice_file(path, rows=notice2027.ROWS):
    return write_xlsx(path, [["国务院办公厅关于2027年部分节假日安排的通知"], HEADER,
                             *([day.isoformat(), kind, name] for day, kind, name in rows)])


def speech_tasks(cast):
    """15个工作日内 (as a count, from the 交办 form) and 春节前 (as a speech writes it),
    both from a meeting on 25 January 2027."""
    scope = office(cast)
    counted = services.create_task(scope, title="完成项目清单上报", lead_unit=cast.county_a,
                                   source_date=MEETING, deadline_workdays=15)
    spring = services.create_tasks(scope, [{
        "title": "春节前发放到位", "lead_unit": cast.county_b, "deadline": D(2027, 2, 4),
        "deadline_text": "春节前"}], source_date=MEETING)[0]
    return counted, spring


def test_migrate_seeds_the_package_years_once(db):
    years = set(HolidayYear.objects.values_list("year", flat=True))
    assert set(range(FIRST_YEAR, LAST_YEAR + 1)) <= years
    assert HolidayYear.objects.get(year=2024).source == HolidayYear.Source.PACKAGE
    assert Holiday.objects.get(date=D(2024, 2, 4)).kind == DayKind.WORK
    assert Holiday.objects.get(date=D(2024, 2, 12)).name == "春节"
    assert holidays.seed_package_years() == 0
    # An office-edited seeded year is never overwritten by a later seeding.
    Holiday.objects.filter(date__year=2025).delete()
    HolidayYear.objects.filter(year=2025).update(source=HolidayYear.Source.OFFICE)
    assert holidays.seed_package_years() == 0
    assert not Holiday.objects.filter(date__year=2025).exists()
    HolidayYear.objects.filter(year=2025).delete()
    assert holidays.seed_package_years() == 1
    assert Holiday.objects.filter(date__year=2025).count() == sum(
        1 for d in (*Calendar.default().holidays, *Calendar.default().workdays)
        if d.year == 2025)


def test_seeding_waits_for_the_tables(db, monkeypatch):
    from django.db import connection

    HolidayYear.objects.filter(year=2024).delete()
    monkeypatch.setattr(connection.introspection, "table_names", lambda *a, **k: [])
    assert holidays.seed_package_years() == 0
    assert not HolidayYear.objects.filter(year=2024).exists()


def test_current_calendar_is_the_table_and_cached_until_a_write(cast, no_2027,
                                                                django_assert_num_queries):
    calendar = holidays.current_calendar()
    assert calendar.known(2024) and not calendar.known(2027)
    assert calendar.holidays == Calendar.default().holidays - {
        d for d in Calendar.default().holidays if d.year >= 2027}
    with django_assert_num_queries(1):
        assert holidays.current_calendar() is calendar
    holidays.set_day(office(cast), D(2027, 2, 8), DayKind.OFF, "春节")
    entered = holidays.current_calendar()
    assert entered is not calendar and entered.known(2027)
    assert not entered.is_workday(D(2027, 2, 8)) and entered.names[D(2027, 2, 8)] == "春节"


def test_without_a_database_the_package_calendar_is_used(monkeypatch):
    def unreachable():
        raise DatabaseError("no such table: tasks_holidayyear")

    monkeypatch.setattr(holidays, "_version", unreachable)
    assert holidays.current_calendar() is Calendar.default()


@pytest.mark.parametrize(("rows", "message"), [
    ([(D(2028, 1, 1), DayKind.OFF, "元旦")], "第1行：日期 2028-01-01 不在 2027 年内"),
    ([(D(2027, 2, 8), DayKind.WORK, "")], "第1行：2027-02-08 是工作日.*不能标为调休上班"),
    ([(D(2027, 2, 8), DayKind.OFF, ""), (D(2027, 2, 8), DayKind.OFF, "")],
     "第2行：日期 2027-02-08 重复（与第1行相同）"),
    ([(D(2027, 2, 8), "休", "")], "第1行：类型“休”无效"),
])
def test_a_bad_arrangement_is_refused_and_nothing_changes(cast, no_2027, rows, message):
    with pytest.raises(ValidationError, match=message):
        holidays.replace_year(office(cast), 2027, rows)
    assert not HolidayYear.objects.filter(year=2027).exists()


def test_only_the_city_office_and_admin_enter_a_year(cast, no_2027):
    for user in (cast.reporter_a, cast.leader):
        with pytest.raises(PermissionDenied):
            holidays.replace_year(Scope.for_user(user), 2027, notice2027.VALUES)
        with pytest.raises(PermissionDenied):
            holidays.delete_day(Scope.for_user(user), D(2024, 2, 12))
    holidays.replace_year(Scope.for_user(cast.admin), 2027, notice2027.VALUES, user=cast.admin)
    assert HolidayYear.objects.get(year=2027).entered_by == cast.admin


def test_deadlines_across_the_2027_spring_festival_are_recomputed_when_entered(cast, no_2027):
    counted, spring = speech_tasks(cast)
    assert (counted.deadline, counted.deadline_estimated) == (D(2027, 2, 15), True)
    assert (spring.deadline, spring.deadline_estimated) == (D(2027, 2, 4), True)
    assert spring.deadline_text == "春节前"

    holidays.replace_year(office(cast), 2027, notice2027.VALUES, user=cast.office)
    counted.refresh_from_db()
    spring.refresh_from_db()
    # 31 Jan (Sunday) is worked, 5–13 Feb off, 20 Feb (Saturday) worked.
    assert (counted.deadline, counted.deadline_estimated) == (D(2027, 2, 20), False)
    assert (spring.deadline, spring.deadline_estimated) == (D(2027, 2, 4), False)
    event = counted.events.get(kind=EventKind.UPDATED)
    assert "2027-02-15" in event.comment and "2027-02-20" in event.comment
    assert not spring.events.filter(kind=EventKind.UPDATED).exists()  # the date held
    # A task created now is not estimated.
    later = services.create_task(office(cast), title="复工复产", lead_unit=cast.county_a,
                                 source_date=MEETING, deadline_workdays=15)
    assert (later.deadline, later.deadline_estimated) == (D(2027, 2, 20), False)


def test_an_overdue_task_whose_deadline_moves_on_is_under_way_again(cast, no_2027,
                                                                     monkeypatch):
    counted, _spring = speech_tasks(cast)
    services.mark_overdue(D(2027, 2, 16))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: D(2027, 2, 16))
    holidays.replace_year(office(cast), 2027, notice2027.VALUES)
    counted.refresh_from_db()
    assert (counted.deadline, counted.status) == (D(2027, 2, 20), Status.NOT_STARTED)


def test_a_deadline_the_office_changed_is_not_estimated(cast, no_2027):
    task = services.create_tasks(office(cast), [{
        "title": "春节前发放到位", "lead_unit": cast.county_b, "deadline": D(2027, 1, 29),
        "deadline_text": "春节前"}], source_date=MEETING)[0]
    assert not task.deadline_estimated


def test_deleting_a_day_makes_it_ordinary_and_recomputes(cast, no_2027):
    counted, _spring = speech_tasks(cast)
    holidays.replace_year(office(cast), 2027, notice2027.VALUES)
    assert holidays.delete_day(office(cast), D(2027, 2, 20))  # the Saturday no longer worked
    counted.refresh_from_db()
    assert counted.deadline == D(2027, 2, 20)  # unchanged: not estimated any more
    assert not holidays.current_calendar().is_workday(D(2027, 2, 20))
    assert not holidays.delete_day(office(cast), D(2027, 2, 20))


# --- the import form ---------------------------------------------------------

def test_importing_the_notice_enters_the_year(cast, no_2027, tmp_path):
    counted, _spring = speech_tasks(cast)
    path = notice_file(tmp_path / "2027.xlsx")
    dry = run_import("holidays", path, scope=office(cast), user=cast.office)
    assert dry.ok and not dry.applied and not HolidayYear.objects.filter(year=2027).exists()
    result = run_import("holidays", path, scope=office(cast), user=cast.office, apply=True)
    assert result.ok and (result.created, result.updated) == (len(notice2027.ROWS), 0)
    assert Holiday.objects.filter(date__year=2027).count() == len(notice2027.ROWS)
    counted.refresh_from_db()
    assert counted.deadline == D(2027, 2, 20)
    # Importing the year again replaces it: a day left out is gone.
    again = run_import("holidays", notice_file(tmp_path / "again.xlsx", notice2027.ROWS[1:]),
                       scope=office(cast), user=cast.office, apply=True)
    assert (again.created, again.updated) == (0, len(notice2027.ROWS) - 1)
    assert not Holiday.objects.filter(date=D(2027, 1, 1)).exists()


def test_a_weekend_in_a_break_may_be_marked_off(cast, no_2027, tmp_path):
    rows = [(D(2027, 2, 6), "放假", "春节"), (D(2027, 2, 7), "放假", "春节")]
    result = run_import("holidays", notice_file(tmp_path / "weekend.xlsx", rows),
                        scope=office(cast), apply=True)
    assert result.ok


def test_import_refusals_name_row_column_and_value(cast, no_2027, tmp_path):
    before = list(Holiday.objects.filter(date__year=2027))
    rows = [*notice2027.ROWS[:3],
            (D(2028, 1, 1), "放假", "元旦"),       # row 6: outside the year
            (D(2027, 2, 8), "调休上班", "春节"),   # row 7: a Monday
            (D(2027, 1, 2), "放假", "元旦"),       # row 8: repeated
            (D(2027, 2, 9), "补休", "春节")]       # row 9: unknown type
    result = run_import("holidays", notice_file(tmp_path / "bad.xlsx", rows),
                        scope=office(cast), user=cast.office, apply=True)
    found = {(e.row, e.column): (e.value, e.message) for e in result.errors}
    assert set(found) == {(6, "日期"), (7, "类型"), (8, "日期"), (9, "类型")}
    assert "不在 2027 年内" in found[6, "日期"][1]
    assert "不能标为调休上班" in found[7, "类型"][1]
    assert "放假" in found[9, "类型"][1] and found[9, "类型"][0] == "补休"
    assert not result.applied and list(Holiday.objects.filter(date__year=2027)) == before


def test_the_year_comes_from_period_when_given(cast, no_2027, tmp_path):
    rows = [(D(2027, 1, 1), "放假", "元旦"), (D(2027, 1, 2), "放假", "元旦")]
    result = run_import("holidays", notice_file(tmp_path / "p.xlsx", rows), scope=office(cast),
                        period="2028-01")
    assert {e.row for e in result.errors} == {3, 4}


def test_only_the_city_office_imports_holidays(cast, no_2027, tmp_path):
    result = run_import("holidays", notice_file(tmp_path / "n.xlsx"),
                        scope=Scope.for_user(cast.reporter_a), apply=True)
    assert not result.ok and "仅限市级管理员" in result.errors[0].message


def test_command_line_import(cast, no_2027, tmp_path):
    out = StringIO()
    call_command("import", "holidays", str(notice_file(tmp_path / "n.xlsx")), "--apply",
                 stdout=out)
    assert HolidayYear.objects.get(year=2027).source == HolidayYear.Source.OFFICE


# --- the page ----------------------------------------------------------------

def test_the_office_adds_and_deletes_days_on_the_page(client, cast, no_2027):
    client.force_login(cast.office)
    page = client.get(reverse("tasks:holidays"), {"year": 2027})
    assert page.status_code == 200 and "2027年节假日安排尚未录入" in page.content.decode()
    added = client.post(reverse("tasks:holiday_set"),
                        {"date": "2027-02-08", "kind": "off", "name": "春节"})
    assert added.status_code == 302 and added["Location"].endswith("?year=2027")
    assert Holiday.objects.get(date=D(2027, 2, 8)).name == "春节"
    page = client.get(reverse("tasks:holidays"), {"year": 2027}).content.decode()
    assert "2027-02-08" in page and "已录入" in page
    refused = client.post(reverse("tasks:holiday_set"),
                          {"date": "2027-02-09", "kind": "work", "name": ""})
    assert refused.status_code == 422 and "不能标为调休上班" in refused.content.decode()
    deleted = client.post(reverse("tasks:holiday_delete"), {"date": "2027-02-08"})
    assert deleted.status_code == 302 and not Holiday.objects.filter(date__year=2027).exists()
    assert client.post(reverse("tasks:holiday_delete"), {"date": "x"}).status_code == 302
    assert client.get(reverse("tasks:holidays"), {"year": "abc"}).status_code == 400


def test_the_page_is_the_office_and_admins(client, cast):
    for user, status in ((cast.admin, 200), (cast.reporter_a, 403), (cast.leader, 403)):
        client.force_login(user)
        assert client.get(reverse("tasks:holidays")).status_code == status
        assert client.post(reverse("tasks:holiday_delete"),
                           {"date": "2024-02-12"}).status_code in (302, status)
    assert Holiday.objects.filter(date=D(2024, 2, 12)).exists() is False  # the admin's


def test_calendar_page_shades_the_entered_year_and_links_the_office(client, cast, no_2027):
    client.force_login(cast.office)
    before = client.get(reverse("tasks:calendar"), {"month": "2027-02"}).content.decode()
    assert "2027年节假日安排尚未录入" in before and reverse("tasks:holidays") in before
    holidays.replace_year(office(cast), 2027, notice2027.VALUES)
    after = client.get(reverse("tasks:calendar"), {"month": "2027-02"}).content.decode()
    assert "尚未录入" not in after
    assert after.count('class="day day-holiday') == 6  # Fri 5, Mon 8 – Fri 12 Feb
    client.force_login(cast.reporter_a)
    page = client.get(reverse("tasks:calendar"), {"month": "2027-02"}).content.decode()
    assert reverse("tasks:holidays") not in page


def test_the_task_page_and_board_say_a_deadline_is_estimated(client, cast, no_2027):
    counted, _spring = speech_tasks(cast)
    client.force_login(cast.office)
    note = "节假日安排未公布，暂按双休日计算"
    assert note in client.get(reverse("tasks:detail", args=[counted.pk])).content.decode()
    assert note in client.get(reverse("tasks:board")).content.decode()
    holidays.replace_year(office(cast), 2027, notice2027.VALUES)
    assert note not in client.get(reverse("tasks:board")).content.decode()
