from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "jiangping.reviews"
    verbose_name = "考核与讲评"

    def ready(self) -> None:
        from jiangping.reviews import home  # noqa: F401  (registers the navigation entry)
