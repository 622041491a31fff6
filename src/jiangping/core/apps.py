from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiangping.core"
    verbose_name = "系统"

    def ready(self) -> None:
        from django.contrib import admin
        from django.db.backends.signals import connection_created
        from django.utils.translation import gettext_lazy as _

        from jiangping.core import checks, home  # noqa: F401  (system checks, nav, cards)
        from jiangping.core.dbfiles import on_connection_created

        connection_created.connect(on_connection_created, dispatch_uid="jiangping-db-files")
        admin.site.site_header = _("讲评 管理后台")
        admin.site.site_title = _("讲评 管理后台")
        admin.site.index_title = _("系统管理")
