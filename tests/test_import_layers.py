"""The code's layers hold: no module imports one that imports it back, no two apps import each
other, and the project package (tovani/) imports no app. Imports inside functions count too."""

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "tovani"
SKIPPED = {"tests", "bench", "node_modules", "static", "templates", "deploy", "seeds"}


def packages() -> list[str]:
    return sorted(
        path.name
        for path in ROOT.iterdir()
        if (path / "__init__.py").exists() and path.name not in SKIPPED
    )


def modules() -> dict[str, Path]:
    found = {}
    for package in packages():
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imports(path: Path, known: dict) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in names if name in known}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(path, known) - {name} for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in edges.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(group)

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for node in sorted(edges):
            if node not in index:
                visit(node)
    finally:
        sys.setrecursionlimit(limit)
    return found


def app_edges(edges) -> dict[str, set[str]]:
    apps = defaultdict(set)
    for module, targets in edges.items():
        for target in targets:
            if module.split(".")[0] != target.split(".")[0]:
                apps[module.split(".")[0]].add(target.split(".")[0])
    return apps


def test_no_module_imports_one_that_imports_it_back():
    """Every cycle of imports between modules is a failure."""
    assert cycles(graph()) == []


def test_no_two_apps_import_each_other():
    """Apps form layers: no app loop, however long."""
    assert cycles(app_edges(graph())) == []


def test_the_project_package_imports_no_app():
    """tovani/ holds settings, URLs by module name and cross-cutting helpers only."""
    assert app_edges(graph()).get(PROJECT, set()) == set()


def test_the_check_finds_a_loop_planted_between_two_modules():
    """Two modules importing each other, one of them inside a function, are found."""
    edges = {"a.one": {"a.two"}, "a.two": {"a.one"}, "b.x": {"a.one"}}
    assert cycles(edges) == [{"a.one", "a.two"}]
    assert cycles(app_edges({"a.one": {"b.x"}, "b.x": {"a.one"}})) == [{"a", "b"}]
