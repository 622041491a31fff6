"""API: the indicator catalog (指标), monthly values, annual targets and the comparison table.

Codes in, codes out: indicators and org units are named by their codes, never by ids.
Every read and write goes through :mod:`jiangping.indicators.services` with the caller's
scope; values go out as JSON strings so that no digit is lost to floating point, and come
in as text or JSON numbers, read by the importer's cell converter in the indicator's unit
of measure (:func:`~jiangping.intake.converters.number_converter`), as the entry page
reads them: ``1,234.5``, full-width digits, ``12.3%`` only where the unit is %.
"""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from jiangping.core.apilists import (
    cached_answer,
    limit_param,
    offset_param,
    page_answer,
    paged,
)
from jiangping.core.pagecache import cached_fragment
from jiangping.core.text import join_sentences
from jiangping.indicators import metrics, services
from jiangping.indicators.approval import SHOW_APPROVED, shown_set, with_approval
from jiangping.indicators.comparison import comparison_table
from jiangping.indicators.models import Indicator, Kind, Target, Value
from jiangping.indicators.targets import targets_for
from jiangping.intake.converters import number_converter
from jiangping.intake.normalize import CellError, quote
from jiangping.orgs.api import in_view, scope_of, units_in_view, unknown_units_message
from jiangping.orgs.models import OrgUnit

router = Router(tags=["indicators"])


def plain(number: Decimal) -> str:
    """A stored decimal without its padding zeros: ``12.500000`` → ``"12.5"``."""
    return format(number.normalize(), "f")


# --- schemas ----------------------------------------------------------------


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    kind: str
    direction: str
    decimals: int
    has_target: bool
    growth_of: str | None
    synonyms: list[str]

    @staticmethod
    def resolve_growth_of(indicator: Indicator) -> str | None:
        return indicator.growth_of.code if indicator.growth_of_id else None

    @staticmethod
    def resolve_synonyms(indicator: Indicator) -> list[str]:
        return [s.strip() for s in indicator.synonyms.split(",") if s.strip()]


class ValueOut(Schema):
    indicator: str = Field(..., alias="indicator.code")
    unit: str = Field(..., alias="unit.code")
    unit_name: str = Field(..., alias="unit.name")
    period: str
    value: str
    source: str
    approved: bool = Field(
        ..., description="已审核：市级审核通过、上级已审核或全省通报数据；否则为未审核")
    updated: datetime
    updated_by: str | None

    @staticmethod
    def resolve_value(obj: Value) -> str:
        return plain(obj.value)

    @staticmethod
    def resolve_updated_by(obj: Value) -> str | None:
        return obj.updated_by.username if obj.updated_by_id else None


def _number_as_sent(value):
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise PydanticCustomError("number_type", "a number, or a number written as text")
    return value


# A value as sent: text (``"1,234.5"``, ``"１２.３"``, ``"12.3%"``) or a JSON number, kept
# as is for the cell converter, which reads it in the indicator's unit of measure.
NumberAsSent = Annotated[
    str | Decimal,
    PlainValidator(_number_as_sent),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"}]}),
]
VALUE_HELP = ("数值（按指标的计量单位）：数字或文本，如 123.4、\"1,234.5\"；"
              "百分数仅限计量单位为 % 的指标")


EXPECTED_HELP = ("可选：客户端读取时的数值（null 表示当时没有数值）。现存数值与之不同"
                 "（他人已修改）时拒绝写入，返回 409，不覆盖他人的修改")


class ValueIn(Schema):
    indicator: str = Field(..., description="指标代码", examples=["fai"])
    unit: str = Field(..., description="组织机构代码", examples=["990102"])
    period: str = Field(..., description="期间 YYYY-MM", examples=["2019-11"])
    value: NumberAsSent = Field(..., description=VALUE_HELP, examples=["123.4"])
    expected: NumberAsSent | None = Field(None, description=EXPECTED_HELP,
                                          examples=["120.0"])


