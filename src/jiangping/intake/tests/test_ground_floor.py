"""The import engine is ground floor (STYLE.md "As the house grows"): it imports no
domain app. Domain apps plug in through the registry (forms, their reference resolvers,
the forms reported through submissions). ``jiangping.orgs`` (the org tree, users and
scoping) and ``jiangping.core`` are ground floor too, so the engine may use them."""

import ast
from pathlib import Path

import jiangping.intake

# jiangping.cli: the console command's base class (exit statuses of DESIGN §13).
ALLOWED = {"jiangping.intake", "jiangping.core", "jiangping.orgs", "jiangping.cli"}
INTAKE = Path(jiangping.intake.__file__).parent


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(
                node.func, "id", None)) in ("import_module", "__import__") and node.args \
                and isinstance(node.args[0], ast.Constant):
            yield str(node.args[0].value)


def _app(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "jiangping" or len(parts) < 2:
        return None
    return ".".join(parts[:2])


def domain_imports(root: Path) -> list[tuple[str, str]]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.relative_to(root).parts:
            continue
        for module in _imports(path):
            app = _app(module)
            if app is not None and app not in ALLOWED:
                found.append((str(path.relative_to(root)), module))
    return found


def test_intake_imports_no_domain_app():
    assert domain_imports(INTAKE) == []


def test_the_scan_sees_every_kind_of_import(tmp_path):
    (tmp_path / "a.py").write_text(
        "import jiangping.tasks.models\n"
        "from jiangping.indicators.models import Indicator\n"
        "def f():\n    from jiangping.projects import services\n"
        "import importlib\nimportlib.import_module('jiangping.households.models')\n"
        "from jiangping.orgs.models import OrgUnit\nfrom . import x\n",
        encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "b.py").write_text("import jiangping.demo\n", encoding="utf-8")
    assert [module for _path, module in domain_imports(tmp_path)] == [
        "jiangping.tasks.models", "jiangping.indicators.models", "jiangping.projects",
        "jiangping.households.models"]
