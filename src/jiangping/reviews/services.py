"""Actions of the assessment and the monthly review (考核与讲评): upload a scheme, compute a
month, publish it. Every face (CLI, pages, API, demo) calls these; the arithmetic is in the
pure modules :mod:`~jiangping.reviews.methods`, :mod:`~jiangping.reviews.engine` and
:mod:`~jiangping.reviews.gaps`.

A month's review is computed from the metrics of the registry
(:mod:`jiangping.indicators.metrics`) for the units the scheme names, and stored as a
version (:class:`~jiangping.reviews.models.Run`) with every input as it was. Publishing
freezes a version; computing a published month again makes a new draft version with the
difference — which units' scores and ranks changed and why (a corrected value, another
scheme) — and never touches the published one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiangping.core.numbers import round_half_up
from jiangping.indicators import formulas
from jiangping.indicators import metrics as registry
from jiangping.orgs.models import Level, OrgUnit, home_city
from jiangping.orgs.scope import Scope
from jiangping.reviews import engine, grading
from jiangping.reviews.methods import Entry
from jiangping.reviews.models import Exemption, ManualScore, Run, Scheme, Status
from jiangping.reviews.scheme import MANUAL, SchemeError, load

REVIEWED_LEVELS = (Level.COUNTY, Level.DEPARTMENT)
# Computed figures (a completion rate, a schedule gap) enter the scheme as they are
# published: rounded half up to two decimals, so a score can be checked by hand.
INPUT_PLACES = 2


def metric_catalog() -> dict[str, registry.Metric]:
    """Every metric a scheme may name, by code."""
    return {m.code: m for m in registry.all_metrics()}


def check_scheme(text: str):
    """The loaded scheme of ``text``; raises :class:`SchemeError` (Chinese, with lines)."""
    catalog = metric_catalog()
    return load(text, {code: m.direction for code, m in catalog.items()})


@transaction.atomic
def upload_scheme(scope: Scope, text: str, user=None) -> Scheme:
    """Store a checked scheme and put it in force for its year (the one before is kept,
    no longer in force; results keep the scheme they were computed with). Uploading the
    same file again only puts it back in force. Raises :class:`ValidationError`."""
    scope.require_city_office()
    try:
        loaded = check_scheme(text)
    except SchemeError as error:
        raise ValidationError([str(error)]) from None
    digest = hashlib.sha256(text.encode()).hexdigest()
    Scheme.objects.filter(year=loaded.year, in_force=True).update(in_force=False)
    record, _created = Scheme.objects.update_or_create(
        year=loaded.year, digest=digest,
        defaults={"name": loaded.name, "version": loaded.version, "text": text,
                  "in_force": True, "uploaded_by": user},
    )
    return record


def scheme_in_force(year: int) -> Scheme:
    """The scheme in force for ``year``; :class:`ValidationError` when none was uploaded."""
    record = Scheme.objects.filter(year=year, in_force=True).first()
    if record is None:
        raise ValidationError(_("%(year)d年度的考核方案尚未上传。") % {"year": year})
    return record


def reviewed_units(scheme) -> list[tuple[OrgUnit, str]]:
    """The units the scheme reviews with their group: those it names or whose kind it
    lists; without groups, every county-level unit of the home city."""
    city = home_city()
    candidates = OrgUnit.objects.filter(level__in=REVIEWED_LEVELS).order_by("sort_order", "path")
    if city is not None:
        candidates = candidates.filter(Q(path__startswith=city.path) | Q(level=Level.DEPARTMENT))
    out: list[tuple[OrgUnit, str]] = []
    for unit in candidates:
        if not scheme.groups:
            if unit.level == Level.COUNTY:
                out.append((unit, engine.ALL))
            continue
        for group in scheme.groups:
            names = {unit.name, unit.short_name, unit.code} - {""}
            if names & set(group.units) or (unit.group and unit.group in group.kinds):
                out.append((unit, group.name))
                break
    order = [g.name for g in scheme.groups]
    return sorted(out, key=lambda pair: order.index(pair[1]) if pair[1] in order else 0)


def _text(number: Decimal | None) -> str | None:
    return None if number is None else format(number, "f")


def _plain(number: Decimal | None) -> str | None:
    """An input as stored with a version: rounded half up to :data:`INPUT_PLACES`, without
    trailing zeros (``10.000000`` → ``10``, ``116.666…`` → ``116.67``)."""
    if number is None:
        return None
    text = format(round_half_up(number, INPUT_PLACES), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _number(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def gather(scheme, period: str, units: list[OrgUnit]) -> dict:
    """The month's inputs of every item, as stored with a version: ``{"items": {code:
    {unit code: {"value", "target"}}}}`` with numbers as strings."""
    catalog = metric_catalog()
    ids = [u.pk for u in units]
    code_of = {u.pk: u.code for u in units}
    year = formulas.parse_period(period)[0]
    items = {}
    for item in scheme.items:
        if item.metric == MANUAL:
            found = dict(ManualScore.objects.filter(period=period, unit__in=ids, item=item.code)
                         .values_list("unit_id", "points"))
            values = {i: found.get(i) for i in ids}
        else:
            values = catalog[item.metric].compute(ids, period)
        targets: dict[int, Decimal | None] = {}
        if item.target == "target":
            targets = _annual_targets(item.metric, ids, year)
        items[item.code] = {
            code_of[i]: {"value": _plain(values.get(i)), "target": _plain(targets.get(i))}
            for i in ids
        }
    return {"items": items}


def _annual_targets(metric: str, ids: list[int], year: int) -> dict[int, Decimal | None]:
    from jiangping.indicators.models import Indicator
    from jiangping.indicators.targets import target_map

    kind, _sep, code = metric.partition(".")
    indicator = Indicator.objects.filter(code=code).first() if kind == "value" else None
    if indicator is None:
        raise ValidationError(_("考核口径“%(metric)s”没有年度目标，考核项的 target 只能用于"
                                "“value.指标代码”。") % {"metric": metric})
    found = target_map([indicator.pk], ids, year)
    return {i: found.get((indicator.pk, i)) for i in ids}


def published_run(period: str) -> Run | None:
    """The month's latest published review version (``YYYY-MM``), or ``None``: what every
    user sees and what the bulletin is built on."""
    return Run.objects.filter(period=period, status=Status.PUBLISHED).order_by("-version").first()


def _context(period: str, codes: list[str]) -> dict:
    """Last month's published ranks, the escalation history and the exemptions."""
    before = [published_run(formulas.shift_period(period, -n)) for n in range(1, 4)]
    history = []
    for run in before:
        if run is None:
            break
        sizes: dict[str, int] = {}
        for u in run.result["units"]:
            if u["rank"] is not None:
                sizes[u["group"]] = sizes.get(u["group"], 0) + 1
        history.append({u["unit"]: [u["rank"], sizes[u["group"]]]
                        for u in run.result["units"] if u["rank"] is not None})
    previous = {code: rank for code, (rank, _size) in (history[0].items() if history else [])}
    exempt = sorted(Exemption.objects.filter(period=period, unit__code__in=codes)
                    .values_list("unit__code", flat=True))
    return {"previous": previous, "history": history, "exempt": exempt}


