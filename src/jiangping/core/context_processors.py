from django.conf import settings
from django.urls import reverse

from jiangping.core.access import role_of
from jiangping.core.registry import nav_for
from jiangping.orgs.models import Role


def site(request):
    return {"DEMO_MODE": settings.DEMO_MODE, "nav": _nav(request)}


def _nav(request) -> list[dict]:
    """The main navigation of the user: the entries the apps registered that the user's
    role may open, the one of the current page marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    if role_of(user) != Role.ADMIN and user.unit_id is None:
        return []  # every page refuses a user placed in no unit (Scope.for_user)
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else None
    return [{"label": entry.label, "url": reverse(entry.url_name),
             "current": entry.is_current(view_name)} for entry in nav_for(user)]
