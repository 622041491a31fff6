"""What the reviews app adds to the navigation: 考核排名."""

from django.utils.translation import gettext_lazy as _

from jiangping.core.registry import NavEntry, register_nav

register_nav(
    NavEntry("reviews.page", _("考核排名"), "reviews:page", order=50, current=("reviews:",)),
)
