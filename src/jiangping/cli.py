"""The ``jiangping`` console command.

Every subcommand is a Django management command, so the contract commands of
DESIGN §13 (``demo``, ``serve``, ``import`` …) and Django's own (``migrate``,
``createsuperuser``) share one entry point.
"""

import os
import re
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiangping.settings")
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "demo":
        # The demo runs with demo defaults (a generated secret key, demo logins).
        os.environ.setdefault("JIANGPING_DEMO", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jiangping", *argv])


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


class ContractParser(CommandParser):
    """The parser of a contract command: wrong usage is told in Chinese, with exit
    status 2 from the console and CommandError (``returncode`` 2) from code; ``--help``
    is argparse's own."""

    def error(self, message):
        text = usage_error(message, self.prog.strip())
        if self.called_from_command_line:
            self.exit(2, text + "\n")
        raise CommandError(text, returncode=2)


class ContractCommand(BaseCommand):
    """A command of the command-line contract (DESIGN §13). From the console, a refused
    run prints its reason alone, in Chinese, on stderr and exits with the error's status
    (1 refused input, 2 wrong usage); called from code it raises CommandError as usual."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name or "jiangping", subcommand, **kwargs)
        # Django builds a CommandParser; a contract command's differs only in its errors.
        parser.__class__ = ContractParser
        return parser

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if not self._called_from_command_line or options.get("traceback"):
                raise
            self.stderr.write(str(exc))
            raise SystemExit(exc.returncode) from None
