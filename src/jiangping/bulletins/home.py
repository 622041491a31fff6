"""What the bulletins app adds to the navigation: 通报 (the month's bulletin), for those who
read the month's figures."""

from django.utils.translation import gettext_lazy as _

from jiangping.core.access import READERS
from jiangping.core.registry import NavEntry, register_nav

register_nav(
    NavEntry("bulletins.page", _("通报"), "bulletins:page", roles=READERS, order=55,
             current=("bulletins:",)),
)
