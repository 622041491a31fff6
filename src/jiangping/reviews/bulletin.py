"""The bulletin's section on the month's review (综合考核排名).

Built from the published review result the bulletin is given (``context.review``: the
JSON of :func:`jiangping.reviews.services.as_json` with its ``version``), never from a
new computation, so the bulletin says what the published ranking says. Per ranking group
(分组考核): the units by score (由高到低依次为), the first and the last, the moves since
last month, vetoes; the ranking table (名次 | 县区 | the scheme's sections or items |
加减分 | 总分 | 较上月), ties written 并列2 as the review page writes 并列第2位; a bar
chart of the totals. Then the lists by rule: red and black lists, the flags (流动红旗/黄旗),
the pledge speeches (表态发言) and the escalations (约谈). The problems and next steps name
each group's last units with the items where they lost most against the group's best
(the gap analysis, 找差距).

The scheme the version was computed with gives the items' names, sections and weights;
everything else is read from the result. Registered from
:class:`jiangping.reviews.apps.ReviewsConfig` as section ``ranking`` (order 80).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from jiangping.bulletins.document import (
    Chart,
    Paragraph,
    Section,
    Subheading,
    Table,
    chinese_ordinal,
)
from jiangping.bulletins.sections import Context, Draft
from jiangping.core.numbers import format_number, format_signed, round_half_up
from jiangping.core.phrasing import months_label, ordered_list, rank_move_phrase, rank_phrase
from jiangping.reviews.engine import ALL
from jiangping.reviews.scheme import Scheme, SchemeError

KEY = "ranking"
# A group larger than this is listed by its first and last places, not unit by unit.
LISTED_IN_FULL = 20
LISTED_FIRST, LISTED_LAST = 10, 5
ORDER = 80
WEAKEST = 2  # items named per last unit in the problems
EMPTY = "—"


@dataclass(frozen=True)
class Column:
    """A score column of the ranking table: the items it adds up (a scheme section, an
    item without one, or every bonus and deduction item as 加减分)."""

    label: str
    items: tuple[str, ...]
    signed: bool = False


def scheme_of(review: Mapping) -> Scheme | None:
    """The scheme ``review`` (a published result with its ``period`` and ``version``) was
    computed with; ``None`` when that version or its scheme can no longer be read."""
    from jiangping.reviews.models import Run
    from jiangping.reviews.services import check_scheme

    run = (Run.objects.filter(period=review.get("period"), version=review.get("version"))
           .select_related("scheme").first())
    if run is None:
        return None
    try:
        return check_scheme(run.scheme.text)
    except SchemeError:
        return None


def build(context: Context) -> Draft | None:
    """The section ``ranking`` of ``context.period``'s bulletin; ``None`` without a
    published review (``context.review``) or when it ranks no unit."""
    if not context.review:
        return None
    return ranking_draft(context.review, scheme_of(context.review))


def _label(group: str) -> str:
    return "各县（市、区）" if group == ALL else group


def _places(units: list[dict]) -> int:
    score = next((u["score"] for u in units if u.get("score")), "0")
    return len(score.partition(".")[2])


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _groups(units: list[dict]) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = {}
    for unit in units:
        groups.setdefault(unit["group"], []).append(unit)
    return list(groups.items())


def columns(scheme: Scheme | None) -> list[Column]:
    """The table's score columns: each scheme section (or item without a section) of the
    score items in the scheme's order, then 加减分 when there are bonus or deduction
    items; none without the scheme."""
    if scheme is None:
        return []
    found: dict[str, list[str]] = {}
    for item in scheme.items:
        if item.kind == "score":
            found.setdefault(item.section or item.name, []).append(item.code)
    out = [Column(label, tuple(codes)) for label, codes in found.items()]
    extra = tuple(i.code for i in scheme.items if i.kind in ("bonus", "deduction"))
    if extra:
        out.append(Column("加减分", extra, signed=True))
    return out


def _full_marks(scheme: Scheme, column: Column, group: str) -> str:
    defined = next((g for g in scheme.groups if g.name == group), None)
    scale = defined.total / scheme.total if defined and defined.total else Decimal(1)
    weight = sum((scheme.item(code).weight for code in column.items), Decimal(0))
    return _plain(round_half_up(weight * scale, scheme.places))


def _cell(unit: dict, column: Column, scheme: Scheme, places: int) -> str:
    items = [i for i in unit["items"] if i["item"] in column.items]
    unscored = [i for i in items if i["missing"] and scheme.item(i["item"]).kind == "score"
                and scheme.item(i["item"]).missing != "zero"]
    if items and len(unscored) == len(items):
        return EMPTY
    points = sum((Decimal(i["score"]) for i in items), Decimal(0))
    return format_signed(points, places) if column.signed else format_number(points, places)


def rank_cell(unit: dict) -> str:
    """名次 as the table prints it: ``1``, ``并列2``, ``—`` for a unit not ranked."""
    if unit["rank"] is None:
        return EMPTY
    return ("并列" if unit["tied"] else "") + str(unit["rank"])


def ranking_table(group: str, units: list[dict], scheme: Scheme | None, period: str
                  ) -> Table:
    """名次 | 县区 | columns… | 总分 | 较上月 for one group; 较上月 left out when no unit
    has last month's rank."""
    cols = columns(scheme)
    places = _places(units)
    moves = any(u["rank_change"] is not None for u in units)
    header = ["名次", "单位" if "部门" in group else "县区"]
    header += [f"{c.label}（{_full_marks(scheme, c, group)}分）"
               if not c.signed else c.label for c in cols]
    header.append("总分")
    rows = []
    for unit in units:
        row = [rank_cell(unit), unit["name"]]
        row += [_cell(unit, c, scheme, places) for c in cols]
        row.append(unit["score"])
        if moves:
            row.append(EMPTY if unit["rank_change"] is None
                       else rank_move_phrase(unit["rank_change"], same="持平"))
        rows.append(row)
    align = ["center", "left", *(["right"] * (len(cols) + 1))]
    if moves:
        header.append("较上月")
        align.append("center")
    notes = []
    if any(EMPTY in row[2:2 + len(cols)] for row in rows):
        notes.append("“—”为本月无数据的考核项，按考核方案不计分，其权重分配到其他计分项或不参与排名")
    unranked = [u["name"] for u in units if u["rank"] is None]
    if unranked:
        notes.append("{names}本月不参与排名".format(names="、".join(unranked)))
    year = period[:4]
    return Table(
        caption=f"{year}年{months_label(period)}{_label(group)}综合考核排名",
        header=header, rows=rows, align=align,
        note=("注：" + "；".join(notes) + "。") if notes else "",
    )


