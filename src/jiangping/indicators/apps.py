from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "jiangping.indicators"
    verbose_name = "指标"

    def ready(self) -> None:
        from jiangping.indicators import home, imports, metrics  # noqa: F401  (registers nav, cards, forms, metrics)
