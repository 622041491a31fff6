from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "jiangping.intake"
    verbose_name = "填报与导入"

    def ready(self) -> None:
        from jiangping.core.pagecache import changes_figures
        from jiangping.core.periods import register_month_source
        from jiangping.intake import home  # noqa: F401  (registers nav entries)
        from jiangping.intake.models import Submission
        from jiangping.intake.services import month_submitted_by_most

        register_month_source("intake.submitted", month_submitted_by_most, priority=10)
        changes_figures(Submission)  # its state decides which figures are approved