def group_paragraph(group: str, units: list[dict]) -> str:
    """The group's sentences: the scores in order, the first and the last, the moves since
    last month, the units not ranked and the vetoes."""
    ranked = [u for u in units if u["rank"] is not None]
    out = []
    if len(ranked) == 1:
        only = ranked[0]
        out.append("{group}仅{name}1个单位参加排名，综合得分{score}分。".format(
            group=_label(group),
            name=only["name"],
            score=only["score"],
        ))
    elif ranked:
        out.append(_in_order(_label(group), ranked))
        out.append(_ends(ranked))
        moved = [u for u in ranked if u["rank_change"]]
        if any(u["rank_change"] is not None for u in ranked):
            if moved:
                moves = "，".join(u["name"] + rank_move_phrase(u["rank_change"]) for u in moved)
                out.append(f"与上月相比，{moves}。")
            else:
                out.append("与上月相比，各单位位次均未变化。")
    unranked = [u["name"] for u in units if u["rank"] is None]
    if unranked:
        out.append("{names}本月不参与排名。".format(names="、".join(unranked)))
    for unit in units:
        if unit.get("vetoed"):
            out.append("{name}因{reasons}被一票否决，等次为{grade}。".format(
                name=unit["name"],
                reasons="、".join(unit.get("veto_reasons") or []),
                grade=unit["grade"],
            ))
    return "".join(out)


def _in_order(label: str, ranked: list[dict]) -> str:
    """县市组综合得分由高到低依次为：… — or, past :data:`LISTED_IN_FULL` units, the first
    and the last places (居前10位的依次为：…；居后5位的依次为：…)."""
    def entries(units):
        return [(u["name"], "{score}分".format(score=u["score"])) for u in units]

    subject = f"{label}综合得分"
    if len(ranked) <= LISTED_IN_FULL:
        return ordered_list(subject, entries(ranked))
    first = ordered_list(subject + f"居前{LISTED_FIRST}位的",
                         entries(ranked[:LISTED_FIRST]), order="")
    last = ordered_list(f"居后{LISTED_LAST}位的",
                        entries(ranked[-LISTED_LAST:]), order="")
    return first[:-1] + "；" + last


def _ends(ranked: list[dict]) -> str:
    top = [u for u in ranked if u["rank"] == 1]
    last_rank = max(u["rank"] for u in ranked)
    first = "、".join(u["name"] for u in top) + (
        rank_phrase(1, True) if len(top) > 1 else "居" + rank_phrase(1))
    if last_rank == 1:
        return first + "。"
    bottom = [u for u in ranked if u["rank"] == last_rank]
    last = "、".join(u["name"] for u in bottom) + (
        "并列末位" if len(bottom) > 1 else "居末位")
    return first + "，" + last + "。"


def totals_chart(group: str, units: list[dict]) -> Chart:
    """The ranked units' totals as bars, with the group's average as the marker."""
    ranked = [u for u in units if u["rank"] is not None]
    scores = [Decimal(u["score"]) for u in ranked]
    average = round_half_up(sum(scores, Decimal(0)) / len(scores), _places(units))
    return Chart("bars", f"{_label(group)}综合得分",
                 [u["name"] for u in ranked],
                 [{"name": "总分", "values": [u["score"] for u in ranked]}],
                 unit="分", marker={"name": "平均", "value": format(average, "f")})


