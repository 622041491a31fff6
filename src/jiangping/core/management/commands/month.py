"""``jiangping month [--open YYYY-MM | --close YYYY-MM] [--json]``: the month under review
(本期讲评月份), shown, opened or withdrawn as the city office does on its pages."""

import json as jsonlib

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from jiangping.cli import ContractCommand
from jiangping.core.periods import (
    close_review_month,
    open_review_month,
    opened_month,
    period_label,
    review_month,
)
from jiangping.core.text import join_sentences
from jiangping.orgs.scope import Scope


class Command(ContractCommand):
    help = ("显示本期讲评月份（各页面默认打开的月份）；--open 开启某月为讲评月份，"
            "--close 撤销。未开启时取多数填报单位已报送的最近月份。")

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--open", metavar="YYYY-MM",
                            help="开启该月为讲评月份（须为已结束的月份）")
        action.add_argument("--close", metavar="YYYY-MM", help="撤销该月的讲评月份设置")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, open=None, close=None, json=False, **options):
        scope = Scope.operator()
        try:
            if open:
                open_review_month(scope, open)
            elif close:
                close_review_month(scope, close)
        except ValidationError as error:
            raise CommandError(join_sentences(error.messages), returncode=1) from None
        period = review_month()
        opened = opened_month()
        own = opened is not None and opened.period == period
        if json:
            self.stdout.write(_dumps({
                "period": period, "opened": own,
                "opened_at": opened.opened_at.isoformat() if own else None,
                "opened_by": (opened.opened_by.username if own and opened.opened_by else None),
            }))
            return
        how = _("市级开启") if own else _("未开启，按多数单位已报送的最近月份")
        self.stdout.write(_("本期讲评月份：%(period)s（%(how)s）") % {
            "period": period_label(period), "how": how})


def _dumps(data) -> str:
    return jsonlib.dumps(data, ensure_ascii=False)
