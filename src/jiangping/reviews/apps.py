from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "jiangping.reviews"
    verbose_name = "考核与讲评"

    def ready(self) -> None:
        from jiangping.core.registry import BulletinSection, register_section
        from jiangping.reviews import bulletin, home, imports  # noqa: F401  (navigation, the form)

        register_section(BulletinSection(bulletin.KEY, bulletin.build, bulletin.ORDER))
