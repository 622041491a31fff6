from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "jiangping.indicators"
    verbose_name = "指标"

    def ready(self) -> None:
        from jiangping.indicators import imports, metrics  # noqa: F401  (registers forms, metrics)
