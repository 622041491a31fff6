from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "jiangping.orgs"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from jiangping.core.pagecache import changes_figures
        from jiangping.orgs import home  # noqa: F401  (registers home cards)
        from jiangping.orgs.models import OrgUnit

        changes_figures(OrgUnit)
