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
        # The task board is kept in the page cache: a task written one by one (its
        # progress, its events, the calendar it is timed by) changes the version; the
        # bulk writes (overdue marking, recurring tasks, a calendar year) call
        # figures_changed themselves.
        from jiangping.core.pagecache import changes_figures
        from jiangping.tasks.models import Holiday, Task, TaskEvent, TaskProgress

        changes_figures(Task, TaskProgress, TaskEvent, Holiday)
        # The years chinesecalendar knows, added after every migrate (idempotent).
        post_migrate.connect(seed_package_years, sender=self,
                             dispatch_uid="tasks.seed_package_years")
