"""The import graph of deblock, read from the source: commands on top, no cycles."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parents[2]
PACKAGES = {"deblock": ROOT / "src" / "deblock", "deblock.codemods": ROOT / "codemods"}
COMMAND_LINE = ("deblock.cli", "deblock.commands")


def modules() -> dict[str, Path]:
    """Every module of deblock (and of deblock.codemods) by dotted name."""
    found = {}
    for package, directory in PACKAGES.items():
        for path in directory.rglob("*.py"):
            parts = path.relative_to(directory).with_suffix("").parts
            found[".".join([package, *(p for p in parts if p != "__init__")])] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The deblock modules that module ``name`` imports, anywhere in its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                head = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{head}.{base}".rstrip(".")
            targets += [base, *(f"{base}.{alias.name}" for alias in node.names)]
    found = set()
    for target in targets:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``edges``, as the modules along it, or None."""
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = "open"
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                return trail[trail.index(nxt) :] + [node, nxt] if nxt in trail else [node, nxt]
            if nxt not in state:
                found = visit(nxt, [*trail, node])
                if found:
                    return found
        state[node] = "done"
        return None

    for start in sorted(edges):
        if start not in state:
            found = visit(start, [])
            if found:
                return found
    return None


def test_the_graph_is_read_from_the_source():
    edges = graph()
    assert "deblock.fixer.session" in edges["deblock.commands.fix"]
    assert "deblock.codemods.registry" in edges["deblock.fixer.engine"]
    assert "deblock.analysis.checker" in edges["deblock.analysis"]  # a function-level import


def test_no_module_imports_itself_through_others():
    assert cycle(graph()) is None


def test_a_cycle_is_found_where_there_is_one():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]


def test_only_the_command_line_imports_the_command_line():
    below = {
        name: sorted(d for d in deps if d.startswith(COMMAND_LINE))
        for name, deps in graph().items()
        if not name.startswith((*COMMAND_LINE, "deblock.__main__"))
    }
    assert {name: deps for name, deps in below.items() if deps} == {}


def test_commands_sit_above_the_fixer_library():
    edges = graph()
    assert any(d.startswith("deblock.fixer") for d in edges["deblock.commands.fix"])
    assert not any(
        d.startswith(COMMAND_LINE)
        for name, deps in edges.items()
        if name.startswith("deblock.fixer")
        for d in deps
    )
