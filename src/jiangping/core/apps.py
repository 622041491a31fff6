from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiangping.core"
    verbose_name = "系统"

    def ready(self) -> None:
        from django.contrib import admin
        from django.utils.translation import gettext_lazy as _

        from jiangping.core import checks, home  # noqa: F401  (system checks, nav, cards)

        admin.site.site_header = _("讲评 管理后台")
        admin.site.site_title = _("讲评 管理后台")
        admin.site.index_title = _("系统管理")
