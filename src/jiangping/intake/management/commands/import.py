"""``jiangping import FORM FILE [--period YYYY-MM] [--as USERNAME] [--apply] [--json]``.

A dry run unless ``--apply``. Exit status: 0 accepted (and written with ``--apply``),
1 refused (every refused row listed with its row, column and value), 2 wrong usage.
Sheets of text only (填表说明, a cover) are passed over without a word; the JSON lists
them in ``sheets`` with ``imported`` false. A sheet that looks like data but cannot be
read is refused by name.
"""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from jiangping.cli import ContractCommand, input_file
from jiangping.intake.engine import InvalidPeriod, import_period, import_refusal, run_import
from jiangping.intake.management.commands.template import known_form, known_forms
from jiangping.intake.registry import get_form
from jiangping.intake.results import ImportResult, sheet_prefix
from jiangping.orgs.scope import Scope


class Command(ContractCommand):
    help = "导入表格文件（XLSX/XLS/CSV）；默认试运行，加 --apply 才写入"

    def add_arguments(self, parser):
        parser.add_argument("form", help=f"表单：{known_forms()}")
        parser.add_argument("file", help="XLSX、XLS 或 CSV 文件")
        parser.add_argument("--period", help="期间 YYYY-MM（宽表或表中无“期间”列时使用）")
        parser.add_argument("--as", dest="as_user", metavar="USERNAME",
                            help="以该用户的权限范围导入；超出范围的行被拒绝")
        parser.add_argument("--apply", action="store_true", help="写入数据库（默认只检查）")
        parser.add_argument("--json", action="store_true", dest="as_json", help="以 JSON 输出结果")

    def check_usage(self, options: dict) -> None:
        known_form(options["form"])
        try:
            import_period(options.get("period"))
        except InvalidPeriod as exc:
            raise CommandError(_("--period 格式不正确：“%(period)s”，应为 YYYY-MM。")
                               % {"period": options["period"]}, returncode=2) from exc

    def handle(self, *args, form, file, period=None, as_user=None, apply=False,
               as_json=False, **options):
        form = get_form(form)
        input_file(file)
        user, scope = self._scope(as_user)
        refusal = import_refusal(form, scope)
        if refusal and not as_json:
            raise CommandError(refusal, returncode=1)
        try:
            result = run_import(form, file, scope=scope, user=user, period=period, apply=apply)
        except FileNotFoundError:  # removed while being read
            input_file(file)
            raise
        except InvalidPeriod as exc:
            raise CommandError(
                _("--period 格式不正确：“%(period)s”，应为 YYYY-MM。") % {"period": period},
                returncode=2) from exc
        if as_json:
            self.stdout.write(_dumps(result.as_dict()))
        else:
            self._report(result)
        if not result.ok:
            raise CommandError(
                _("导入被拒绝：%(n)s行有错误，未写入任何数据。") % {"n": result.rows_error}
                if result.rows_error else _("导入被拒绝，未写入任何数据。"),
                returncode=1,
            )

    def _scope(self, as_user):
        if not as_user:
            return None, Scope.operator()
        user = get_user_model().objects.select_related("unit").filter(username=as_user).first()
        if user is None:
            raise CommandError(_("用户“%(user)s”不存在。") % {"user": as_user}, returncode=1)
        try:
            return user, Scope.for_user(user)
        except PermissionDenied as exc:
            raise CommandError(str(exc), returncode=1) from None

    def _report(self, result: ImportResult) -> None:
        out = self.stdout if result.ok else self.stderr
        out.write(_("表单 %(form)s，文件 %(file)s") % {"form": result.form, "file": result.file})
        out.write(_("读取 %(read)s 行：通过 %(ok)s 行，错误 %(error)s 行") % {
            "read": result.rows_read, "ok": result.rows_ok, "error": result.rows_error})
        for error in result.errors:
            out.write(describe_error(error.as_dict()))
        for item in result.skipped:
            out.write(item.describe())
        if not result.ok:
            return
        counts = {"created": result.created, "updated": result.updated}
        if result.applied:
            self.stdout.write(_("已写入：新增 %(created)s 条，更新 %(updated)s 条。") % counts)
        else:
            self.stdout.write(
                _("试运行：将新增 %(created)s 条，更新 %(updated)s 条；未写入，加 --apply 写入。")
                % counts)


def describe_error(error: dict) -> str:
    """One refused row as a line: 第3行，“指标”列，值“…”：message (工作表“环境”第3行… in a
    workbook of several sheets)."""
    parts = []
    message = error["message"]
    sheet = error.get("sheet")
    if sheet is not None:
        message = message.removeprefix(sheet_prefix(sheet, error["row"]))
        parts.append(_("工作表“%(sheet)s”") % {"sheet": sheet})
    if error["row"] is not None:
        parts.append(_("第%(row)s行") % {"row": error["row"]})
    if error["column"]:
        parts.append(_("“%(column)s”列") % {"column": error["column"]})
    if error["value"] not in (None, ""):
        parts.append(_("值“%(value)s”") % {"value": error["value"]})
    if sheet is not None and len(parts) > 1 and error["row"] is not None:
        parts[:2] = [parts[0] + parts[1]]
    prefix = "，".join(parts)
    return f"{prefix}：{message}" if prefix else message


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