def score(scheme, period: str, frozen: dict) -> dict:
    """The review's JSON (DESIGN §13 ``review``) from stored inputs: the same inputs give the
    same result, whenever it is computed."""
    catalog = metric_catalog()
    directions = {code: m.direction for code, m in catalog.items()}
    measures = {code: (m.unit, 2) for code, m in catalog.items()}
    units = [engine.Unit(u["code"], u["name"], u["group"]) for u in frozen["units"]]
    inputs = {
        code: {unit: Entry(_number(e["value"]), _number(e["target"])) for unit, e in per.items()}
        for code, per in frozen["items"].items()
    }
    history = [{k: tuple(v) for k, v in month.items()} for month in frozen["history"]]
    result = engine.review(scheme, units, inputs, directions, previous=frozen["previous"],
                           exempt=frozen["exempt"], history=history, measures=measures)
    return as_json(scheme, period, result)


def as_json(scheme, period: str, result: engine.Result) -> dict:
    """The engine's result in the shape of DESIGN §13, numbers as strings."""
    def item_json(i: engine.ItemScore) -> dict:
        return {"item": i.item, "value": _text(i.value), "target": _text(i.target),
                "score": _text(i.points), "explain": i.explain, "rank": i.rank,
                "missing": i.missing}

    def gap_json(gap: dict) -> dict:
        return {
            "lost": [{**g, **{k: _text(g[k]) for k in ("points", "full", "vs_full", "vs_best")}}
                     for g in gap.get("lost", [])],
            "move_up": [{**m, **{k: _text(m[k]) for k in ("value", "needed", "change")}}
                        for m in gap.get("move_up", [])],
        }

    lists = result.lists
    return {
        "period": period, "scheme": scheme.name, "scheme_version": scheme.version,
        "units": [{
            "unit": r.unit, "name": r.name, "group": r.group, "score": _text(r.score),
            "rank": r.rank, "tied": r.tied, "rank_change": r.rank_change, "grade": r.grade,
            "vetoed": r.vetoed, "veto_reasons": r.veto_reasons, "excluded": r.excluded,
            "items": [item_json(i) for i in r.items], "gap": gap_json(r.gap),
        } for r in result.units],
        "red_list": lists.get("red", []), "black_list": lists.get("black", []),
        "speakers": lists.get("speakers", []),
        "lists": {k: v for k, v in lists.items() if k not in ("red", "black", "speakers")},
    }


