from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "jiangping.reviews"
    verbose_name = "考核与讲评"
