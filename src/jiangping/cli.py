"""The ``jiangping`` console command.

Every subcommand is a Django management command, so the contract commands of
DESIGN §13 (``demo``, ``serve``, ``import`` …) and Django's own (``migrate``,
``createsuperuser``) share one entry point.
"""

import os
import sys

from django.core.management.base import BaseCommand, CommandError


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiangping.settings")
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "demo":
        # The demo runs with demo defaults (a generated secret key, demo logins).
        os.environ.setdefault("JIANGPING_DEMO", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jiangping", *argv])


class ContractCommand(BaseCommand):
    """A command of the command-line contract (DESIGN §13). From the console, a refused
    run prints its reason alone, in Chinese, on stderr and exits with the error's status
    (1 refused input, 2 wrong usage); called from code it raises CommandError as usual."""

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if not self._called_from_command_line or options.get("traceback"):
                raise
            self.stderr.write(str(exc))
            raise SystemExit(exc.returncode) from None