def diff(before: Run, scheme_record: Scheme, frozen: dict, result: dict) -> dict:
    """What changed against the published version: each unit whose score, rank or grade
    changed, with the items whose input or score changed (``{"scheme_changed", "units":
    [{"unit", "name", "score": [old, new], "rank": [old, new], "items": [{"item",
    "value": [old, new], "score": [old, new]}]}]}``)."""
    old_units = {u["unit"]: u for u in before.result["units"]}
    changes = []
    for unit in result["units"]:
        old = old_units.get(unit["unit"])
        if old is None:
            changes.append({"unit": unit["unit"], "name": unit["name"], "added": True})
            continue
        items = []
        old_items = {i["item"]: i for i in old["items"]}
        for item in unit["items"]:
            was = old_items.get(item["item"], {})
            if was.get("value") != item["value"] or was.get("score") != item["score"]:
                items.append({"item": item["item"], "value": [was.get("value"), item["value"]],
                              "score": [was.get("score"), item["score"]]})
        if items or old["score"] != unit["score"] or old["rank"] != unit["rank"] \
                or old["grade"] != unit["grade"]:
            changes.append({"unit": unit["unit"], "name": unit["name"],
                            "score": [old["score"], unit["score"]],
                            "rank": [old["rank"], unit["rank"]],
                            "grade": [old["grade"], unit["grade"]], "items": items})
    return {"against": before.version, "scheme_changed": before.scheme_id != scheme_record.pk,
            "units": changes}


