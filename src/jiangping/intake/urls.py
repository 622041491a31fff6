from django.urls import path

from jiangping.intake import views

app_name = "intake"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("import/", views.import_page, name="import"),
    path("import/<str:token>/apply/", views.import_apply, name="import_apply"),
    path("<int:pk>/approve/", views.decide, {"action": "approve"}, name="approve"),
    path("<int:pk>/return/", views.decide, {"action": "return"}, name="return"),
    path("<int:pk>/unlock/", views.decide, {"action": "unlock"}, name="unlock"),
]
