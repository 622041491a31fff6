"""The task metrics: overdue at the end of the month, on-time completion rate."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jiangping.indicators import metrics
from jiangping.orgs.scope import Scope
from jiangping.tasks import services
from jiangping.tasks.models import Task

D = dt.date
P = "2024-03"
ASSIGNED = D(2024, 1, 5)


def task(cast, unit, deadline, completed_on=None, created_on=ASSIGNED):
    made = services.create_task(Scope.operator(), title=f"{unit.name}·{deadline}",
                                lead_unit=unit, deadline=deadline)
    created_at = timezone.make_aware(dt.datetime.combine(created_on, dt.time(9)))
    Task.objects.filter(pk=made.pk).update(created_at=created_at, completed_on=completed_on)
    return made


@pytest.fixture
def tasks(cast):
    a, b = cast.county_a, cast.county_b
    task(cast, a, D(2024, 3, 10), D(2024, 3, 8))   # on time
    task(cast, a, D(2024, 3, 20), D(2024, 3, 25))  # late, but done by the end of March
    task(cast, a, D(2024, 3, 31))                  # due on the last day, not done: overdue
    task(cast, a, D(2024, 2, 15), D(2024, 4, 10))  # still overdue at the end of March
    task(cast, a, D(2024, 4, 10))                  # not due yet
    task(cast, b, D(2024, 3, 5), D(2024, 3, 5))    # on time, on the day
    task(cast, b, D(2024, 3, 1), created_on=D(2024, 4, 2))  # assigned after March
    return cast


def test_registered_and_documented_as_task_metrics(cast):
    codes = {m.code for m in metrics.all_metrics()}
    assert {"tasks.overdue", "tasks.on_time_rate"} <= codes
    overdue = metrics.get("tasks.overdue")
    assert (overdue.name, overdue.unit, overdue.direction) == ("逾期督办事项数", "项", "lower")
    assert metrics.get("tasks.on_time_rate").direction == "higher"


def test_overdue_at_the_end_of_the_month(tasks, django_assert_num_queries):
    ids = [tasks.county_a.pk, tasks.county_b.pk, tasks.county_c.pk]
    with django_assert_num_queries(1):
        values = metrics.get("tasks.overdue").compute(ids, P)
    assert values == {tasks.county_a.pk: Decimal(2), tasks.county_b.pk: Decimal(0),
                      tasks.county_c.pk: Decimal(0)}
    february = metrics.get("tasks.overdue").compute(ids, "2024-02")
    assert february[tasks.county_a.pk] == Decimal(1)
    april = metrics.get("tasks.overdue").compute(ids, "2024-04")
    assert april[tasks.county_b.pk] == 1  # assigned in April, already past its deadline


def test_on_time_rate_of_the_tasks_due_in_the_month(tasks, django_assert_num_queries):
    ids = [tasks.county_a.pk, tasks.county_b.pk, tasks.county_c.pk]
    with django_assert_num_queries(1):
        values = metrics.get("tasks.on_time_rate").compute(ids, P)
    assert round(values[tasks.county_a.pk], 2) == Decimal("33.33")  # 1 of 3
    assert values[tasks.county_b.pk] == Decimal(50)  # 1 of 2
    assert values[tasks.county_c.pk] is None  # nothing due
