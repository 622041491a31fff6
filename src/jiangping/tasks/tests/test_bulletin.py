"""The bulletin's section on supervision tasks: the month's counts as of its last day, the
overdue tasks by lead unit and in a bounded table, problems and next steps."""

import datetime as dt

import pytest
from django.utils import timezone

from jiangping.bulletins.document import Paragraph, Table
from jiangping.bulletins.sections import Context
from jiangping.core.registry import bulletin_sections
from jiangping.indicators import metrics
from jiangping.orgs.scope import Scope
from jiangping.tasks import bulletin, services
from jiangping.tasks.models import Task

D = dt.date
P = "2026-06"


def task(unit, title, created, deadline, completed=None, closed=None):
    made = services.create_task(Scope.operator(), title=title, lead_unit=unit, deadline=deadline)
    Task.objects.filter(pk=made.pk).update(
        created_at=timezone.make_aware(dt.datetime.combine(created, dt.time(9))),
        completed_on=completed,
        closed_at=closed and timezone.make_aware(dt.datetime.combine(closed, dt.time(10))),
    )
    return made


def context(cast, period=P):
    return Context(period=period, review=None, city=cast.city, scope=Scope.for_user(cast.office))


def texts(draft):
    return [block.text for block in draft.section.blocks if isinstance(block, Paragraph)]


@pytest.fixture
def june(cast):
    dept, a, b = cast.department, cast.county_a, cast.county_b
    task(dept, "完成老城区管网改造", D(2025, 11, 1), D(2026, 5, 31))   # carried over, overdue
    task(dept, "上年事项", D(2025, 10, 1), D(2025, 12, 31), D(2025, 12, 20))  # done last year
    task(a, "报送项目清单", D(2026, 2, 1), D(2026, 6, 10), D(2026, 6, 8), D(2026, 6, 12))
    task(b, "完成土地报批", D(2026, 3, 1), D(2026, 6, 20), D(2026, 6, 25))  # done late
    task(a, "启动园区道路建设", D(2026, 6, 5), D(2026, 6, 30))  # due on the last day
    task(b, "推进污水处理厂建设", D(2026, 6, 10), D(2026, 9, 30))  # under way
    task(dept, "印发招商引资考核办法", D(2026, 4, 1), D(2026, 4, 30))  # overdue since April
    task(b, "七月交办事项", D(2026, 7, 2), D(2026, 6, 15))  # assigned after June
    return cast


def test_registered_as_the_tasks_section(cast):
    [section] = [s for s in bulletin_sections() if s.key == "tasks"]
    assert section.order == 70 and section.build is bulletin.build


def test_the_months_counts_as_of_its_last_day(june, django_assert_num_queries):
    with django_assert_num_queries(1):
        figures = bulletin.month_figures(Scope.for_user(june.office), P)
    assert figures == bulletin.TaskFigures(
        total=6, carried=1, done=2, closed=1, overdue=3, assigned=2, done_in_month=2,
        due=3, on_time=1)
    assert figures.in_progress == 1


def test_overdue_agrees_with_the_overdue_metric(june):
    units = [june.department.pk, june.county_a.pk, june.county_b.pk]
    by_metric = metrics.get("tasks.overdue").compute(units, P)
    assert sum(by_metric.values()) == bulletin.month_figures(Scope.for_user(june.office), P).overdue


def test_section_paragraphs_table_problems_and_actions(june, django_assert_num_queries):
    with django_assert_num_queries(3):
        draft = bulletin.build(context(june))
    assert draft.section.key == "tasks" and draft.section.heading == "督办事项落实情况"
    assert texts(draft) == [
        "截至6月底，今年以来督办事项共6项（含上年结转1项），已办结2项（其中已销号1项），"
        "办结率33.3%；正在推进1项，逾期未办结3项。",
        "6月新交办2项，办结2项；6月到期事项3项，按期完成1项，按期完成率33.3%。",
        "逾期未办结事项3项，其中市发改委2项、甲区1项。",
    ]
    [table] = [b for b in draft.section.blocks if isinstance(b, Table)]
    assert table.caption == "截至6月底逾期未办结的督办事项"
    assert table.header == ["序号", "督办事项", "牵头单位", "完成时限"]
    assert table.rows == [
        ["1", "印发招商引资考核办法", "市发改委", "2026年4月30日"],
        ["2", "完成老城区管网改造", "市发改委", "2026年5月31日"],
        ["3", "启动园区道路建设", "甲区", "2026年6月30日"],
    ]
    assert table.note == ""
    assert draft.problems == ["部分督办事项落实不到位，逾期未办结事项3项，其中市发改委2项、"
                              "甲区1项，6月到期事项按期完成率为33.3%"]
    assert draft.actions == ["加快逾期督办事项办理，督促市发改委、甲区限期办结"]


