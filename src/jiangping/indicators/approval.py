"""Which figures are approved (已审核), and the months index the pickers read.

A value is **approved** when it is published or checked by the city office:

* a peer value (全省通报数据) or a value of a city or the province (the city office's own
  figures and the provincial bulletin's), or
* a value of a unit whose ``indicators`` submission of that month is approved, or of a
  unit below one (approving a county approves its townships and villages, as it locks
  them).

Every other value — a draft, a submitted or returned form, or figures with no
submission at all — is **未审核** and is marked so wherever it is shown; the city office
and the leaders may show approved figures only (:data:`SHOW_APPROVED`).

The status is one SQL expression (:func:`approved_expression`) so that a list, the
comparison table and the API read it in the same query as the values.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import BooleanField, Case, Count, Exists, F, OuterRef, Q, Value, When
from django.db.models.lookups import StartsWith

from jiangping.core import periods as core_periods
from jiangping.indicators.models import Source
from jiangping.indicators.models import Value as Figure
from jiangping.intake.models import State, Submission
from jiangping.orgs.models import Level, OrgUnit, Role, home_city

FORM = "indicators"
IN_CHUNK = 900
SHOW_APPROVED = "approved"  # the query's value for "approved figures only" (仅显示已审核)
SHOW_ALL = "all"


def may_choose_shown(user, scope) -> bool:
    """Whether ``user`` may choose between all figures and approved ones only: the city
    office, leaders and the admin; a reporting unit always sees all, its own drafts
    included, marked 未审核."""
    return scope.is_city_office or user.role == Role.LEADER or scope.root_path is None


def shown_set(user, scope, asked: str | None) -> str:
    """The figures a page shows (:data:`SHOW_ALL` or :data:`SHOW_APPROVED`): what ``user``
    asked for when they may choose, else their default — approved only for leaders
    (DESIGN §10), all for everybody else."""
    if asked and may_choose_shown(user, scope):
        return asked
    return SHOW_APPROVED if user.role == Role.LEADER else SHOW_ALL


def approved_expression(prefix: str = ""):
    """A boolean expression over a Value queryset (``prefix``: the path to the value, e.g.
    ``"value__"``): whether the value is approved (module doc)."""
    ancestor_approved = Submission.objects.filter(
        StartsWith(OuterRef(f"{prefix}unit__path"), F("unit__path")),
        form=FORM, state=State.APPROVED, period=OuterRef(f"{prefix}period"),
    )
    published = (Q(**{f"{prefix}source": Source.PEER})
                 | Q(**{f"{prefix}unit__level__in": (Level.CITY, Level.PROVINCE)}))
    return Case(When(published, then=Value(True)), default=Exists(ancestor_approved),
                output_field=BooleanField())


def unit_month_approved(unit: OrgUnit, period: str) -> bool:
    """Whether ``unit``'s figures of ``period`` are approved (the module doc), one query."""
    if unit.level in (Level.CITY, Level.PROVINCE):
        return True
    chain = [int(part) for part in unit.path.strip("/").split("/") if part]
    return Submission.objects.filter(form=FORM, state=State.APPROVED, period=period,
                                     unit_id__in=chain).exists()


def with_approval(qs):
    """``qs`` (values) annotated with ``approved``."""
    return qs.annotate(approved=approved_expression())


def status_map(indicator_ids: Iterable[int], unit_ids: Iterable[int],
               periods: Iterable[str]) -> dict[tuple[int, int, str], tuple[Decimal, bool]]:
    """Stored values with their approval, keyed ``(indicator id, unit id, period)``,
    unscoped and set-based (one query per 900 units)."""
    indicator_ids, periods = list(set(indicator_ids)), list(set(periods))
    ids = list(set(unit_ids))
    result: dict[tuple[int, int, str], tuple[Decimal, bool]] = {}
    for start in range(0, len(ids), IN_CHUNK):
        rows = with_approval(Figure.objects.filter(
            indicator_id__in=indicator_ids, unit_id__in=ids[start:start + IN_CHUNK],
            period__in=periods,
        )).values_list("indicator_id", "unit_id", "period", "value", "approved")
        result.update(((i, u, p), (v, bool(a))) for i, u, p, v, a in rows)
    return result


def owing_units() -> int:
    """How many units owe the monthly figures: the county-level units of the home city
    (those the approval queue lists as 未填报 until they report)."""
    city = home_city()
    if city is None:
        return 0
    return OrgUnit.objects.filter(level=Level.COUNTY, parent=city).count()


def refresh_data_months(periods: Iterable[str] | None = None) -> None:
    """Recount the months index (:func:`jiangping.core.periods.record_months`) for
    ``periods`` (every month when ``None``): one grouped query."""
    qs = Figure.objects.all()
    if periods is not None:
        periods = list(set(periods))
        if not periods:
            return
        qs = qs.filter(period__in=periods)
    owing = Q(unit__level=Level.COUNTY, unit__parent__level=Level.CITY,
              unit__parent__is_home=True)
    counts: dict[str, int | None] = dict(
        qs.values("period").order_by("period").annotate(
            units=Count("unit_id", distinct=True, filter=owing)).values_list("period", "units"))
    if periods is not None:
        for period in periods:
            counts.setdefault(period, None)
    core_periods.record_months(counts)


def month_held_by_most() -> str | None:
    """The latest month in which more than half of the owing units hold figures: the month
    under review of a database filled by import, without submissions."""
    owing = owing_units()
    return core_periods.months_held_by(core_periods.majority(owing)) if owing else None