class OneValueIn(Schema):
    value: NumberAsSent = Field(..., description=VALUE_HELP, examples=["123.4"])
    expected: NumberAsSent | None = Field(None, description=EXPECTED_HELP,
                                          examples=["120.0"])


class WriteResult(Schema):
    created: int
    updated: int


class TargetOut(Schema):
    indicator: str = Field(..., alias="indicator.code")
    unit: str = Field(..., alias="unit.code")
    unit_name: str = Field(..., alias="unit.name")
    year: int
    value: str

    @staticmethod
    def resolve_value(obj: Target) -> str:
        return plain(obj.value)


class MetricOut(Schema):
    code: str
    name: str
    unit: str
    direction: str
    formula: str


# --- code lookups -----------------------------------------------------------


def _by_code(model, codes, message: str) -> dict:
    codes = list(dict.fromkeys(codes))
    found = {obj.code: obj for obj in model.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationError(message % {"codes": "、".join(map(quote, missing))})
    return found


def indicators_by_code(codes) -> dict[str, Indicator]:
    return _by_code(Indicator, codes, _("指标代码不存在：%(codes)s。"))


# --- catalog ----------------------------------------------------------------


@router.get("/", response=list[IndicatorOut], summary="指标目录")
def catalog(request, kind: Kind | None = None):
    """Every indicator with its unit of measure, kind and direction."""
    indicators = Indicator.objects.select_related("growth_of")
    if kind:
        indicators = indicators.filter(kind=kind)
    return indicators


# --- values -----------------------------------------------------------------


# The columns a value's item is made of, in ValueOut's order (one row, no model object).
VALUE_COLUMNS = ("indicator__code", "unit__code", "unit__name", "period", "value", "source",
                 "approved", "updated", "updated_by__username")


def value_item(row: tuple) -> dict:
    """A row of :data:`VALUE_COLUMNS` as ValueOut's item."""
    indicator, unit, unit_name, period, value, source, approved, updated, by = row
    return {"indicator": indicator, "unit": unit, "unit_name": unit_name, "period": period,
            "value": plain(value), "source": source, "approved": bool(approved),
            "updated": updated, "updated_by": by}


@router.get("/values", response=paged(ValueOut), summary="指标值（本人数据范围）")
def list_values(
    request,
    period: list[str] | None = Query(None, description="期间 YYYY-MM，可重复"),  # noqa: B008
    indicator: list[str] | None = Query(None, description="指标代码，可重复"),  # noqa: B008
    unit: list[str] | None = Query(None, description="组织机构代码，可重复"),  # noqa: B008
    limit: int = limit_param(),
    offset: int = offset_param(),
):
    """Monthly values the caller may read: their own subtree, plus peer cities' values;
    paginated (up to 5000 a page). The same page for the same scope and query is kept
    until the figures change."""
    scope = scope_of(request)

    def answer():
        values = services.values_for(
            scope,
            periods=period or None,
            indicators=indicators_by_code(indicator).values() if indicator else None,
            units=units_in_view(request, unit).values() if unit else None,
        )
        rows = with_approval(values).order_by(
            "period", "indicator__sort_order", "indicator__code", "unit__path"
        ).values_list(*VALUE_COLUMNS)
        return page_answer(request, rows, value_item, limit=limit, offset=offset,
                           max_limit=5000)

    parts = (*scope.cache_key, tuple(period or ()),
             tuple(indicator or ()), tuple(unit or ()), limit, offset)
    return cached_answer("api-values", parts, answer)


def shown(raw) -> str:
    """A value as it was sent (text as typed, a JSON number as written), cut after ~50
    characters so that a refusal never echoes a huge value whole."""
    return quote(raw if isinstance(raw, str) else str(raw))


class ValueReader:
    """Reads values as sent, with one cell converter per unit of measure."""

    def __init__(self):
        self._converters: dict[str, Callable] = {}

    def read(self, indicator: Indicator, raw) -> Decimal:
        """``raw`` in ``indicator``'s unit; ValidationError quoting ``raw`` as sent."""
        convert = self._converters.get(indicator.unit)
        if convert is None:
            convert = self._converters[indicator.unit] = number_converter(indicator.unit)
        try:
            value = convert(raw)
        except CellError as error:
            if error.quotes_value:
                raise ValidationError(error.message) from None
            raise ValidationError(_("数值“%(value)s”有误：%(message)s") % {
                "value": shown(raw), "message": error.message}) from None
        if value is None:
            raise ValidationError(
                _("数值“%(value)s”为空；删除指标值请用 DELETE。") % {"value": shown(raw)})
        return value


def item_message(index: int, message: str) -> str:
    """``第3项：…``: a refusal naming the item of a batch (``index`` 0-based)."""
    return _("第%(n)s项：%(message)s") % {"n": index + 1, "message": message}


def _batch_rows(request, payload: list[ValueIn]) -> tuple[list[tuple], dict[int, Decimal | None]]:
    """The rows of a batch as the services take them, and the values the client expects
    to replace (by position); ValidationError listing every item refused (unknown code, a
    unit outside the caller's view, malformed period, a value that cannot be read)."""
    indicators = Indicator.objects.in_bulk({row.indicator for row in payload},
                                           field_name="code")
    scope = scope_of(request)
    units = {code: unit for code, unit in OrgUnit.objects.in_bulk(
        {row.unit for row in payload}, field_name="code").items() if in_view(scope, unit)}
    reader, rows, refusals = ValueReader(), [], []
    expected: dict[int, Decimal | None] = {}
    for index, row in enumerate(payload):
        indicator, unit = indicators.get(row.indicator), units.get(row.unit)
        reasons = []
        if indicator is None:
            reasons.append(_("指标代码不存在：%(codes)s。") % {"codes": quote(row.indicator)})
        if unit is None:
            reasons.append(unknown_units_message([quote(row.unit)]))
        try:
            services.validate_period(row.period)
        except ValidationError as error:
            reasons += error.messages
        if indicator is not None:
            try:
                value = reader.read(indicator, row.value)
                if "expected" in row.model_fields_set:
                    expected[len(rows)] = (None if row.expected is None
                                           else reader.read(indicator, row.expected))
            except ValidationError as error:
                reasons += error.messages
        refusals += [item_message(index, reason) for reason in reasons]
        if not reasons:
            rows.append((indicator, unit, row.period, value))
    if refusals:
        raise ValidationError(refusals)
    return rows, expected


@router.put("/values", response=WriteResult, summary="批量填报指标值")
def put_values(request, payload: list[ValueIn]):
    """Create or update one or many values, all or nothing; returns how many of each.
    Every refused item is named (第N项), counted from 1 in the order sent."""
    rows, expected = _batch_rows(request, payload)
    scope = scope_of(request)
    refusals, forbidden = services.refused_rows(scope, rows)
    if refusals:
        messages = [item_message(index, message) for index, message in sorted(refusals.items())]
        if forbidden:
            raise PermissionDenied(join_sentences(messages))
        raise ValidationError(messages)
    try:
        created, updated = services.upsert_values(scope, rows, user=request.auth,
                                                  expected=expected)
    except services.Conflict as conflict:
        raise services.Conflict(
            [item_message(i, m) for i, m in zip(conflict.rows, conflict.messages, strict=True)],
            conflict.current) from None
    except (PermissionDenied, ValidationError) as error:
        index = getattr(error, "row", None)
        if index is None:
            raise
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        raise type(error)(item_message(index, join_sentences(messages))) from None
    return {"created": created, "updated": updated}


def _one(request, indicator: str, unit: str, period: str, raw=None,
         expected=services.UNSET):
    """Set one value from ``raw`` as sent, or delete it when ``raw`` is None; with
    ``expected`` (as sent, ``None``: no value), only if the stored value is still that."""
    found = indicators_by_code([indicator])[indicator]
    reader = ValueReader()
    if expected is not services.UNSET and expected is not None:
        expected = reader.read(found, expected)
    return services.set_value(
        scope_of(request),
        indicator=found,
        unit=units_in_view(request, [unit])[unit],
        period=period,
        value=None if raw is None else reader.read(found, raw),
        user=request.auth,
        expected=expected,
    )


@router.put(
    "/values/{indicator}/{unit}/{period}", response=ValueOut, summary="填报一个指标值"
)
def put_value(request, indicator: str, unit: str, period: str, payload: OneValueIn):
    """Create or update one value. With ``expected`` (the value the client read, ``null``
    for none) the write is refused with 409 when someone else changed it since."""
    expected = payload.expected if "expected" in payload.model_fields_set else services.UNSET
    value = _one(request, indicator, unit, period, payload.value, expected)
    return with_approval(Value.objects.select_related("indicator", "unit", "updated_by")).get(
        pk=value.pk)


@router.delete(
    "/values/{indicator}/{unit}/{period}", response={204: None}, summary="删除一个指标值"
)
def delete_value(request, indicator: str, unit: str, period: str):
    _one(request, indicator, unit, period)
    return HttpResponse(status=204)


# --- targets ----------------------------------------------------------------


@router.get("/targets", response=list[TargetOut], summary="年度目标（本人数据范围）")
@paginate(LimitOffsetPagination, max_limit=5000)
def list_targets(
    request,
    year: int | None = None,
    indicator: list[str] | None = Query(None, description="指标代码，可重复"),  # noqa: B008
    unit: list[str] | None = Query(None, description="组织机构代码，可重复"),  # noqa: B008
):
    """Annual targets (年度目标) of the units in the caller's scope."""
    targets = targets_for(
        scope_of(request),
        year=year,
        indicators=indicators_by_code(indicator).values() if indicator else None,
        units=units_in_view(request, unit).values() if unit else None,
    )
    return targets.select_related("indicator", "unit").order_by(
        "year", "indicator__sort_order", "indicator__code", "unit__path"
    )


# --- comparison -------------------------------------------------------------


@router.get("/comparison", response=dict, summary="指标对比表")
def comparison(
    request,
    period: str = Query(..., description="期间 YYYY-MM"),
    tier: Literal["counties", "cities"] = Query(
        "counties", description="counties：本市各县（市、区）；cities：全省各市"
    ),
    indicator: list[str] | None = Query(None, description="指标代码，可重复；缺省为全部"),  # noqa: B008
    show: Literal["all", "approved"] | None = Query(
        None, description="all：全部数据（未审核的 approved 为 false）；approved：仅已审核数据。"
                          "市级、领导可选；领导缺省为 approved，其他角色为 all"),
):
    """Every unit of the tier with value, growth, completion, schedule gap and rank per
    indicator; counties outside the caller's scope show their rank only."""
    scope = scope_of(request)
    shown = shown_set(request.auth, scope, show)
    chosen = list(indicators_by_code(indicator).values()) if indicator else None
    # The same table for the same month, scope and options until the figures change.
    parts = (period, tier, tuple(i.code for i in chosen or ()), shown, scope.root_path)
    return cached_fragment("api-comparison", parts, lambda: comparison_table(
        scope, period, indicators=chosen, tier=tier,
        approved_only=shown == SHOW_APPROVED).as_dict())


# --- metrics ----------------------------------------------------------------


@router.get("/metrics", response=list[MetricOut], summary="考核口径登记")
def list_metrics(request, concrete: bool = False):
    """The metric registry: by default one row per derived kind (``<code>`` stands for any
    indicator) and every registered metric; ``concrete=true`` lists every metric itself."""
    return [
        {field: str(getattr(row, field)) for field in MetricOut.model_fields}
        for row in metrics.describe(concrete=concrete)
    ]
