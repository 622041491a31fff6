from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "jiangping.reviews"
    verbose_name = "考核与讲评"

    def ready(self) -> None:
        from jiangping.core.pagecache import changes_figures
        from jiangping.core.registry import BulletinSection, register_section
        from jiangping.reviews import bulletin, home, imports  # noqa: F401  (navigation, the form)
        from jiangping.reviews.models import Run

        # A version computed, published or replaced changes what the home page's ranking
        # card shows.
        changes_figures(Run)

        register_section(BulletinSection(bulletin.KEY, bulletin.build, bulletin.ORDER))
