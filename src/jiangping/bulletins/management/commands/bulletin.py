"""``jiangping bulletin --period YYYY-MM [--format docx,html,pdf] [--out DIR]``: generate the
month's bulletin (通报) from its published review, write its files and print their paths."""

import errno
import os
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from jiangping.bulletins import services
from jiangping.cli import ContractCommand
from jiangping.core.periods import period_label, validate
from jiangping.core.text import join_sentences
from jiangping.orgs.scope import Scope


class Command(ContractCommand):
    help = ("依据某月已发布的考核排名生成通报（同一数据再次生成得到同一版本），"
            "写出 DOCX、HTML、PDF 文件并打印其路径。")

    def add_arguments(self, parser):
        parser.add_argument("--period", metavar="YYYY-MM", help="通报月份")
        parser.add_argument("--format", default=",".join(services.FORMATS),
                            metavar="docx,html,pdf",
                            help="输出格式，逗号分隔（默认 docx,html,pdf 三种）")
        parser.add_argument("--out", metavar="DIR",
                            help="另存到此目录（文件名 bulletin-月份-v版本.格式）；"
                                 "不给时只写入数据目录的 bulletins/ 下")

    def check_usage(self, options: dict) -> None:
        period = options.get("period")
        if not period:
            raise CommandError(_("请用 --period YYYY-MM 指定通报月份。"), returncode=2)
        try:
            validate(period)
            services.check_formats(options.get("format") or "")
        except ValidationError as error:
            raise CommandError(join_sentences(error.messages), returncode=2) from None

    def handle(self, *args, period, format, out=None, **options):
        formats = services.check_formats(format)
        folder = self.out_dir(out) if out is not None else None
        try:
            with transaction.atomic():  # a write that fails leaves no new version either
                bulletin = services.generate(Scope.operator(), period)
                where = str(services.bulletin_dir(period))
                paths = self.written(services.files, bulletin, formats, where=where)
                if folder is not None:
                    paths = self.written(services.copy_files, paths, folder, bulletin,
                                         where=out)
        except ValidationError as error:
            raise CommandError(join_sentences(error.messages), returncode=1) from None
        self.stdout.write(_("%(month)s通报第%(v)d版（%(status)s），%(number)s：")
                          % {"month": period_label(period), "v": bulletin.version,
                             "status": bulletin.get_status_display(),
                             "number": bulletin.number})
        for fmt in formats:
            self.stdout.write(f"  {fmt.upper():<5}{paths[fmt]}")

    def out_dir(self, given: str) -> Path:
        """The ``--out`` folder, resolved; refused (status 1) when empty, missing, not a
        folder or not writable, before anything is generated."""
        if not given.strip():
            raise CommandError(_("输出目录不能为空：请给出一个已有目录，如 --out .。"),
                               returncode=1)
        folder = Path(given)
        if folder.exists() and not folder.is_dir():
            raise CommandError(_("“%(dir)s”不是目录，而是一个已有的文件：--out 应给出目录。")
                               % {"dir": given}, returncode=1)
        if not folder.is_dir():
            raise CommandError(_("输出目录“%(dir)s”不存在，请先创建该目录，或换一个输出位置。")
                               % {"dir": given}, returncode=1)
        if not os.access(folder, os.W_OK):
            raise CommandError(_("无法写入“%(dir)s”：没有写入权限。") % {"dir": given},
                               returncode=1)
        return folder.resolve()

    def written(self, write, *args, where: str) -> dict:
        """``write(*args)``: the files written (their paths by format). A write that fails
        (disk full, no permission, a folder such as /proc) is told in one line naming the
        folder ``where`` (status 1); the writer leaves nothing half-written."""
        try:
            return write(*args)
        except OSError as error:
            raise CommandError(_("无法写入目录“%(dir)s”：%(reason)s。")
                               % {"dir": where, "reason": write_failure(error)},
                               returncode=1) from None


def write_failure(error: OSError) -> str:
    """Why a file could not be written, in Chinese (the system's words in brackets)."""
    reasons = {errno.ENOSPC: _("磁盘空间不足"), errno.EDQUOT: _("超出磁盘配额"),
               errno.EACCES: _("没有写入权限"), errno.EPERM: _("没有写入权限"),
               errno.EROFS: _("文件系统为只读"), errno.ENOENT: _("该位置不能创建文件"),
               errno.EEXIST: _("同名文件已存在且无法替换"), errno.EISDIR: _("同名的目录已存在")}
    reason = reasons.get(error.errno, _("写入失败"))
    system = error.strerror or type(error).__name__
    return f"{reason}（{system}）"
