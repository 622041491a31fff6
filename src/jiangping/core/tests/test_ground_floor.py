"""The ground floor stays ground (STYLE "As the house grows"): ``core``, ``orgs`` and
``intake`` import no domain app; the apps plug into them through registries (home-page
cards, navigation entries, import forms with their reference resolvers, the forms reported
through submissions). Another package joins the ground floor by a line in ``FLOOR``.

``orgs`` is ground floor too: the org tree, users, roles and the scope are what every
page asks before anything else, and no domain app lies below it. ``cli`` is the
project's command contract (Django only), ``settings`` the project's settings.
"""

import ast
from pathlib import Path

import pytest

import jiangping

SRC = Path(jiangping.__file__).resolve().parent
GROUND = {"core", "orgs", "intake", "cli", "settings"}
FLOOR = ["core", "orgs", "intake"]  # the packages scanned

# Imports of a domain app the ground floor still makes, each with the change that
# removes it. An entry that no longer imports fails the test below: delete it then.
PENDING: set[tuple[str, str]] = set()


def up_imports(package: str) -> set[tuple[str, str]]:
    """``(file, jiangping.<app>)`` for every import of a package outside the ground floor,
    at any depth of the file (function-level imports included), tests excluded."""
    found = set()
    for path in sorted((SRC / package).rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if "/tests/" in f"/{relative}":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
                if node.module == "jiangping":
                    names = [f"jiangping.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(
                    node.func, "id", None)) in ("import_module", "__import__") \
                    and node.args and isinstance(node.args[0], ast.Constant):
                names = [str(node.args[0].value)]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if (parts[0] == "jiangping" and len(parts) > 1
                        and parts[1] not in GROUND | {package}):
                    found.add((relative, f"jiangping.{parts[1]}"))
    return found


@pytest.mark.parametrize("package", FLOOR)
def test_the_ground_floor_imports_no_domain_app(package):
    found = up_imports(package)
    pending = {(path, app) for path, app in PENDING if path.startswith(f"{package}/")}
    assert found - pending == set(), f"{package} reaches up into a domain app: use a registry"
    assert pending - found == set(), "fixed: remove these entries from PENDING"


def test_the_scan_sees_function_level_and_from_imports(tmp_path, monkeypatch):
    package = tmp_path / "probe"
    package.mkdir()
    (package / "a.py").write_text(
        "from jiangping.orgs.models import Role\n"
        "def f():\n    from jiangping.tasks import services\n"
        "import jiangping.indicators.formulas as f\n"
        "from jiangping import intake\n"
        "from jiangping.probe.b import x\n"
        "import importlib\nimportlib.import_module('jiangping.households.models')\n",
        encoding="utf-8")
    (package / "tests").mkdir()
    (package / "tests" / "t.py").write_text("import jiangping.demo\n", encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.SRC", tmp_path)
    assert up_imports("probe") == {("probe/a.py", "jiangping.tasks"),
                                   ("probe/a.py", "jiangping.indicators"),
                                   ("probe/a.py", "jiangping.households")}
