from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "jiangping.tasks"
    verbose_name = "督查督办"

    def ready(self) -> None:
        from jiangping.tasks import home, imports, metrics  # noqa: F401  (registers nav, cards, the form, metrics)
