from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "jiangping.indicators"
    verbose_name = "指标"

    def ready(self) -> None:
        from jiangping.core.pagecache import changes_figures
        from jiangping.core.periods import register_month_source
        from jiangping.indicators import (  # noqa: F401  (registers them)
            bulletin,
            checks,
            definitions,
            home,
            imports,
            metrics,
        )
        from jiangping.indicators.approval import month_held_by_most
        from jiangping.indicators.models import Indicator, Target
        from jiangping.indicators.warnings import messages_by_unit
        from jiangping.intake.services import register_submission_checks

        register_month_source("indicators.held", month_held_by_most, priority=20)
        changes_figures(Indicator, Target)
        register_submission_checks("indicators", messages_by_unit)
