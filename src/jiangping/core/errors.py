"""Site-wide error responses and log hygiene."""

import logging

from django.db import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

from jiangping.core import database

logger = logging.getLogger("jiangping.database")


def page_not_found(request, exception):
    """A missing page: JSON under ``/api/`` (clients parse it), the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("未找到。")}, status=404,
                            json_dumps_params={"ensure_ascii": False})
    return defaults.page_not_found(request, exception)


class ClientErrorsWithoutTraceback(logging.Filter):
    """Keep the one-line record of a refused request (403, 404) but drop its traceback:
    a refusal is the scope working, not a fault to debug."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


def database_failure(request, exc: DatabaseError):
    """The answer to a request the database failed (locked, read-only, unreachable): the
    reason in Chinese, 503 with ``Retry-After`` when retrying shortly may succeed; JSON
    under ``/api/``, the site's error page elsewhere. Logged with its traceback."""
    trouble = database.trouble(exc)
    logger.error("database failure on %s %s", request.method, request.path,
                 exc_info=(type(exc), exc, exc.__traceback__))
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": trouble.message, "retry": trouble.busy},
                                status=trouble.status,
                                json_dumps_params={"ensure_ascii": False})
    else:
        body = render_to_string("503.html", {"message": trouble.message,
                                             "busy": trouble.busy}, request=None)
        response = HttpResponse(body, status=trouble.status)
    if trouble.busy:
        response["Retry-After"] = str(database.RETRY_AFTER)
    return response


class DatabaseErrorMiddleware:
    """Database failures answered by :func:`database_failure` instead of a bare 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DatabaseError):
            return database_failure(request, exception)
        return None
