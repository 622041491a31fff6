"""Request guards that run before any view reads the request.

``RequestSizeLimitMiddleware`` refuses a body larger than ``JIANGPING_MAX_UPLOAD_BYTES``
from its declared length, before a byte of it is read (413, 请求体过大). The server of
``jiangping serve`` (:mod:`jiangping.core.serving`) reads a body only as the application
asks, so such a body is never received; this middleware holds the limit under any other
WSGI server too. A chunked body without a declared length is refused (411): Django
reads a request body only up to its ``Content-Length``.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def upload_limit_text(limit: int | None = None) -> str:
    """The limit as users read it: ``50 MB``."""
    limit = settings.JIANGPING_MAX_UPLOAD_BYTES if limit is None else limit
    megabytes = limit / (1024 * 1024)
    shown = f"{megabytes:.0f}" if megabytes >= 1 and megabytes == int(megabytes) \
        else f"{megabytes:.2f}".rstrip("0").rstrip(".")
    return f"{shown} MB"


def too_large_message(limit: int | None = None) -> str:
    return _("上传的文件或请求过大，超过了 %(limit)s 的上限。请拆分文件后分批导入，"
             "或请系统管理员调整 JIANGPING_MAX_UPLOAD_MB。") % {"limit": upload_limit_text(limit)}


def length_required_message() -> str:
    return _("请求未声明长度（Content-Length），无法受理；请直接上传文件，不要分块传输。")


def refusal(request, status: int, message: str) -> HttpResponse:
    """A refusal in the form the caller reads: JSON under ``/api/``, a page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status,
                            json_dumps_params={"ensure_ascii": False})
    html = render_to_string("refused.html", {"message": message, "status": status},
                            request=request)
    return HttpResponse(html, status=status)


def declared_length(meta) -> int | None:
    """The body length the client declared, None when it declared none (or nonsense,
    which Django reads as an empty body)."""
    raw = meta.get("CONTENT_LENGTH")
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = declared_length(request.META)
        if length is not None and length > settings.JIANGPING_MAX_UPLOAD_BYTES:
            return refusal(request, 413, too_large_message())
        encoding = request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if length is None and "chunked" in encoding:
            return refusal(request, 411, length_required_message())
        return self.get_response(request)
