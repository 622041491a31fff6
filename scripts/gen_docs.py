"""Regenerate the reference part of docs/cli.md from the commands' own --help.

Run after changing a command:  .venv/bin/python scripts/gen_docs.py
A test fails when docs/cli.md and the commands drift apart.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI_DOC = ROOT / "docs" / "cli.md"
BEGIN = "<!-- BEGIN GENERATED HELP -->"
END = "<!-- END GENERATED HELP -->"


def jiangping_commands() -> dict[str, str]:
    """Management commands defined by Jiangping's own apps: name → app."""
    from django.core.management import get_commands

    return {
        name: app for name, app in sorted(get_commands().items()) if app.startswith("jiangping.")
    }


def command_help(name: str) -> str:
    from django.core.management import load_command_class

    app = jiangping_commands()[name]
    command = load_command_class(app, name)
    parser = command.create_parser("jiangping", name)
    parts = [parser.format_help().rstrip()]
    # A command with subcommands (``jiangping text clean``) documents each of them too.
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            parts += [subparser.format_help().rstrip() for subparser in action.choices.values()]
    return "\n\n".join(parts)


def generated_section() -> str:
    parts = [BEGIN, ""]
    for name in jiangping_commands():
        parts += [f"### `jiangping {name}`", "", "```text", command_help(name), "```", ""]
    parts.append(END)
    return "\n".join(parts)


def render(current: str) -> str:
    head, _, rest = current.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return head + generated_section() + tail


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiangping.settings")
    os.environ["COLUMNS"] = "100"
    import django

    django.setup()


def main() -> int:
    setup_django()
    CLI_DOC.write_text(render(CLI_DOC.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {CLI_DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
