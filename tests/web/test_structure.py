"""The web layer's shape: its modules import each other without a cycle (imports
inside functions count too), and the app factory only assembles the routers."""
from __future__ import annotations

import ast
from pathlib import Path

import kg.web
from kg.web import app

WEB = Path(kg.web.__file__).parent


def _module(path: Path) -> str:
    parts = path.relative_to(WEB.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The kg.web modules a file imports (``from . import x``, ``from .x import y``)."""
    name = _module(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[:len(base) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                found.add(f"{target}.{alias.name}")
            found.add(target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def import_graph() -> dict[str, set[str]]:
    files = {_module(p): p for p in WEB.rglob("*.py")}
    return {m: {i for i in _imports(p) if i in files and i != m} for m, p in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import cycle found by a depth-first walk (a module on the current path
    imported again)."""
    found: list[list[str]] = []
    done: set[str] = set()

    def walk(m: str, path: list[str]) -> None:
        if m in path:
            found.append(path[path.index(m):] + [m])
            return
        if m in done:
            return
        for n in sorted(graph[m]):
            walk(n, path + [m])
        done.add(m)
    for m in sorted(graph):
        walk(m, [])
    return found


def test_the_walk_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_no_import_cycle_in_the_web_layer():
    graph = import_graph()
    assert "kg.web.linked" in graph["kg.web.routers.linked_data"]  # the walk sees imports
    assert cycles(graph) == []


def test_the_app_factory_is_short():
    tree = ast.parse(Path(app.__file__).read_text(encoding="utf-8"))
    factory = next(n for n in tree.body
                   if isinstance(n, ast.FunctionDef) and n.name == "create_app")
    assert (factory.end_lineno or 0) - factory.lineno + 1 < 80
