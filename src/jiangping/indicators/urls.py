from django.urls import path

from jiangping.indicators import views

app_name = "indicators"
urlpatterns = [
    path("compare/", views.compare, name="compare"),
    path("entry/", views.entry, name="entry"),
]
