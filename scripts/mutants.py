"""Mutation testing of the pure modules: do their tests kill small changes to the code?

A small AST driver, run by hand (not in CI): every comparison, arithmetic and boolean
operator, every ``not``, numeric and boolean constant and non-docstring string of a module
is changed one at a time (``<`` → ``<=``, ``+`` → ``-``, ``and`` → ``or``, ``3`` → ``4``,
``"亿元"`` → ``"XX亿元XX"``…), and the given tests run against each mutant. Documentation
labels (``label="…"`` of a call without ``required=True``) are skipped like docstrings. A
mutant the tests still pass is a *survivor*: behaviour no test pins down.

    .venv/bin/python scripts/mutants.py src/jiangping/intake/normalize.py \
        src/jiangping/intake/tests/test_normalize.py [--only parse_decimal,fit_decimal]

The mutant is installed in the tests' process by forking a worker that has already
imported Django, pytest and the module: the child replaces the module's functions with
the mutated ones before pytest imports the tests, so a mutant costs one test run, not a
new interpreter. ``--only`` limits the mutants to the named functions. The exit status
is 0; the kill ratio and every survivor (line, change) are printed.
"""

from __future__ import annotations

import argparse
import ast
import copy
import importlib
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_COMPARE = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In,
    ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
_BINARY = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult, ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult,
}
_BOOL = {ast.And: ast.Or, ast.Or: ast.And}


@dataclass
class Mutant:
    line: int
    change: str
    function: str | None


class _Mutator(ast.NodeTransformer):
    """Counts mutation points; with ``target`` set, applies the ``target``-th one."""

    def __init__(self, target: int | None = None, only: set[str] | None = None):
        self.target = target
        self.only = only
        self.count = 0
        self.found: list[Mutant] = []
        self.function: list[str] = []

    # --- scoping ----------------------------------------------------------------
    def visit_Module(self, node):
        body = node.body
        start = 1 if body and isinstance(body[0], ast.Expr) and isinstance(
            body[0].value, ast.Constant) and isinstance(body[0].value.value, str) else 0
        node.body = body[:start] + [self.visit(stmt) for stmt in body[start:]]
        return node

    def _in_scope(self) -> bool:
        return self.only is None or bool(set(self.function) & self.only)

    def visit_FunctionDef(self, node):
        # Docstrings and annotations are not behaviour.
        self.function.append(node.name)
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            node.body = [body[0], *[self.visit(stmt) for stmt in body[1:]]]
        else:
            node.body = [self.visit(stmt) for stmt in body]
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        node.args = self.visit(node.args)
        self.function.pop()
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        self.function.append(node.name)
        body = node.body
        start = 1 if body and isinstance(body[0], ast.Expr) and isinstance(
            body[0].value, ast.Constant) and isinstance(body[0].value.value, str) else 0
        node.body = body[:start] + [self.visit(stmt) for stmt in body[start:]]
        self.function.pop()
        return node

    def visit_AnnAssign(self, node):
        if node.value is not None:
            node.value = self.visit(node.value)
        return node

    def visit_arg(self, node):
        return node

    def visit_JoinedStr(self, node):
        return node  # f-strings: their parts are message text

    def visit_Call(self, node):
        # A ``label=`` keyword names a thing for the reader of the code, like a docstring
        # (the scoring methods' parameter labels): not behaviour, unless the call also says
        # ``required=True`` — a required parameter's label is shown when a scheme lacks it.
        required = any(k.arg == "required" and isinstance(k.value, ast.Constant)
                       and k.value.value is True for k in node.keywords)
        node.func = self.visit(node.func)
        node.args = [self.visit(arg) for arg in node.args]
        for keyword in node.keywords:
            if (keyword.arg == "label" and not required and isinstance(keyword.value, ast.Constant)
                    and isinstance(keyword.value.value, str)):
                continue
            keyword.value = self.visit(keyword.value)
        return node

    # --- mutation points ----------------------------------------------------------
    def _point(self, node, change: str) -> bool:
        """Register one mutation point; True when it is the one to apply."""
        if not self._in_scope():
            return False
        index = self.count
        self.count += 1
        self.found.append(Mutant(getattr(node, "lineno", 0), change,
                                 self.function[-1] if self.function else None))
        return index == self.target

    def visit_Compare(self, node):
        self.generic_visit(node)
        for position, op in enumerate(node.ops):
            other = _COMPARE.get(type(op))
            if other and self._point(node, f"{type(op).__name__} → {other.__name__}"):
                node.ops[position] = other()
        return node

    def visit_BinOp(self, node):
        self.generic_visit(node)
        other = _BINARY.get(type(node.op))
        if other and self._point(node, f"{type(node.op).__name__} → {other.__name__}"):
            node.op = other()
        return node

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        other = _BINARY.get(type(node.op))
        if other and self._point(node, f"{type(node.op).__name__}= → {other.__name__}="):
            node.op = other()
        return node

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        other = _BOOL.get(type(node.op))
        if self._point(node, f"{type(node.op).__name__} → {other.__name__}"):
            node.op = other()
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, (ast.Not, ast.USub)) and self._point(
                node, f"drop {type(node.op).__name__}"):
            return node.operand
        return node

    def visit_Constant(self, node):
        value = node.value
        if isinstance(value, bool):
            if self._point(node, f"{value} → {not value}"):
                return ast.copy_location(ast.Constant(not value), node)
        elif isinstance(value, (int, float)):
            if self._point(node, f"{value!r} → {value + 1!r}"):
                return ast.copy_location(ast.Constant(value + 1), node)
        elif isinstance(value, str) and value and self._point(
                node, f"{value[:20]!r} → 'XX…XX'"):
            return ast.copy_location(ast.Constant("XX" + value + "XX"), node)
        return node


