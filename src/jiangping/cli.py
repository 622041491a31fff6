"""The ``jiangping`` console command.

Every subcommand is a Django management command, so the contract commands of
DESIGN §13 (``demo``, ``serve``, ``import`` …) and Django's own (``migrate``,
``createsuperuser``) share one entry point.
"""

import logging
import os
import re
import sys
from pathlib import Path

from django.core import checks
from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
)
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jiangping.core import database


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiangping.settings")
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "demo":
        # The demo runs with demo defaults (a generated secret key, demo logins).
        os.environ.setdefault("JIANGPING_DEMO", "1")
    if not argv or argv in (["help"], ["-h"], ["--help"]):
        import django

        django.setup()
        sys.stdout.write(overview())
        return
    if not argv[0].startswith("-") and argv[0] != "help":
        import django
        from django.core.management import get_commands

        django.setup()
        if argv[0] not in get_commands():
            sys.stderr.write(_("未知的命令“%(name)s”。运行“jiangping help”查看可用的命令。\n")
                             % {"name": argv[0]})
            raise SystemExit(2)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jiangping", *argv])


def overview() -> str:
    """``jiangping help``: Jiangping's own commands with what each does, in Chinese."""
    from django.core.management import get_commands, load_command_class

    lines = [_("用法：jiangping 命令 [参数]"), "",
             _("讲评的命令（各命令的用法见 jiangping 命令 --help）：")]
    own = sorted(name for name, app in get_commands().items() if app.startswith("jiangping."))
    for name in own:
        command = load_command_class(get_commands()[name], name)
        lines.append(f"  {name:<10}{command.help}")
    lines += ["", _("Django 自带的命令（migrate、createsuperuser、changepassword 等）照常可用；"
                    "运行“jiangping help --commands”列出全部命令。"), ""]
    return "\n".join(lines)


# What argparse says of wrong usage, in Chinese (用法错误); argument names as in --help.
USAGE_ERRORS = [
    (re.compile(pattern), reason) for pattern, reason in (
        (r"^the following arguments are required: (?P<args>.+)$", _lazy("缺少参数：%(args)s。")),
        (r"^unrecognized arguments: (?P<args>.+)$", _lazy("无法识别的参数：%(args)s。")),
        (r"^one of the arguments (?P<args>.+) is required$",
         _lazy("须给出以下参数之一：%(args)s。")),
        (r"^argument (?P<arg>.+?): expected (?:one|at least one) argument$",
         _lazy("参数 %(arg)s 后须给出取值。")),
        (r"^argument (?P<arg>.+?): expected at most one argument$",
         _lazy("参数 %(arg)s 最多给出一个取值。")),
        (r"^argument (?P<arg>.+?): invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)$",
         _lazy("参数 %(arg)s 的取值 %(value)s 无效，可选：%(choices)s。")),
        (r"^argument (?P<arg>.+?): invalid \S+ value: (?P<value>.+)$",
         _lazy("参数 %(arg)s 的取值 %(value)s 无效。")),
        (r"^argument (?P<arg>.+?): not allowed with argument (?P<other>.+)$",
         _lazy("参数 %(arg)s 不能与 %(other)s 同时使用。")),
        (r"^argument (?P<arg>.+?): ignored explicit argument (?P<value>.+)$",
         _lazy("参数 %(arg)s 不带取值，不能写 %(value)s。")),
        (r"^ambiguous option: (?P<arg>\S+) could match (?P<matches>.+)$",
         _lazy("参数 %(arg)s 有歧义，可能是：%(matches)s。")),
        # last: a refusal our own argument types wrote, already in Chinese
        (r"^argument (?P<arg>.+?): (?P<reason>.+?)。?$", _lazy("参数 %(arg)s：%(reason)s。")),
    )
]


def usage_error(message: str, prog: str) -> str:
    """argparse's complaint about wrong usage, in Chinese, with where to find the usage:
    ``the following arguments are required: file`` → ``缺少参数：file。运行“jiangping
    import --help”查看用法。``"""
    for pattern, reason in USAGE_ERRORS:
        match = pattern.match(message)
        if match:
            text = str(reason) % match.groupdict()
            break
    else:
        text = _("命令用法有误：%(message)s") % {"message": message}
    return text + _("运行“%(prog)s --help”查看用法。") % {"prog": prog}


# The help of Django's options common to every command, in Chinese (通用选项).
BASE_OPTION_HELP = {
    "help": _lazy("显示本帮助并退出"),
    "version": _lazy("显示版本号并退出"),
    "verbosity": _lazy("输出详细程度：0 最少，1 正常，2 详细，3 非常详细"),
    "settings": _lazy("设置模块的 Python 路径（默认取环境变量 DJANGO_SETTINGS_MODULE）"),
    "pythonpath": _lazy("加入 Python 路径的目录"),
    "traceback": _lazy("出错时显示完整的调用栈（供开发人员排查）"),
    "no_color": _lazy("输出不加颜色"),
    "force_color": _lazy("强制输出颜色"),
    "skip_checks": _lazy("跳过系统检查"),
}


class ChineseHelpFormatter(DjangoHelpFormatter):
    """``--help`` with its frame in Chinese: 用法、位置参数、选项."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix=_("用法：") if prefix is None else prefix)


def chinese_help(parser: CommandParser) -> None:
    """Put the frame of ``parser``'s help and the generic options' help in Chinese."""
    parser._positionals.title = _("位置参数")
    parser._optionals.title = _("选项")
    for action in parser._actions:
        if action.dest in BASE_OPTION_HELP:
            action.help = str(BASE_OPTION_HELP[action.dest])


class ContractParser(CommandParser):
    """The parser of a contract command: wrong usage is told in Chinese, with exit
    status 2 from the console and CommandError (``returncode`` 2) from code; ``--help``
    has its frame and generic options in Chinese."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, **kwargs)
        chinese_help(self)

    def error(self, message):
        text = usage_error(message, self.prog.strip())
        if self.called_from_command_line:
            self.exit(2, text + "\n")
        raise CommandError(text, returncode=2)


