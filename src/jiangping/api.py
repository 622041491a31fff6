"""The REST API (``/api/``, OpenAPI at ``/api/docs``): one NinjaAPI, a router per app."""

from ninja import NinjaAPI

from jiangping.indicators.api import router as indicators_router
from jiangping.orgs.api import auth_methods
from jiangping.orgs.api import router as orgs_router

api = NinjaAPI(
    title="Jiangping API",
    version="1",
    description=(
        "讲评：月度工作讲评平台 REST API。"
        "会话或令牌（Authorization: Bearer …）认证，数据范围与网页一致。"
    ),
    auth=auth_methods(),
    urls_namespace="api",
)
api.add_router("/orgs", orgs_router)
api.add_router("/indicators", indicators_router)