def mutation_points(tree: ast.Module, only: set[str] | None) -> list[Mutant]:
    mutator = _Mutator(only=only)
    mutator.visit(copy.deepcopy(tree))
    return mutator.found


def _run_mutant(module, tree: ast.Module, path: Path, index: int, only, tests: list[str],
                timeout: float) -> str:
    """Fork a child that installs mutant ``index`` and runs the tests: killed/survived/timeout."""
    pid = os.fork()
    if pid == 0:  # child
        try:
            mutated = _Mutator(target=index, only=only).visit(copy.deepcopy(tree))
            ast.fix_missing_locations(mutated)
            code = compile(mutated, str(path), "exec")
            exec(code, module.__dict__)  # noqa: S102 (the module's own source, mutated)
            import pytest

            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            status = pytest.main(["-x", "-q", "-p", "no:xdist", "-p", "no:randomly",
                                  "-p", "no:cacheprovider", *tests])
        except BaseException:
            status = 1
        os._exit(0 if status == 0 else 1)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return "survived" if os.waitstatus_to_exitcode(status) == 0 else "killed"
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout"
        time.sleep(0.02)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", help="path of the module under test")
    parser.add_argument("tests", nargs="+", help="test files or node ids that should kill")
    parser.add_argument("--only", help="comma-separated function or class names")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per mutant")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiangping.settings")
    os.environ.setdefault("JIANGPING_SECRET_KEY", "mutants-" + "x" * 50)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT / "src"))
    import pytest  # noqa: F401  (imported once, before forking)

    path = Path(args.module).resolve()
    name = ".".join(path.relative_to(ROOT / "src").with_suffix("").parts)
    module = importlib.import_module(name)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    only = set(args.only.split(",")) if args.only else None
    points = mutation_points(tree, only)
    if _run_baseline(args.tests) != 0:
        print("the tests fail without any mutant: fix them first", file=sys.stderr)
        return 1
    outcomes: dict[str, int] = {"killed": 0, "survived": 0, "timeout": 0}
    survivors: list[Mutant] = []
    for index, mutant in enumerate(points):
        outcome = _run_mutant(module, tree, path, index, only, args.tests, args.timeout)
        outcomes[outcome] += 1
        if outcome == "survived":
            survivors.append(mutant)
    total = len(points)
    killed = outcomes["killed"] + outcomes["timeout"]
    print(f"{name}: {killed}/{total} mutants killed"
          f" ({100 * killed / total if total else 100:.1f}%),"
          f" {outcomes['timeout']} by timeout")
    for mutant in survivors:
        print(f"  survived  line {mutant.line:4d}  {mutant.function or '-'}: {mutant.change}")
    return 0


def _run_baseline(tests: list[str]) -> int:
    pid = os.fork()
    if pid == 0:
        import pytest

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os._exit(pytest.main(["-x", "-q", "-p", "no:xdist", "-p", "no:cacheprovider", *tests]))
    _pid, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
