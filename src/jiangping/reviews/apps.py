from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "jiangping.reviews"
    verbose_name = "考核与讲评"

    def ready(self) -> None:
        from jiangping.reviews import home, imports  # noqa: F401  (navigation, the form)
