from django.contrib.auth import views as auth_views
from django.urls import path

from jiangping.core import months, views

urlpatterns = [
    path("", views.home, name="home"),
    path("months/review/", months.review_month, name="review-month"),
    path("login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
