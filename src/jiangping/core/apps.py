from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiangping.core"
    verbose_name = "系统"

    def ready(self) -> None:
        from jiangping.core import checks  # noqa: F401  (registers system checks)
