from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "jiangping.intake"
    verbose_name = "填报与导入"
