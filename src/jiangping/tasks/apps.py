from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TasksConfig(AppConfig):
    name = "jiangping.tasks"
    verbose_name = "督查督办"

    def ready(self) -> None:
        from jiangping.core.registry import BulletinSection, register_section
        from jiangping.tasks import bulletin, home, imports, metrics  # noqa: F401  (registers nav, cards, the form, metrics)
        from jiangping.tasks.holidays import seed_package_years

        register_section(BulletinSection(bulletin.KEY, bulletin.build, bulletin.ORDER))
        # The years chinesecalendar knows, added after every migrate (idempotent).
        post_migrate.connect(seed_package_years, sender=self,
                             dispatch_uid="tasks.seed_package_years")
