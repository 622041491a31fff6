from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "jiangping.demo"
    verbose_name = "演示数据"
