from django.apps import AppConfig


class TextkitConfig(AppConfig):
    name = "jiangping.textkit"
    verbose_name = "文本处理"
