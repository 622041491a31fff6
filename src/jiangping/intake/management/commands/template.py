"""``jiangping template FORM -o FILE.xlsx``: write the import template of a form."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from xlsxwriter.exceptions import FileCreateError

from jiangping.cli import ContractCommand, output_file
from jiangping.intake.registry import UnknownForm, all_forms, get_form
from jiangping.intake.template import write_template
from jiangping.orgs.scope import Scope


def known_forms() -> str:
    return ", ".join(form.name for form in all_forms())


def known_form(name: str):
    """The form named ``name``; an unknown one is wrong usage (status 2)."""
    try:
        return get_form(name)
    except UnknownForm:
        raise CommandError(
            _("未知的表单“%(form)s”。可用的表单：%(known)s") % {
                "form": name, "known": known_forms()},
            returncode=2,
        ) from None


class Command(ContractCommand):
    help = "写出导入表单的 XLSX 模板（表头、下拉列表、填表说明）"

    def add_arguments(self, parser):
        parser.add_argument("form", help=f"表单：{known_forms()}")
        parser.add_argument("-o", "--output", required=True, help="输出文件 FILE.xlsx")
        parser.add_argument("--as", dest="as_user", metavar="USERNAME",
                            help="下拉列表只列出该用户范围内的单位")

    def check_usage(self, options: dict) -> None:
        known_form(options["form"])
        if not options["output"].lower().endswith(".xlsx"):
            raise CommandError(_("模板文件须以 .xlsx 结尾。"), returncode=2)

    def handle(self, *args, form, output, as_user=None, **options):
        form = get_form(form)
        scope = None
        if as_user:
            user = get_user_model().objects.filter(username=as_user).first()
            if user is None:
                raise CommandError(_("用户“%(user)s”不存在。") % {"user": as_user},
                                   returncode=1)
            try:
                scope = Scope.for_user(user)
            except PermissionDenied as exc:
                raise CommandError(str(exc), returncode=1) from None
        try:
            path = write_template(form, output_file(output), scope=scope)
        except (OSError, FileCreateError) as exc:
            reason = getattr(exc, "strerror", None) or getattr(exc.__context__, "strerror", None)
            raise CommandError(_("无法写入“%(file)s”：%(reason)s") % {
                "file": output, "reason": reason or _("写入失败")}, returncode=1) from None
        self.stdout.write(str(path))
