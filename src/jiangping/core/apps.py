from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiangping.core"
    verbose_name = "系统"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from jiangping.core import checks  # noqa: F401  (registers system checks)
        from jiangping.core.dbfiles import on_connection_created

        connection_created.connect(on_connection_created, dispatch_uid="jiangping-db-files")