@transaction.atomic
def compute(scope: Scope, period: str, scheme_record: Scheme | None = None,
            user=None) -> Run:
    """The month's review as a stored version: the draft is replaced; when the result and
    its inputs equal the published version's, that version is returned unchanged; after a
    publication, a new draft version with its diff. Raises :class:`ValidationError`."""
    scope.require_city_office()
    try:
        formulas.parse_period(period)
    except ValueError:
        raise ValidationError(_("期间“%(period)s”无效，应为 YYYY-MM。") % {"period": period}) \
            from None
    year = formulas.parse_period(period)[0]
    scheme_record = scheme_record or scheme_in_force(year)
    try:
        scheme = check_scheme(scheme_record.text)
    except SchemeError as error:
        raise ValidationError([str(error)]) from None
    units = reviewed_units(scheme)
    if not units:
        raise ValidationError(_("考核方案没有对应的考核单位。"))
    frozen = gather(scheme, period, [u for u, _g in units])
    frozen["units"] = [{"code": u.code, "name": u.short_name or u.name, "group": group}
                       for u, group in units]
    frozen.update(_context(period, [u.code for u, _g in units]))
    result = score(scheme, period, frozen)
    published = published_run(period)
    if (published is not None and published.scheme_id == scheme_record.pk
            and published.inputs == frozen):
        Run.objects.filter(period=period, status=Status.DRAFT).delete()
        return published
    draft = Run.objects.filter(period=period, status=Status.DRAFT).first()
    version = (published.version + 1) if published else 1
    fields = {
        "scheme": scheme_record, "inputs": frozen, "result": result,
        "diff": diff(published, scheme_record, frozen, result) if published else {},
        "computed_at": timezone.now(), "version": version,
    }
    if draft is None:
        return Run.objects.create(period=period, status=Status.DRAFT, **fields)
    for name, value in fields.items():
        setattr(draft, name, value)
    draft.save()
    return draft


@transaction.atomic
def publish(scope: Scope, period: str, user=None) -> Run:
    """Publish the month's draft (计算后发布): it is frozen and visible to every user.
    Raises :class:`ValidationError` when there is no draft to publish."""
    scope.require_city_office()
    draft = Run.objects.select_for_update().filter(period=period, status=Status.DRAFT).first()
    if draft is None:
        raise ValidationError(_("%(period)s没有待发布的讲评结果，请先计算。") % {"period": period})
    draft.status = Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.published_by = user
    draft.save(update_fields=["status", "published_at", "published_by"])
    return draft


def visible_run(scope: Scope, period: str) -> Run | None:
    """The version a user sees: the city office the latest (draft included), everyone else
    the latest published."""
    runs = Run.objects.filter(period=period)
    if not scope.is_city_office:
        runs = runs.filter(status=Status.PUBLISHED)
    return runs.order_by("-version").first()


def unit_entry(run: Run, code: Hashable) -> dict | None:
    """One unit's part of a stored result."""
    return next((u for u in run.result["units"] if u["unit"] == code), None)


def score_trend(code: str, period: str, months: int = 12) -> list[dict]:
    """A unit's published score and rank over the ``months`` months up to ``period``:
    ``[{"period", "score", "rank", "group"}]``, oldest first, months without a published
    result left out."""
    first = formulas.shift_period(period, -(months - 1))
    runs = (Run.objects.filter(status=Status.PUBLISHED, period__gte=first, period__lte=period)
            .order_by("period", "-version"))
    seen, out = set(), []
    for run in runs:
        if run.period in seen:
            continue
        seen.add(run.period)
        entry = unit_entry(run, code)
        if entry is not None:
            out.append({"period": run.period, "score": entry["score"], "rank": entry["rank"],
                        "group": entry["group"]})
    return out