def test_a_past_month_reads_as_it_did(june):
    """May, built after June's changes: what was due and done by the end of May."""
    draft = bulletin.build(context(june, "2026-05"))
    assert texts(draft)[:2] == [
        "截至5月底，今年以来督办事项共4项（含上年结转1项），已办结0项，办结率0.0%；"
        "正在推进2项，逾期未办结2项。",
        "5月无新交办事项，办结0项；5月到期事项1项，按期完成0项，按期完成率0.0%。",
    ]


def test_no_task_overdue_no_table_and_nothing_to_fix(cast):
    task(cast.county_a, "报送项目清单", D(2026, 2, 1), D(2026, 6, 10), D(2026, 6, 8), D(2026, 6, 9))
    draft = bulletin.build(context(cast))
    assert texts(draft) == [
        "截至6月底，今年以来督办事项共1项，已办结1项（均已销号），办结率100.0%；无逾期未办结事项。",
        "6月无新交办事项，办结1项；6月到期事项1项，按期完成1项，按期完成率100.0%。",
    ]
    assert not [b for b in draft.section.blocks if isinstance(b, Table)]
    assert draft.problems == [] and draft.actions == []


def test_late_but_done_is_a_problem_without_overdue(cast):
    task(cast.county_b, "完成土地报批", D(2026, 3, 1), D(2026, 6, 20), D(2026, 6, 25))
    task(cast.county_b, "推进污水处理厂建设", D(2026, 6, 10), D(2026, 9, 30))
    draft = bulletin.build(context(cast))
    assert texts(draft)[0] == ("截至6月底，今年以来督办事项共2项，已办结1项，办结率50.0%；"
                               "正在推进1项，无逾期未办结事项。")
    assert draft.problems == ["部分督办事项落实不到位，6月到期事项按期完成率为0.0%"]
    assert draft.actions == ["严格落实督办事项办理时限，确保按期办结"]


def test_no_task_in_the_year_leaves_the_section_out(cast):
    assert bulletin.build(context(cast)) is None
    task(cast.county_a, "上年事项", D(2025, 10, 1), D(2025, 12, 31), D(2025, 12, 20))
    task(cast.county_a, "七月交办事项", D(2026, 7, 2), D(2026, 8, 15))
    assert bulletin.build(context(cast)) is None


def test_many_overdue_units_are_cut_with_deng_and_the_table_bounded(cast):
    units = [cast.department, cast.county_a, cast.county_b, cast.county_c, cast.zone,
             cast.township_a, cast.village_a]
    for n in range(12):
        # 市发改委 leads six; each other unit one.
        unit = units[0] if n < 6 else units[n - 5]
        task(unit, f"事项{n + 1:02d}", D(2026, 1, 5), D(2026, 3, 1) + dt.timedelta(days=n))
    draft = bulletin.build(context(cast))
    # most first, then in the units' order (the township and the village have none)
    assert texts(draft)[2] == ("逾期未办结事项12项，其中市发改委6项、甲区东街道1项、东村1项、"
                               "甲区1项、乙县1项等7个单位。")
    [table] = [b for b in draft.section.blocks if isinstance(b, Table)]
    assert [row[1] for row in table.rows] == [f"事项{n:02d}" for n in range(1, 11)]
    assert table.note == "注：共逾期未办结12项，表中列出完成时限最早的10项。"
    assert draft.actions == ["加快逾期督办事项办理，督促市发改委、甲区东街道、东村、甲区、乙县"
                             "等7个单位限期办结"]