def lists_paragraph(review: Mapping, scheme: Scheme | None) -> str:
    """红榜、黑榜、流动红旗、黄旗、表态发言、约谈 as sentences; ``""`` when every list is
    empty."""
    names = {u["unit"]: u["name"] for u in review["units"]}
    lists = review.get("lists") or {}

    def named(codes) -> str:
        return "、".join(names.get(code, code) for code in codes or [])

    out = []
    listed = []
    if review.get("red_list"):
        listed.append("{names}列入红榜".format(names=named(review["red_list"])))
    if review.get("black_list"):
        listed.append("{names}列入黑榜".format(names=named(review["black_list"])))
    if listed:
        out.append("根据考核结果，" + "，".join(listed) + "。")
    flags = []
    if lists.get("red_flag"):
        flags.append("授予{names}流动红旗".format(names=named(lists["red_flag"])))
    if lists.get("yellow_flag"):
        flags.append("给予{names}黄旗警示".format(names=named(lists["yellow_flag"])))
    if flags:
        out.append("，".join(flags) + "。")
    if review.get("speakers"):
        out.append("{names}在讲评会上作表态发言。".format(names=named(review["speakers"])))
    if lists.get("escalation"):
        out.append("{names}{why}，按规定予以约谈。".format(
            names=named(lists["escalation"]),
            why=_escalation_words(scheme),
        ))
    return "".join(out)


def _escalation_words(scheme: Scheme | None) -> str:
    rule = scheme.lists.get("escalation") if scheme else None
    if not rule or "months" not in rule or "bottom" not in rule:
        return "连续排名靠后"
    place = "末位" if rule["bottom"] == 1 else f"后{rule['bottom']}位"
    return f"连续{rule['months']}个月排名{place}"


def _last_units(groups: list[tuple[str, list[dict]]], scheme: Scheme | None
                ) -> list[tuple[str, dict]]:
    apart = {g.name for g in scheme.groups if not g.overall} if scheme else set()
    out = []
    for group, units in groups:
        ranked = [u for u in units if u["rank"] is not None]
        if group in apart or len(ranked) < 2:
            continue
        last = max(u["rank"] for u in ranked)
        if last > 1:
            out += [(group, u) for u in ranked if u["rank"] == last]
    return out


def _weakest(unit: dict) -> list[dict]:
    """The items where ``unit`` lost most against its group's best, without the items it
    had no data for (their points are not what it achieved)."""
    missing = {i["item"] for i in unit["items"] if i["missing"]}
    lost = [g for g in unit.get("gap", {}).get("lost", [])
            if g["item"] not in missing and Decimal(g["vs_best"]) > 0]
    return sorted(lost, key=lambda g: -Decimal(g["vs_best"]))[:WEAKEST]


def problems_and_actions(groups: list[tuple[str, list[dict]]], scheme: Scheme | None,
                         places: int) -> tuple[list[str], list[str]]:
    """What the ranking suggests: each overall group's last units, the items where they
    lost most against the group's best, and what would lift them one place."""
    last = _last_units(groups, scheme)
    if not last:
        return [], []
    found, remedies = [], []
    for group, unit in last:
        weakest = _weakest(unit)
        peers = [u["name"] for g, u in last if g == group and u is not unit]
        where = ("与%(peers)s并列%(group)s末位" if peers else "居%(group)s末位") % {
            "peers": "、".join(peers), "group": _label(group)}
        text = "{name}综合得分{score}分，{where}".format(
            name=unit["name"],
            score=unit["score"],
            where=where,
        )
        if weakest:
            text += "，失分较多的是" + "、".join(
                "{item}（较组内最高少得{points}分）".format(
                    item=g["name"],
                    points=format_number(Decimal(g["vs_best"]), places),
                )
                for g in weakest)
            remedy = "{name}重点提升{items}".format(
                name=unit["name"],
                items="、".join(g["name"] for g in weakest),
            )
            move = (unit.get("gap", {}).get("move_up") or [None])[0]
            if move:
                remedy += "，" + move["phrase"]
            remedies.append(remedy)
        found.append(text)
    problems = ["部分单位综合考核排名靠后，" + "；".join(found)]
    actions = []
    if remedies:
        actions.append("督促排名靠后的单位对照考核细则找差距、补短板，" + "；".join(remedies))
    return problems, actions


def ranking_draft(review: Mapping, scheme: Scheme | None) -> Draft | None:
    """The section from a review result and its scheme (pure: no query)."""
    units = list(review.get("units") or [])
    if not units:
        return None
    groups = _groups(units)
    period = review["period"]
    several = len(groups) > 1
    blocks: list = []
    number = 0
    for group, members in groups:
        if several:
            number += 1
            blocks.append(Subheading(f"（{chinese_ordinal(number)}）{_label(group)}"))
        blocks.append(Paragraph(group_paragraph(group, members)))
        blocks.append(ranking_table(group, members, scheme, period))
        if sum(1 for u in members if u["rank"] is not None) > 1:
            blocks.append(totals_chart(group, members))
    lists = lists_paragraph(review, scheme)
    if lists:
        if several:
            number += 1
            blocks.append(Subheading(f"（{chinese_ordinal(number)}）考核结果运用"))
        blocks.append(Paragraph(lists))
    problems, actions = problems_and_actions(groups, scheme, _places(units))
    return Draft(Section(KEY, "综合考核排名", blocks), problems, actions)
