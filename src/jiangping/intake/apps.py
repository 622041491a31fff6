from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "jiangping.intake"
    verbose_name = "填报与导入"

    def ready(self) -> None:
        from jiangping.intake import home  # noqa: F401  (registers nav entries)
