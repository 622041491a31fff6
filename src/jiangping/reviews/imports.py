"""Import form of the assessment (人工评分导入): ``scores``.

One row per unit and item scored by hand — a leader's evaluation, an inspection result —
for the items of the scheme in force whose method is ``manual``. Importing the same
period, unit and item again replaces the score; the writes go through
:func:`jiangping.reviews.services.set_manual_scores`.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jiangping.indicators import formulas
from jiangping.intake.references import OrgUnits
from jiangping.intake.registry import Column, ColumnType, Form, register
from jiangping.reviews import services

COLUMNS = (
    Column("period", "期间", ColumnType.PERIOD, synonyms=("月份", "考核月份"),
           help=_lazy("如 2019-11")),
    Column("unit", "单位", ColumnType.REFERENCE, reference=OrgUnits(),
           synonyms=("考核单位", "被考核单位"), help=_lazy("单位名称、简称或代码")),
    Column("item", "考核项", synonyms=("考核项目", "评分项", "项目"),
           help=_lazy("现行考核方案中人工评分项的代码或名称")),
    Column("points", "得分", ColumnType.DECIMAL, synonyms=("分数", "评分"),
           help=_lazy("0 至该项分值之间")),
    Column("note", "说明", required=False, synonyms=("备注", "评分说明"), max_length=300),
)


def _manual_items(period: str) -> dict[str, tuple[str, Decimal]]:
    """The manual items of the scheme in force for the period's year: code and name → (code,
    full marks); ValidationError when no scheme is in force."""
    record = services.scheme_in_force(formulas.parse_period(period)[0])
    scheme = services.check_scheme(record.text)
    found = {}
    for item in scheme.items:
        if item.method == "manual":
            found[item.code] = found[item.name] = (item.code, item.weight)
    return found


def _check(context, records: list[tuple]) -> list[tuple[int, str, str]]:
    refusals = []
    schemes: dict[str, dict | str] = {}
    for index, (period, _unit, item, points, _note) in enumerate(records):
        if period not in schemes:
            try:
                schemes[period] = _manual_items(period)
            except ValidationError as error:
                schemes[period] = "；".join(error.messages)
        items = schemes[period]
        if isinstance(items, str):
            refusals.append((index, "period", items))
            continue
        if item not in items:
            known = "、".join(sorted({code for code, _w in items.values()})) or _("无")
            refusals.append((index, "item", _("“%(item)s”不是现行考核方案的人工评分项"
                                              "（可填：%(known)s）。")
                             % {"item": item, "known": known}))
            continue
        full = items[item][1]
        if points < 0 or points > full:
            refusals.append((index, "points", _("得分应在 0 至 %(full)s 分之间。")
                             % {"full": format(full, "f")}))
    return refusals


def _apply(context, records: list[tuple]) -> tuple[int, int]:
    drafts = []
    for period, unit, item, points, note in records:
        code = _manual_items(period)[item][0]
        drafts.append({"period": period, "unit_id": unit, "item": code, "points": points,
                       "note": note or ""})
    return services.set_manual_scores(context.scope, drafts, user=context.user)


SCORES = register(Form(
    name="scores",
    title=_lazy("人工评分"),
    description=_lazy("考核方案中人工评分项（领导评价、督查检查结果等）的得分；仅限市级管理员。"),
    columns=COLUMNS,
    key=("period", "unit", "item"),
    apply=_apply,
    check=_check,
    city_office_only=True,
    quirks=(
        _lazy("考核项填现行考核方案中计分方法为 manual 的考核项代码或名称"),
        _lazy("再次导入同一期间、单位、考核项时替换原得分"),
    ),
    example_rows=(("2019-11", "甲区", "evaluation", "8.5", "领导评价"),),
))


