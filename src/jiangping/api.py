"""The REST API (``/api/``, OpenAPI at ``/api/docs``): one NinjaAPI, a router per app.

Endpoints validate input and call the same services as the pages and the CLI. Errors
answer with a JSON ``{"detail": "…"}`` in Chinese: 400 a body that is not JSON, 401 not
authenticated, 403 outside the caller's scope or role, 404 not found, 409 a value changed
by someone else since the client read it (``expected``), 422 refused content (a field
missing or of the wrong type, an unknown code, a value that cannot be read, a locked
month), 503 the database busy (with ``Retry-After``; ``"retry": true``) or unavailable.
"""

import json
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as InputError
from ninja.parser import Parser

from jiangping.bulletins.api import router as bulletins_router
from jiangping.core import errors
from jiangping.core.api import router as months_router
from jiangping.core.apilists import ChineseJSONRenderer
from jiangping.core.text import join_sentences
from jiangping.indicators.api import router as indicators_router
from jiangping.indicators.conflicts import Conflict
from jiangping.intake.api import router as intake_router
from jiangping.orgs.api import auth_methods
from jiangping.orgs.api import router as orgs_router
from jiangping.reviews.api import router as reviews_router
from jiangping.tasks.api import router as tasks_router


class ExactJSONParser(Parser):
    """JSON bodies with their numbers read as written (``Decimal``), never through
    floating point, so that ``130.250`` arrives as 130.250."""

    def parse_body(self, request):
        return json.loads(request.body, parse_float=Decimal)


api = NinjaAPI(
    title="Jiangping API",
    version="1",
    description=(
        "讲评：月度工作讲评平台 REST API。"
        "会话或令牌（Authorization: Bearer …）认证，数据范围与网页一致。"
    ),
    auth=auth_methods(),
    urls_namespace="api",
    renderer=ChineseJSONRenderer(),
    parser=ExactJSONParser(),
)
api.add_router("/months", months_router)
api.add_router("/orgs", orgs_router)
api.add_router("/indicators", indicators_router)
api.add_router("/intake", intake_router)
api.add_router("/tasks", tasks_router)
api.add_router("/reviews", reviews_router)
api.add_router("/bulletins", bulletins_router)


def _detail(request, message: str, status: int, **extra):
    return api.create_response(request, {"detail": message, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def not_authenticated(request, exc):
    message = exc.message if exc.message != "Unauthorized" else _("请先登录，或提供有效的令牌。")
    return _detail(request, message, 401)


@api.exception_handler(HttpError)
def http_error(request, exc):
    message = exc.message
    if message.startswith("Cannot parse request body"):
        message = _("请求体无法解析，应为 JSON。")
    return _detail(request, message, exc.status_code)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return _detail(request, str(exc) or _("无权执行此操作。"), 403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _detail(request, str(exc) or _("未找到。"), 404)


@api.exception_handler(ObjectDoesNotExist)
def object_not_found(request, exc):
    return _detail(request, _("未找到。"), 404)


@api.exception_handler(DatabaseError)
def database_failure(request, exc):
    return errors.database_failure(request, exc)


@api.exception_handler(Conflict)
def conflict(request, exc):
    messages = [str(m) for m in exc.messages]
    return _detail(request, join_sentences(messages), 409, errors=messages)


@api.exception_handler(DjangoValidationError)
def refused(request, exc):
    messages = [str(m) for m in exc.messages]
    return _detail(request, join_sentences(messages), 422, errors=messages)


# The fields of the API's inputs in the words of the pages (指标、单位、期间、数值 …).
FIELD_NAMES = {
    "value": _lazy("数值"), "period": _lazy("期间"), "indicator": _lazy("指标"),
    "unit": _lazy("单位"), "year": _lazy("年度"), "comment": _lazy("意见"),
    "tier": _lazy("比较范围"), "kind": _lazy("类型"), "level": _lazy("层级"),
    "payload": _lazy("请求体"),
    "title": _lazy("事项"), "lead_unit": _lazy("牵头单位"), "co_units": _lazy("配合单位"),
    "source_kind": _lazy("来源类型"), "source_title": _lazy("来源"),
    "source_date": _lazy("来源日期"), "deadline": _lazy("完成时限"),
    "deadline_workdays": _lazy("工作日数"), "target": _lazy("目标要求"),
    "text": _lazy("进展情况"), "percent": _lazy("完成进度"), "status": _lazy("状态"),
    "overdue": _lazy("逾期"),
    "number": _lazy("文号"), "date": _lazy("日期"), "problems": _lazy("存在问题"),
    "actions": _lazy("下步工作"), "issuer": _lazy("发文机关"), "version": _lazy("版本"),
    "digest": _lazy("内容摘要"),
}
# Why a field was refused, by pydantic's error type.
REASONS = {
    "missing": _lazy("缺少%(field)s"),
    "decimal_parsing": _lazy("%(field)s不是有效的数字"),
    "decimal_type": _lazy("%(field)s不是有效的数字"),
    "finite_number": _lazy("%(field)s不是有效的数字"),
    "float_parsing": _lazy("%(field)s不是有效的数字"),
    "number_type": _lazy("%(field)s不是有效的数字"),
    "int_parsing": _lazy("%(field)s应为整数"),
    "int_type": _lazy("%(field)s应为整数"),
    "int_from_float": _lazy("%(field)s应为整数"),
    "bool_parsing": _lazy("%(field)s应为 true 或 false"),
    "string_type": _lazy("%(field)s应为文本"),
    "list_type": _lazy("%(field)s应为列表"),
    "dict_type": _lazy("%(field)s应为对象"),
    "model_attributes_type": _lazy("%(field)s应为对象"),
    "literal_error": _lazy("%(field)s的取值不在允许范围内"),
    "enum": _lazy("%(field)s的取值不在允许范围内"),
    "json_invalid": _lazy("请求体不是有效的 JSON"),
    "date_parsing": _lazy("%(field)s应为日期（YYYY-MM-DD）"),
    "date_from_datetime_parsing": _lazy("%(field)s应为日期（YYYY-MM-DD）"),
    "date_type": _lazy("%(field)s应为日期（YYYY-MM-DD）"),
}


def _reason(error: dict) -> tuple[str, str]:
    """``(field, message)`` of one input error: ``["body", "payload", 0, "value"]`` of type
    ``decimal_parsing`` → ``("数值", "第1项：数值不是有效的数字")``."""
    loc = list(error.get("loc", ()))[1:]
    names = [part for part in loc if isinstance(part, str)]
    name = names[-1] if names else ""
    field = str(FIELD_NAMES.get(name, name))
    reason = REASONS.get(error.get("type", ""), _lazy("%(field)s格式不正确"))
    message = str(reason) % {"field": field}
    items = [part for part in loc if isinstance(part, int)]
    if items:
        message = _("第%(n)s项：%(message)s") % {"n": items[0] + 1, "message": message}
    return field, message


@api.exception_handler(InputError)
def invalid_input(request, exc):
    errors = []
    for error in exc.errors:
        field, message = _reason(error)
        errors.append({"loc": list(error.get("loc", ())), "field": field, "msg": message,
                       "type": error.get("type", "")})
    reasons = "；".join(dict.fromkeys(e["msg"] for e in errors))
    return _detail(request, _("请求参数有误：%(reasons)s。") % {"reasons": reasons}, 422,
                   errors=errors)
