from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "jiangping.orgs"
    verbose_name = "组织机构"
