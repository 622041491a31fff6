"""The board's cells, computed per task in Python (:mod:`jiangping.tasks.display`), are
the markup the task page's includes give for the same task, in every state a deadline
and the co-units' progress can be in; and in Traditional Chinese."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from jiangping.orgs.scope import Scope
from jiangping.tasks import services
from jiangping.tasks.display import board_row, detail_urls, source_kinds
from jiangping.tasks.gazetteer import current_calendar
from jiangping.tasks.models import Task
from jiangping.tasks.progress import attach, reports_prefetch
from jiangping.tasks.views import _shown

TODAY = dt.date(2024, 9, 20)  # a Friday


@pytest.fixture
def tasks(cast):
    office = Scope.for_user(cast.office)

    def assign(title, deadline, co=(), **kwargs):
        return services.create_task(office, user=cast.office, title=title,
                                    lead_unit=cast.county_a, co_units=co, deadline=deadline,
                                    **kwargs)

    made = [
        assign("没有时限", None),
        assign("今天到期", TODAY, [cast.county_b]),
        assign("已逾期", dt.date(2024, 9, 10), source_title="讲评会<一>",
               source_date=dt.date(2024, 9, 2)),
        assign("一周内", dt.date(2024, 9, 25), [cast.county_b, cast.zone]),
        assign("远期", dt.date(2024, 12, 31), source_title="纪要"),
    ]
    Task.objects.filter(pk=made[4].pk).update(deadline_estimated=True)
    for unit, percent in ((cast.county_b, 40), (cast.county_a, 30)):
        reporter = cast.reporter_b if unit == cast.county_b else cast.reporter_a
        services.report_progress(Scope.for_user(reporter), made[3], reporter, "进展", percent)
    done = assign("已完成", dt.date(2024, 9, 1))
    Task.objects.filter(pk=done.pk).update(status="done")
    return cast


def shown_tasks():
    calendar = current_calendar()
    return [attach(_shown(task, TODAY, calendar)) for task in Task.objects.select_related(
        "lead_unit").prefetch_related("co_units", reports_prefetch()).order_by("pk")]


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_the_cells_are_the_includes_markup(tasks, language):
    with translation.override(language):
        url = detail_urls()
        compared = 0
        for task in shown_tasks():
            row = board_row(task, url, source_kinds())
            assert row.deadline_cell == render_to_string("tasks/_deadline.html", {"task": task})
            assert row.co_percents_cell == render_to_string("tasks/_co_percents.html",
                                                            {"task": task})
            compared += 1
        assert compared == 6


def test_the_cells_read_as_the_board_words_them(tasks):
    with translation.override("zh-hans"):
        rows = {task.title: board_row(task, detail_urls(), source_kinds())
                for task in shown_tasks()}
    assert rows["没有时限"].deadline_cell == '<span class="muted">未定</span>\n'
    assert '<div class="days-left soon">今天到期</div>' in rows["今天到期"].deadline_cell
    assert '<div class="days-left bad">已逾期 10 天</div>' in rows["已逾期"].deadline_cell
    assert '<span class="num bad">2024-09-10</span>' in rows["已逾期"].deadline_cell
    assert '<div class="days-left soon">剩 5 天（3 个工作日）</div>' in rows["一周内"].deadline_cell
    assert "节假日安排未公布，暂按双休日计算" in rows["远期"].deadline_cell
    assert "days-left" not in rows["已完成"].deadline_cell
    assert rows["已逾期"].source_line == "会议 · 讲评会<一> · 2024-09-02"
    assert rows["一周内"].co_names == f"{tasks.county_b.short_name or tasks.county_b.name}、" \
        f"{tasks.zone.short_name or tasks.zone.name}"
    assert rows["没有时限"].co_names == '<span class="muted">—</span>'
    assert "40%</span>" in rows["一周内"].co_percents_cell
    assert rows["一周内"].url == f"/tasks/{rows['一周内'].pk}/"
