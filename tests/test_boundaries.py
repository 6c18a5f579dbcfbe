"""The stages' boundaries, read from every import in the code (those inside functions too) with `ast`."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Modules of the shared top level: the tree, the errors and the options every stage may use.
SHARED = {"pipeline", "pipeline.model", "pipeline.errors", "pipeline.options"}
#: Stages each stage must never import (the data flows read → parse → render, build drives them all, and check
#: comes last: it reads finished editions and may reuse the build's reader, record and writer, never the reverse).
FORBIDDEN: dict[str, set[str]] = {
    "shared": {"read", "parse", "render", "build", "check", "cli"},
    "read": {"parse", "render", "build", "check", "cli"},
    "parse": {"render", "build", "check", "cli"},
    "render": {"read", "parse", "build", "check", "cli"},
    "check": {"cli"},
    "build": {"cli"},
}


@dataclass(frozen=True)
class Import:
    """One imported module, or one name imported from a module, at a line of a file."""

    importer: str
    module: str
    name: str | None
    line: int

    def __str__(self) -> str:
        what = f"from {self.module} import {self.name}" if self.name else f"import {self.module}"
        return f"{self.importer}:{self.line}: {what}"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources() -> dict[str, Path]:
    """Every module of the product, the bench, the tasks and the tests, by dotted name."""
    files = [*ROOT.joinpath("pipeline").rglob("*.py"), *ROOT.joinpath("bench").rglob("*.py"),
             *ROOT.joinpath("tests").rglob("*.py"), ROOT / "tasks.py"]
    return {module_name(f): f for f in files if ".venv" not in f.parts}


@cache
def parsed(path: Path) -> ast.Module:
    """The file's syntax tree, parsed once per process: every check below walks every file (read only)."""
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def imports(name: str, path: Path) -> Iterator[Import]:
    tree = parsed(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):  # every node: imports inside functions and `if TYPE_CHECKING` count too
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(name, alias.name, None, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            for alias in node.names:
                yield Import(name, base, alias.name, node.lineno)


def stage(module: str) -> str | None:
    """The stage a module of `pipeline` belongs to (`shared` for the top level), None outside the product."""
    if module in SHARED:
        return "shared"
    parts = module.split(".")
    return parts[1] if parts[0] == "pipeline" and len(parts) > 1 else None


def targets(imp: Import, known: set[str]) -> set[str]:
    """The project modules an import loads: `from pkg import module` loads the module, not just the package."""
    out = {imp.module} if imp.module in known else set()
    if imp.name and f"{imp.module}.{imp.name}" in known:
        out.add(f"{imp.module}.{imp.name}")
    return out


def all_imports() -> list[Import]:
    return [imp for name, path in sources().items() for imp in imports(name, path)]


def stage_violations(found: list[Import], known: set[str]) -> list[str]:
    bad = []
    for imp in found:
        if stage(imp.importer) is None:
            continue
        for target in targets(imp, known):
            if imp.importer == "pipeline.model" and target.startswith("pipeline") and target != "pipeline.model":
                bad.append(f"{imp} (the model imports nothing of the pipeline)")
            elif stage(target) in FORBIDDEN.get(stage(imp.importer) or "", set()):
                bad.append(f"{imp} ({stage(imp.importer)} must not import {stage(target)})")
    return bad


def test_stages_import_only_what_comes_before_them() -> None:
    bad = stage_violations(all_imports(), set(sources()))
    assert not bad, "\n".join(bad)


def test_nothing_outside_the_tests_imports_them() -> None:
    bad = [str(imp) for imp in all_imports() if not imp.importer.startswith("tests")
           and (imp.module == "tests" or imp.module.startswith("tests."))]
    assert not bad, "\n".join(bad)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (or a module importing itself): Tarjan's."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1 or node in edges.get(node, ()):
                out.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return out


def import_graph() -> dict[str, set[str]]:
    known = set(sources())
    edges: dict[str, set[str]] = {}
    for imp in all_imports():
        for target in targets(imp, known):
            # A package's own __init__ is loaded by any import of its modules: that is no dependency of the code.
            if target != imp.importer and not imp.importer.startswith(target + "."):
                edges.setdefault(imp.importer, set()).add(target)
    return edges


def test_no_module_imports_itself_round_a_cycle() -> None:
    found = cycles(import_graph())
    assert not found, "\n".join(" <-> ".join(c) for c in found)


def private_uses(name: str, path: Path, known: set[str]) -> Iterator[str]:
    """`from m import _x`, and `m._x` where `m` names another project module, in one file."""
    tree = parsed(path)
    aliases: dict[str, str] = {}
    for imp in imports(name, path):
        if imp.name and imp.name.startswith("_") and not imp.name.startswith("__") and imp.module in known:
            yield str(imp)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    aliases[alias.asname or alias.name.split(".")[0]] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if f"{node.module}.{alias.name}" in known:
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name) and node.value.id in aliases
                and aliases[node.value.id] != name):
            yield f"{name}:{node.lineno}: {node.value.id}.{node.attr} ({aliases[node.value.id]})"


def test_no_private_name_is_used_outside_its_module() -> None:
    files = sources()
    known = set(files)
    bad = [use for name, path in files.items() for use in private_uses(name, path, known)]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(("source", "expected"), [
    ("from pipeline.read import sidecar\n", "render must not import read"),
    ("def f():\n    from pipeline.build.builder import build\n", "render must not import build"),
])
def test_a_forbidden_import_is_caught(tmp_path: Path, source: str, expected: str) -> None:
    """The checks above see imports at the top of a module and inside functions."""
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    found = list(imports("pipeline.render.probe", path))
    assert any(expected in line for line in stage_violations(found, set(sources())))
