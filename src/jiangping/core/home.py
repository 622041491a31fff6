"""What the ground floor itself adds to the navigation and the home page: 首页, the
admin site (staff only) and the system admin's card."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jiangping.core.registry import HomeCard, NavEntry, register_card, register_nav
from jiangping.orgs.models import Role


def _is_staff(user) -> bool:
    return user.is_staff


def admin_card(request, scope, period):
    """系统管理: the admin pages the user may open, by app (empty without staff rights)."""
    apps = admin.site.get_app_list(request) if request.user.is_staff else []
    return {"admin_apps": apps}


register_nav(
    NavEntry("core.home", _("首页"), "home", order=0),
    NavEntry("core.admin", _("管理后台"), "admin:index", order=900, current=("admin:",),
             visible=_is_staff),
)
register_card(HomeCard("core.admin", "core/_admin_card.html", admin_card,
                       roles=frozenset({Role.ADMIN}), order=15))
