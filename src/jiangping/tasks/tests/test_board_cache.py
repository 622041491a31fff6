"""The task board's body is kept in the page cache per scope, filter, page and day, and
every write to what it shows — a task created, its progress, a status decided, the
overdue marking — is seen by the next view (:mod:`jiangping.core.pagecache`)."""

import datetime as dt

from django.urls import reverse

from jiangping.orgs.scope import Scope
from jiangping.tasks import services


def board(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("tasks:board"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_board_is_rendered_once_until_a_task_changes(
        client, cast, cached, django_assert_max_num_queries):
    office = Scope.for_user(cast.office)
    task = services.create_task(office, user=cast.office, title="完成散煤清洁替代",
                                lead_unit=cast.county_a, deadline=dt.date(2030, 6, 30))
    assert "完成散煤清洁替代" in board(client, cast.office)
    # Again: the session, the user, the unit and the figures version; no task is read.
    with django_assert_max_num_queries(4):
        assert "完成散煤清洁替代" in client.get(reverse("tasks:board")).content.decode()
    services.report_progress(Scope.for_user(cast.reporter_a), task, cast.reporter_a,
                             "已完成八成", percent=80)
    assert "80%" in board(client, cast.office)
    services.create_task(office, user=cast.office, title="建成污水处理厂",
                         lead_unit=cast.county_b, deadline=dt.date(2030, 9, 30))
    assert "建成污水处理厂" in board(client, cast.office)


def test_each_scope_and_filter_has_its_own_board(client, cast, cached):
    office = Scope.for_user(cast.office)
    services.create_task(office, user=cast.office, title="甲区的事项", lead_unit=cast.county_a,
                         deadline=dt.date(2030, 6, 30))
    services.create_task(office, user=cast.office, title="乙县的事项", lead_unit=cast.county_b,
                         deadline=dt.date(2030, 6, 30))
    assert "乙县的事项" in board(client, cast.office)
    own = board(client, cast.reporter_a)
    assert "甲区的事项" in own and "乙县的事项" not in own
    filtered = board(client, cast.office, unit=cast.county_b.code)
    assert "乙县的事项" in filtered and "甲区的事项" not in filtered


def test_overdue_marking_is_seen_by_the_board(client, cast, cached):
    office = Scope.for_user(cast.office)
    services.create_task(office, user=cast.office, title="已过期限的事项",
                         lead_unit=cast.county_a, deadline=dt.date(2020, 1, 31))
    before = board(client, cast.office, status="overdue")
    assert services.mark_overdue() == 1
    after = board(client, cast.office, status="overdue")
    assert "已过期限的事项" in after and after != before


def test_the_task_api_list_is_kept_until_a_task_changes(client, cast, cached):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = Scope.for_user(cast.office)
    services.create_task(office, user=cast.office, title="甲区的事项", lead_unit=cast.county_a,
                         deadline=dt.date(2030, 6, 30))
    client.force_login(cast.reporter_a)
    first = client.get("/api/tasks/").json()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/tasks/").json() == first
    assert not any('"tasks_task"' in q["sql"] for q in queries.captured_queries)
    services.create_task(office, user=cast.office, title="甲区的又一事项",
                         lead_unit=cast.county_a, deadline=dt.date(2030, 7, 31))
    again = client.get("/api/tasks/").json()
    assert again["count"] == first["count"] + 1
    # Another scope has its own answer: 乙县 sees none of 甲区's tasks.
    client.force_login(cast.reporter_b)
    assert client.get("/api/tasks/").json()["count"] == 0