CHECK_LEVELS = ((checks.CRITICAL, _lazy("严重错误")), (checks.ERROR, _lazy("错误")),
                (checks.WARNING, _lazy("警告")), (checks.INFO, _lazy("提示")),
                (checks.DEBUG, _lazy("调试")))


def describe_checks(issues) -> str:
    """System check messages (系统检查) as the operator reads them, in Chinese."""
    shown = [issue for issue in issues if not issue.is_silenced()]
    if not shown:
        return ""
    groups: dict[str, list] = {}
    for issue in sorted(shown, key=lambda i: i.id or ""):
        label = next((label for level, label in CHECK_LEVELS if issue.level >= level),
                     CHECK_LEVELS[-1][1])
        groups.setdefault(str(label), []).append(issue)
    body = [_("系统检查发现以下问题：")]
    for _level, label in CHECK_LEVELS:
        if str(label) not in groups:
            continue
        body.append(f"{label}：")
        for issue in groups[str(label)]:
            line = f"（{issue.id}）{issue.msg}" if issue.id else str(issue.msg)
            if issue.hint:
                line += "\n\t" + _("建议：%(hint)s") % {"hint": issue.hint}
            body.append(line)
    return "\n".join(body) + "\n"


class ContractCommand(BaseCommand):
    """A command of the command-line contract (DESIGN §13). From the console, a refused
    run prints its reason alone, in Chinese, on stderr and exits with the error's status
    (1 refused input, 2 wrong usage); called from code it raises CommandError as usual.

    A command that reads or writes the database (``requires_database``, the default)
    refuses to run before the database is initialised, without creating it; a failure
    of the database (locked, read-only, unreachable) is told in Chinese with status 1.
    System check messages are told in Chinese.
    """

    requires_database = True
    requires_migrations_checks = True  # the hook that asks whether the database is ready

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        parser = super().create_parser(prog_name or "jiangping", subcommand, **kwargs)
        # Django builds a CommandParser; a contract command's differs only in its errors.
        parser.__class__ = ContractParser
        chinese_help(parser)
        return parser

    def needs_database(self, options: dict) -> bool:
        """Whether this run reads the database; a command with subcommands may decide by
        the subcommand in ``options``."""
        return self.requires_database

    def check_usage(self, options: dict) -> None:
        """Refuse wrong usage (CommandError with ``returncode`` 2) that argparse cannot see,
        such as an unknown form, before the checks and the database are asked."""

    def check(self, app_configs=None, tags=None, display_num_errors=False,
              include_deployment_checks=False, fail_level=checks.ERROR, databases=None):
        issues = checks.run_checks(app_configs=app_configs, tags=tags,
                                   include_deployment_checks=include_deployment_checks,
                                   databases=databases)
        text = describe_checks(issues)
        if any(i.is_serious(fail_level) and not i.is_silenced() for i in issues):
            raise CommandError(text.rstrip(), returncode=1)
        if text:
            self.stderr.write(text, lambda x: x)

    def check_migrations(self):
        if self._options is not None and not self.needs_database(self._options):
            return
        if not database.initialised():
            raise CommandError(database.not_initialised_message(), returncode=1)

    def execute(self, *args, **options):
        self._options = options
        try:
            self.check_usage(options)
            return super().execute(*args, **options)
        except CommandError as exc:
            if not self._called_from_command_line or options.get("traceback"):
                raise
            self.stderr.write(str(exc))
            raise SystemExit(exc.returncode) from None
        except DatabaseError as exc:
            if not self._called_from_command_line or options.get("traceback"):
                raise
            logging.getLogger("jiangping.cli").debug("database failure", exc_info=True)
            self.stderr.write(database.trouble(exc).message)
            raise SystemExit(1) from None

    _options: dict | None = None


def input_file(path: str) -> Path:
    """The file a command reads, refused (status 1, as every refused input) when it is
    missing, a directory or unreadable; the same words in every command."""
    found = Path(path)
    try:
        found.stat()
    except FileNotFoundError:
        raise CommandError(_("文件“%(file)s”不存在。") % {"file": path}, returncode=1) from None
    except OSError as exc:
        raise CommandError(
            _("无法读取文件“%(file)s”：%(reason)s") % {"file": path, "reason": exc.strerror},
            returncode=1,
        ) from None
    if found.is_dir():
        raise CommandError(_("“%(file)s”是目录，不是文件。") % {"file": path}, returncode=1)
    if not os.access(found, os.R_OK):
        raise CommandError(_("无法读取文件“%(file)s”：没有读取权限。") % {"file": path},
                           returncode=1)
    return found


def output_file(path: str) -> Path:
    """The file a command writes: its folder must exist (a mistyped folder is refused, not
    created, with status 1), and the file may not be a folder."""
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise CommandError(
            _("输出目录“%(folder)s”不存在，请先创建该目录，或换一个输出位置。")
            % {"folder": folder}, returncode=1)
    if target.is_dir():
        raise CommandError(_("“%(file)s”是目录，不是文件。") % {"file": path}, returncode=1)
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise CommandError(_("无法写入“%(file)s”：没有写入权限。") % {"file": path},
                           returncode=1)
    return target
