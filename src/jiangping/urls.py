from django.contrib import admin
from django.urls import include, path

from jiangping.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("jiangping.core.urls")),
    path("orgs/", include("jiangping.orgs.urls")),
    path("indicators/", include("jiangping.indicators.urls")),
    path("intake/", include("jiangping.intake.urls")),
    path("tasks/", include("jiangping.tasks.urls")),
    path("reviews/", include("jiangping.reviews.urls")),
    path("bulletins/", include("jiangping.bulletins.urls")),
]

handler404 = "jiangping.core.errors.page_not_found"