def year_result(year: int) -> dict:
    """The year's result (年度综合得分): the published months of ``year`` combined by the
    ``[periods]`` weights of the scheme in force (:func:`grading.combine_year`, whose rules
    docs/schemes.md states). Only published months enter, so every user sees the same result.

    Shape: ``{"year", "scheme", "scheme_version", "weights": {part: weight},
    "months_published": [period], "final": bool (all twelve published), "units": [{"unit",
    "name", "group", "score", "rank", "tied", "grade", "vetoed", "veto_months": [period],
    "parts": {part: score}, "months_used": [period], "months_missing": [{"period",
    "reason"}]}]}`` — numbers as strings, ``reason`` ``unpublished`` / ``absent`` (the month's
    review did not hold the unit) / ``excluded`` (不参与排名); units by group, then rank.
    Raises :class:`ValidationError` without a scheme for the year or a published month."""
    record = scheme_in_force(year)
    try:
        scheme = check_scheme(record.text)
    except SchemeError as error:
        raise ValidationError([str(error)]) from None
    runs: dict[str, Run] = {}
    for run in (Run.objects.filter(status=Status.PUBLISHED, period__startswith=f"{year}-")
                .defer("inputs", "diff").order_by("period", "-version")):
        runs.setdefault(run.period, run)
    if not runs:
        raise ValidationError(_("%(year)d年度尚无已发布的月度考核结果。") % {"year": year})
    months: dict[int, dict[str, grading.MonthScore]] = {}
    names: dict[str, str] = {}
    for period, run in runs.items():
        months[int(period[5:])] = {
            u["unit"]: grading.MonthScore(Decimal(u["score"]), u["group"], u["vetoed"],
                                          u.get("excluded", False))
            for u in run.result["units"]}
        names.update({u["unit"]: u["name"] for u in run.result["units"]})
    combined = grading.combine_year(list(names), months, scheme.periods, scheme.grading,
                                    scheme.places)
    order = [g.name for g in scheme.groups]
    combined.sort(key=lambda r: (order.index(r.group) if r.group in order else len(order),
                                 r.rank if r.rank is not None else 10 ** 9, names[r.unit]))

    def period(month: int) -> str:
        return f"{year}-{month:02d}"

    return {
        "year": year, "scheme": scheme.name, "scheme_version": scheme.version,
        "weights": {k: _text(v) for k, v in (scheme.periods or grading.DEFAULT_WEIGHTS).items()},
        "months_published": sorted(runs), "final": len(runs) == 12,
        "units": [{
            "unit": r.unit, "name": names[r.unit], "group": r.group, "score": _text(r.score),
            "rank": r.rank, "tied": r.tied, "grade": r.grade, "vetoed": r.vetoed,
            "veto_months": [period(m) for m in r.veto_months],
            "parts": {k: _text(v) for k, v in r.parts.items()},
            "months_used": [period(m) for m in r.used],
            "months_missing": [{"period": period(m), "reason": why} for m, why in r.missing],
        } for r in combined],
    }


def ranking_chart(run: Run, group: str, own: str | None = None) -> dict:
    """The group's scores as the ranking bar chart of the pages (``core/site.js``)."""
    units = [u for u in run.result["units"] if u["group"] == group]
    return {
        "title": _("%(group)s得分") % {"group": group}, "unit": _("分"),
        "bars": [{"name": u["name"], "value": float(u["score"]), "label": u["score"],
                  "rank": u["rank"], "highlight": u["unit"] == own} for u in units],
        "average": None, "average_label": "", "axis": None,
    }


@transaction.atomic
def set_manual_scores(scope: Scope, drafts: list[dict], user=None) -> tuple[int, int]:
    """Store scores given by hand (人工评分), ``drafts`` of ``{"period", "unit_id", "item",
    "points", "note"}``; the same period, unit and item again replaces the score. City
    office only. Returns ``(created, updated)``."""
    scope.require_city_office()
    created = updated = 0
    for draft in drafts:
        _row, made = ManualScore.objects.update_or_create(
            period=draft["period"], unit_id=draft["unit_id"], item=draft["item"],
            defaults={"points": draft["points"], "note": draft["note"], "entered_by": user})
        created += made
        updated += not made
    return created, updated


@transaction.atomic
def set_exemption(scope: Scope, period: str, unit: OrgUnit, reason: str, user=None) -> Exemption:
    """Exempt ``unit`` from the month's black list (不可抗力免责) for ``reason``; city office
    only; the next computation of the month applies it. Raises :class:`ValidationError`
    without a reason."""
    scope.require_city_office()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写免责理由（如不可抗力的情况）。"))
    exemption, _created = Exemption.objects.update_or_create(
        period=period, unit=unit, defaults={"reason": reason[:300], "entered_by": user})
    return exemption


@transaction.atomic
def remove_exemption(scope: Scope, period: str, unit: OrgUnit) -> None:
    """Withdraw the unit's exemption of the month; city office only."""
    scope.require_city_office()
    Exemption.objects.filter(period=period, unit=unit).delete()
