"""Site-wide error responses and log hygiene."""

import logging

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


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
