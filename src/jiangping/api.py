"""The REST API (``/api/``, OpenAPI at ``/api/docs``): one NinjaAPI, a router per app.

Endpoints validate input and call the same services as the pages and the CLI. Errors
answer with a JSON ``{"detail": "…"}`` in Chinese: 401 not authenticated, 403 outside
the caller's scope or role, 404 not found, 422 refused input.
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as InputError
from ninja.renderers import JSONRenderer

from jiangping.indicators.api import router as indicators_router
from jiangping.intake.api import router as intake_router
from jiangping.orgs.api import auth_methods
from jiangping.orgs.api import router as orgs_router


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese written as is, not as ``\\uXXXX`` escapes."""

    json_dumps_params = {"ensure_ascii": False}


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
)
api.add_router("/orgs", orgs_router)
api.add_router("/indicators", indicators_router)
api.add_router("/intake", intake_router)


def _detail(request, message: str, status: int, **extra):
    return api.create_response(request, {"detail": message, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def not_authenticated(request, exc):
    message = exc.message if exc.message != "Unauthorized" else _("请先登录，或提供有效的令牌。")
    return _detail(request, message, 401)


@api.exception_handler(HttpError)
def http_error(request, exc):
    messages = {"Cannot parse request body": _("请求体无法解析，应为 JSON。")}
    return _detail(request, messages.get(exc.message, exc.message), exc.status_code)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return _detail(request, str(exc) or _("无权执行此操作。"), 403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _detail(request, str(exc) or _("未找到。"), 404)


@api.exception_handler(ObjectDoesNotExist)
def object_not_found(request, exc):
    return _detail(request, _("未找到。"), 404)


@api.exception_handler(DjangoValidationError)
def refused(request, exc):
    messages = [str(m) for m in exc.messages]
    return _detail(request, "；".join(messages), 422, errors=messages)


def _field(loc: list) -> str:
    """``["body", "payload", 0, "period"]`` → ``payload.0.period``; ``["query", "level"]`` →
    ``level``."""
    return ".".join(str(part) for part in loc[1:]) or str(loc[0])


@api.exception_handler(InputError)
def invalid_input(request, exc):
    errors = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors
    ]
    fields = "、".join(_field(e["loc"]) for e in errors if e["loc"])
    return _detail(request, _("请求参数有误：%(fields)s。") % {"fields": fields}, 422,
                   errors=errors)
