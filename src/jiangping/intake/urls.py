from django.urls import path

from jiangping.intake import views

app_name = "intake"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("<int:pk>/approve/", views.decide, {"action": "approve"}, name="approve"),
    path("<int:pk>/return/", views.decide, {"action": "return"}, name="return"),
    path("<int:pk>/unlock/", views.decide, {"action": "unlock"}, name="unlock"),
]
