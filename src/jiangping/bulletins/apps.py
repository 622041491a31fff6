from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "jiangping.bulletins"
    verbose_name = "通报"

    def ready(self) -> None:
        from jiangping.bulletins import home  # noqa: F401  (navigation)
