"""What the task board shows in each row, computed once per task in Python.

The board lists up to a page of tasks; rendering each row's deadline, units and co-units'
progress through template includes and filters cost most of the page. :func:`board_row`
sets the row's cells as safe HTML strings on the task, the same markup as the task page's
includes (``tasks/_deadline.html``, ``tasks/_co_percents.html``) give for one task — a
test renders both and compares them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jiangping.core.hant import hant
from jiangping.orgs.models import OrgUnit
from jiangping.tasks.models import SourceKind, Task

_PK = 2147483647  # a stand-in primary key, replaced in the detail URL built once per page


def detail_urls() -> Callable[[int], str]:
    """A function giving a task's page URL from its primary key, with one ``reverse``
    for the whole board instead of one per row."""
    template = reverse("tasks:detail", args=[_PK])
    head, _sep, tail = template.rpartition(str(_PK))
    return lambda pk: f"{head}{pk}{tail}"


def unit_label(unit: OrgUnit) -> str:
    """A unit as the board names it: its short name, else its name (Traditional Chinese
    under zh-hant)."""
    return hant(unit.short_name or unit.name)


def deadline_html(task: Task) -> SafeString:
    """The deadline cell of ``task`` (as :func:`jiangping.tasks.views._shown` completed
    it): the date, the days and working days left or late, and the estimate's note —
    the markup of ``tasks/_deadline.html``."""
    if not task.deadline:
        return format_html('<span class="muted">{}</span>\n', _("未定"))
    bad = " bad" if task.overdue else ""
    parts = [format_html('<span class="num{}">{}</span>\n', bad, task.deadline.isoformat())]
    if task.days_left is not None:
        if task.overdue:
            tone = " bad"
        elif task.days_left <= 7:
            tone = " soon"
        else:
            tone = ""
        if task.days_late:
            n = task.days_late
            text = ngettext("已逾期 %(n)s 天", "已逾期 %(n)s 天", n) % {"n": n}
        elif task.days_left == 0:
            text = _("今天到期")
        else:
            n = task.days_left
            text = ngettext("剩 %(n)s 天", "剩 %(n)s 天", n) % {"n": n}
            if task.workdays_left is not None:
                n = task.workdays_left
                text += ngettext("（%(n)s 个工作日）", "（%(n)s 个工作日）", n) % {"n": n}
        parts.append(format_html('<div class="days-left{}">{}</div>', tone, text))
    parts.append("\n")
    if task.deadline_estimated:
        parts.append(format_html('<div class="estimated" title="{}">{}</div>',
                                 _("国务院节假日安排录入后自动重算"),
                                 _("节假日安排未公布，暂按双休日计算")))
    parts.append("\n\n")
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


def co_percents_html(task: Task) -> SafeString:
    """Each co-unit's latest reported percentage (``task.co_percents``, set by
    :func:`jiangping.tasks.progress.attach`) — the markup of ``tasks/_co_percents.html``."""
    if not task.co_percents:
        return mark_safe("\n")
    title = conditional_escape(_("配合单位最近报送的进度"))
    spans = [format_html('<span title="{}">{} {}%</span>', title, unit_label(p.unit), p.percent)
             for p in task.co_percents]
    return format_html('<div class="co-percents muted">{}</div>\n',
                       mark_safe(" · ".join(spans)))  # noqa: S308 - spans are escaped


def source_kinds() -> dict[str, str]:
    """The labels of the sources' kinds in the active language (read once for a page)."""
    return {key: str(label) for key, label in SourceKind.choices}


def board_row(task: Task, url: Callable[[int], str], kinds: dict[str, str]) -> Task:
    """Set the board's cells on ``task`` (shown and with its progress attached, co-units
    prefetched): ``url``, ``source_line``, ``lead_name``, ``co_names``, ``deadline_cell``
    and ``co_percents_cell``; ``kinds`` is :func:`source_kinds`. Returns the task."""
    task.url = url(task.pk)
    source = ""
    if task.source_title:
        kind = kinds.get(task.source_kind, task.source_kind)
        source = f"{kind} · {hant(task.source_title)}"
        if task.source_date:
            source += f" · {task.source_date.isoformat()}"
    task.source_line = source
    task.lead_name = unit_label(task.lead_unit)
    names = [conditional_escape(unit_label(unit)) for unit in task.co_units.all()]
    task.co_names = (mark_safe("、".join(names)) if names  # noqa: S308 - escaped
                     else mark_safe('<span class="muted">—</span>'))
    task.deadline_cell = deadline_html(task)
    task.co_percents_cell = co_percents_html(task)
    return task
