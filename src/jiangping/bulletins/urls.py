from django.urls import path

from jiangping.bulletins import views

app_name = "bulletins"

urlpatterns = [
    path("", views.bulletin_page, name="page"),
    path("generate/", views.generate, name="generate"),
    path("edit/", views.edit, name="edit"),
    path("publish/", views.publish, name="publish"),
    path("diff/", views.diff, name="diff"),
    path("<str:period>/v<int:version>.<str:fmt>", views.download, name="download"),
]
