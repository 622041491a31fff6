"""docs/ stays true to the code: every command, import form, metric kind and scheme method
is documented."""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "scripts"))

import gen_docs  # noqa: E402

CONTRACT_COMMANDS = {"demo", "serve", "template", "import", "tasks", "text", "review",
                     "bulletin"}


def test_contract_commands_exist():
    assert set(gen_docs.jiangping_commands()) >= CONTRACT_COMMANDS


def test_cli_reference_matches_help(monkeypatch):
    monkeypatch.setitem(os.environ, "COLUMNS", "100")
    current = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert gen_docs.render(current) == current, (
        "docs/cli.md is out of date: run .venv/bin/python scripts/gen_docs.py"
    )


@pytest.mark.parametrize("name", sorted(CONTRACT_COMMANDS))
def test_every_command_has_a_section(name):
    assert f"### `jiangping {name}`" in (DOCS / "cli.md").read_text(encoding="utf-8")


def test_every_import_form_is_documented():
    from jiangping.intake.registry import all_forms

    text = (DOCS / "import-forms.md").read_text(encoding="utf-8")
    missing = [form.name for form in all_forms() if f"`{form.name}`" not in text]
    assert not missing, f"import forms missing from docs/import-forms.md: {missing}"
    for form in all_forms():
        for column in form.columns:
            assert column.header in text, f"{form.name}: column {column.header} undocumented"


def test_every_metric_kind_is_documented(cast):
    from jiangping.indicators import metrics

    text = (DOCS / "metrics.md").read_text(encoding="utf-8")
    kinds = {code.split(".")[0] for code in (m.code for m in metrics.all_metrics())}
    missing = sorted(k for k in kinds if f"`{k}." not in text and f"`{k}`" not in text)
    assert not missing, f"metric kinds missing from docs/metrics.md: {missing}"


def test_every_home_card_and_nav_entry_is_documented():
    from jiangping.core.registry import home_cards, nav_entries

    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    keys = [c.key for c in home_cards()] + [e.key for e in nav_entries()]
    missing = [key for key in keys if f"`{key}`" not in text]
    assert not missing, f"home cards / nav entries missing from docs/architecture.md: {missing}"


def test_every_environment_setting_is_documented():
    """Each ``JIANGPING_*`` variable the settings read is in the README's deployment table."""
    import re

    settings = (ROOT / "src" / "jiangping" / "settings.py").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    read = set(re.findall(r"env\w*\(\s*\"(JIANGPING_[A-Z_]+)\"", settings))
    read |= set(re.findall(r"environ(?:\.get)?[\(\[]\s*\"(JIANGPING_[A-Z_]+)\"", settings))
    internal = {"JIANGPING_DEMO"}  # set by `jiangping demo` itself
    assert read, "no setting found: the pattern no longer matches settings.py"
    assert sorted(read - internal - set(re.findall(r"JIANGPING_[A-Z_]+", readme))) == []


def test_every_scheme_method_is_documented():
    from jiangping.reviews.methods import METHODS

    text = (DOCS / "schemes.md").read_text(encoding="utf-8")
    for name, method in METHODS.items():
        heading = f"### `{name}` — {method.label}"
        assert heading in text, f"docs/schemes.md lacks the method {name}"
        section = text.split(heading, 1)[1].split("\n### ", 1)[0]
        for param in method.params:
            assert f"`{param}`" in section, f"docs/schemes.md: {name} lacks its parameter {param}"
        assert "Example" in section or name == "manual", f"docs/schemes.md: {name} has no example"


def test_demo_scheme_is_documented_line_by_line():
    from jiangping.reviews.demo import SCHEME_FILE

    text = (DOCS / "schemes.md").read_text(encoding="utf-8").split("## The demo scheme", 1)[1]
    import tomllib

    for item in tomllib.loads(SCHEME_FILE.read_text(encoding="utf-8"))["items"]:
        assert f"| `{item['code']}` |" in text, f"demo scheme item {item['code']} undocumented"
