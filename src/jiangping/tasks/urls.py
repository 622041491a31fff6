from django.urls import path

from jiangping.tasks import holiday_views, views

app_name = "tasks"
urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.new, name="new"),
    path("speech/", views.speech_page, name="speech"),
    path("calendar/", views.calendar, name="calendar"),
    path("holidays/", holiday_views.holiday_year, name="holidays"),
    path("holidays/set/", holiday_views.holiday_set, name="holiday_set"),
    path("holidays/delete/", holiday_views.holiday_delete, name="holiday_delete"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/request-close/", views.decide, {"action": "request"}, name="request_close"),
    path("<int:pk>/approve/", views.decide, {"action": "approve"}, name="approve"),
    path("<int:pk>/reject/", views.decide, {"action": "reject"}, name="reject"),
    path("notifications/read/", views.read_notifications, name="read_notifications"),
    path("progress/<int:pk>/evidence/", views.evidence, name="evidence"),
]
