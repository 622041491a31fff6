"""``jiangping token USERNAME [--name NAME]``: issue an API bearer token (API 令牌)."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from jiangping.cli import ContractCommand
from jiangping.orgs.services import create_api_token


class Command(ContractCommand):
    help = "为用户签发 REST API 令牌（Authorization: Bearer …）；令牌只显示这一次。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名")
        parser.add_argument("--name", default="api", help="令牌用途，便于日后识别（默认 api）")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("用户“%(user)s”不存在。") % {"user": username})
        if not user.is_active:
            raise CommandError(_("用户“%(user)s”已停用。") % {"user": username})
        token = create_api_token(user, name)
        self.stdout.write(token)
        self.stderr.write(_("请妥善保存：令牌只显示这一次，系统中只保存其摘要。"))
