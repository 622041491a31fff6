"""The ``jiangping`` console command.

Every subcommand is a Django management command, so the contract commands of
DESIGN §13 (``demo``, ``serve``, ``import`` …) and Django's own (``migrate``,
``createsuperuser``) share one entry point.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiangping.settings")
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "demo":
        # The demo runs with demo defaults (a generated secret key, demo logins).
        os.environ.setdefault("JIANGPING_DEMO", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jiangping", *argv])
