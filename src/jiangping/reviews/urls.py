from django.urls import path

from jiangping.reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.review_page, name="page"),
    path("year/", views.year_page, name="year"),
    path("unit/<str:code>/", views.scorecard, name="scorecard"),
    path("compute/", views.compute, name="compute"),
    path("publish/", views.publish, name="publish"),
    path("exempt/", views.exempt, name="exempt"),
]
