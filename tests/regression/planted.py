"""The manifest of planted blocking sites, resolved to ``(file, line, code)`` in a package."""

from __future__ import annotations

import ast
import sys
from collections import Counter
from pathlib import Path

from regression_apps import MANIFEST

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

Site = tuple[str, int, str]


def manifest_entries(manifest: Path = MANIFEST) -> list[dict[str, str]]:
    with manifest.open("rb") as file:
        return tomllib.load(file)["sites"]


def _scopes(tree: ast.Module) -> dict[str, ast.AST]:
    """Every function of a module by qualified name (``Class.method``)."""
    found: dict[str, ast.AST] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    found[name] = child
                visit(child, f"{name}.")

    visit(tree, "")
    return found


def resolve(entry: dict[str, str], package: Path) -> Site:
    """The line of ``entry`` in ``package``; the marker must match exactly one line."""
    lines = (package / entry["file"]).read_text().splitlines()
    scope = _scopes(ast.parse("\n".join(lines)))[entry["scope"]]
    matches = [
        number
        for number in range(scope.lineno, scope.end_lineno + 1)
        if entry["at"] in lines[number - 1]
    ]
    if len(matches) != 1:
        raise ValueError(f"manifest marker {entry} matches lines {matches}, not exactly one")
    return entry["file"], matches[0], entry["code"]


def planted_sites(package: Path) -> Counter[Site]:
    """Every planted site of the manifest, counted (one line may hold two blocking calls)."""
    return Counter(resolve(entry, package) for entry in manifest_entries())
