"""What the intake app adds to the navigation: the month's submissions, as the city
office's approval queue (审核), a reporting unit's own (我的报送) and, read-only, the
leader's view of who has reported (报送情况); and the import page (导入数据) for those who
write figures."""

from django.utils.translation import gettext_lazy as _

from jiangping.core.access import OFFICE, WRITERS
from jiangping.core.registry import NavEntry, register_nav
from jiangping.orgs.models import Role

register_nav(
    NavEntry("intake.mine", _("我的报送"), "intake:queue", roles=frozenset({Role.REPORTER}),
             order=30),
    NavEntry("intake.queue", _("审核"), "intake:queue", roles=OFFICE, order=30),
    NavEntry("intake.status", _("报送情况"), "intake:queue", roles=frozenset({Role.LEADER}),
             order=30),
    NavEntry("intake.import", _("导入数据"), "intake:import", roles=WRITERS, order=35),
)
