"""Indicator definitions the city office adds for its own scheme (指标定义导入): the import
form ``catalog`` and the action it calls.

Schemes often score figures no catalog has (亿元以上项目签约数, 营商环境评价得分): the office
defines them by code, name, unit, kind, direction, decimals and the growth they pair with,
and they become metrics of the registry at once (``value.<code>`` and the kinds' derived
metrics). Importing a code again updates its definition; a kind is not changed once values
are stored, since their meaning would change with it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jiangping.indicators.models import Direction, Indicator, Kind, Value
from jiangping.intake.registry import Column, ColumnType, Form, max_length_of, register
from jiangping.orgs.scope import Scope

KIND_WORDS = (("flow", "累计"), ("growth", "增速"), ("stock", "余额"), ("level", "水平"))
DIRECTION_WORDS = (("higher", "越高越好"), ("lower", "越低越好"))
CODE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")

COLUMNS = (
    Column("code", "指标代码", synonyms=("代码", "指标编码"),
           help=_lazy("小写英文字母、数字和下划线，如 big_signings"),
           max_length=max_length_of(Indicator, "code")),
    Column("name", "指标名称", synonyms=("名称", "指标"), help=_lazy("如 亿元以上项目签约数"),
           max_length=max_length_of(Indicator, "name")),
    Column("unit", "计量单位", synonyms=("单位", "计量"), help=_lazy("如 个、亿元、%"),
           max_length=max_length_of(Indicator, "unit")),
    Column("kind", "类型", ColumnType.CHOICE, choices=KIND_WORDS,
           help=_lazy("累计、增速、余额或水平")),
    Column("direction", "方向", ColumnType.CHOICE, choices=DIRECTION_WORDS, required=False,
           help=_lazy("越高越好或越低越好；不填为越高越好")),
    Column("decimals", "小数位数", ColumnType.INT, required=False, synonyms=("小数位",),
           help=_lazy("0 至 4；不填为 1")),
    Column("growth", "对应增速指标", required=False, synonyms=("增速指标", "对应增速"),
           help=_lazy("累计指标对应的增速指标代码（本表或指标目录中已有）")),
)


def _check(context, records: list[tuple]) -> list[tuple[int, str, str]]:
    refusals = []
    in_file = {record[0]: record for record in records}
    stored = {i.code: i for i in Indicator.objects.all()}
    names: dict[str, str] = {i.name: i.code for i in stored.values()}
    for index, (code, name, _unit, kind, _direction, decimals, growth) in enumerate(records):
        if not code or set(code) - CODE_CHARS or not code[0].isalpha():
            refusals.append((index, "code", _("指标代码“%(code)s”应以小写字母开头，只含小写字母、"
                                              "数字和下划线。") % {"code": code}))
        owner = names.get(name)
        if owner is not None and owner != code:
            refusals.append((index, "name", _("指标名称“%(name)s”已被指标 %(code)s 使用。")
                             % {"name": name, "code": owner}))
        names[name] = code
        if decimals is not None and not 0 <= decimals <= 4:
            refusals.append((index, "decimals", _("小数位数应为 0 至 4。")))
        known = stored.get(code)
        if known is not None and known.kind != kind and Value.objects.filter(
                indicator=known).exists():
            refusals.append((index, "kind", _("指标 %(code)s 已有数据，不能把类型从“%(old)s”改为"
                                              "“%(new)s”。") % {
                "code": code, "old": known.get_kind_display(), "new": Kind(kind).label}))
        if growth:
            other = in_file.get(growth)
            other_kind = other[3] if other else (stored[growth].kind if growth in stored else None)
            if kind != "flow":
                refusals.append((index, "growth", _("只有累计指标才有对应增速指标。")))
            elif other_kind is None:
                refusals.append((index, "growth", _("对应增速指标“%(code)s”不存在。")
                                 % {"code": growth}))
            elif other_kind != "growth":
                refusals.append((index, "growth", _("“%(code)s”不是增速指标。")
                                 % {"code": growth}))
    return refusals


@transaction.atomic
def upsert_indicators(scope: Scope, drafts: list[dict]) -> tuple[int, int]:
    """Add or update indicator definitions (指标定义), ``drafts`` of ``{"code", "name",
    "unit", "kind", "direction", "decimals", "growth"}`` (``growth``: the code of the
    growth indicator a flow pairs with). City office only. Returns ``(created, updated)``."""
    scope.require_city_office()
    created = updated = 0
    order = Indicator.objects.order_by("-sort_order").values_list("sort_order", flat=True)
    next_order = (order.first() or 0) + 1
    saved = {}
    for draft in drafts:
        indicator, made = Indicator.objects.update_or_create(
            code=draft["code"],
            defaults={"name": draft["name"], "unit": draft["unit"], "kind": draft["kind"],
                      "direction": draft["direction"] or Direction.HIGHER,
                      "decimals": 1 if draft["decimals"] is None else draft["decimals"]},
        )
        if made:
            indicator.sort_order = next_order
            next_order += 1
            indicator.save(update_fields=["sort_order"])
        saved[indicator.code] = indicator
        created += made
        updated += not made
    for draft in drafts:
        if draft["growth"]:
            growth = saved.get(draft["growth"]) or Indicator.objects.get(code=draft["growth"])
            growth.growth_of = saved[draft["code"]]
            growth.save(update_fields=["growth_of"])
    return created, updated


def _apply(context, records: list[tuple]) -> tuple[int, int]:
    keys = ("code", "name", "unit", "kind", "direction", "decimals", "growth")
    return upsert_indicators(context.scope, [dict(zip(keys, r, strict=True)) for r in records])


CATALOG = register(Form(
    name="catalog",
    title=_lazy("指标定义"),
    description=_lazy("考核方案所需、指标目录中没有的指标（如亿元以上项目签约数）：代码、名称、"
                      "计量单位、类型、方向、小数位数、对应增速指标；仅限市级管理员。"),
    columns=COLUMNS,
    key=("code",),
    apply=_apply,
    check=_check,
    city_office_only=True,
    quirks=(
        _lazy("再次导入同一指标代码时更新其定义；已有数据的指标不能改变类型"),
        _lazy("导入后即可在考核方案中使用，如 value.指标代码"),
    ),
    example_rows=(("big_signings", "亿元以上项目签约数", "个", "累计", "越高越好", "0", ""),),
))
