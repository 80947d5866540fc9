"""Turn the async-context candidates of a module into findings."""

from __future__ import annotations

import ast
from pathlib import PurePath

from deblock.analysis import AnalysisOptions, ModuleReport
from deblock.analysis.positions import LineIndex
from deblock.analysis.resolver import Resolver
from deblock.analysis.symbols import Obj
from deblock.analysis.twins import twin_of
from deblock.analysis.walker import Candidate, walk_module
from deblock.findings import Finding
from deblock.rules import BY_CODE, CONFIGURED_CODE, default_catalogue
from deblock.rules.model import Blocking

_LIBRARIES = ("trio", "anyio")
_TWIN_CODES = {"call": "DBK601"}


def module_name(path: str) -> str:
    """A dotted module name for ``path`` (its package-relative name is not needed here)."""
    parts = PurePath(path).with_suffix("").parts
    parts = [p for p in parts if p not in ("", ".", "..", "/")]
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) or "<module>"


def check_module(source: str, path: str, options: AnalysisOptions) -> ModuleReport:
    """Parse ``source`` and report every blocking call evaluated in a coroutine."""
    tree = ast.parse(source, filename=path, type_comments=False)
    facts = walk_module(tree, module_name(path))
    library = _library(options.async_library, facts.imported_roots)
    if not facts.candidates:
        return ModuleReport([], library)
    catalogue = default_catalogue()
    if options.extend_blocking_calls:
        catalogue = catalogue.extended(options.extend_blocking_calls)
    resolver = Resolver(catalogue, facts.classes)
    lines = LineIndex(source)
    findings = []
    for candidate in facts.candidates:
        finding = _check(candidate, resolver, options, path, lines)
        if finding is not None:
            findings.append(finding)
    findings.sort(key=lambda f: (f.line, f.col, f.code))
    return ModuleReport(findings, library)


def _library(configured: str, imported: set[str]) -> str:
    if configured != "auto":
        return configured
    return next((lib for lib in _LIBRARIES if lib in imported), "asyncio")


def _check(candidate: Candidate, resolver: Resolver, options, path, lines) -> Finding | None:
    node = candidate.node
    if candidate.iteration:
        iterated = resolver.resolve(node, candidate.scope)
        if not isinstance(iterated, Obj):
            return None
        target = f"{iterated.qualname}.__iter__"
        entry = resolver.catalogue.blocking(target)
        return _finding(entry, target, ast.unparse(node), candidate, path, lines) if entry else None
    callee = resolver.resolve(node.func, candidate.scope)
    if callee is None:
        return None
    entry = resolver.catalogue.blocking(callee.qualname)
    if entry is None:
        entry = _twin_entry(callee, resolver, options)
    if entry is None or _exempt(entry, node):
        return None
    return _finding(entry, callee.qualname, ast.unparse(node.func), candidate, path, lines)


def _twin_entry(callee, resolver: Resolver, options) -> Blocking | None:
    """A project class's sync method that has a coroutine twin (``call``/``call_async``)."""
    if not isinstance(callee, Obj) or callee.path.count(".") != 1:
        return None
    name = callee.path[1:]
    if resolver.method(callee.cls, name) is not False:
        return None
    twin = twin_of(
        name,
        lambda candidate: resolver.method(callee.cls, candidate) is True,
        dict(options.async_twins),
    )
    if twin is None:
        return None
    return Blocking(callee.qualname, _TWIN_CODES.get(name, "DBK602"), async_twin=twin)


def _exempt(entry: Blocking, call: ast.Call) -> bool:
    if any(k.arg in entry.unless_kwargs for k in call.keywords):
        return True
    return entry.max_positional is not None and len(call.args) > entry.max_positional


def _finding(entry: Blocking, target: str, shown: str, candidate: Candidate, path, lines):
    rule = BY_CODE[entry.code]
    node = candidate.node
    twin = entry.async_twin
    if len(shown) > 60:
        shown = shown[:57] + "..."
    if entry.code == CONFIGURED_CODE and entry.message:
        message = entry.message
    else:
        message = (entry.message or rule.message).format(
            target=shown, twin=(twin or "an async equivalent").rpartition(".")[2]
        )
    return Finding(
        path=path,
        line=node.lineno,
        col=lines.char_col(node.lineno, node.col_offset) + 1,
        end_line=node.end_lineno,
        end_col=lines.char_col(node.end_lineno, node.end_col_offset) + 1,
        code=entry.code,
        message=message,
        target=target,
        strategy=rule.strategy,
        unsafe_strategy=rule.unsafe_strategy,
        unfixable=candidate.unfixable,
        async_equivalent=rule.async_equivalent,
        twin=twin,
        lazy_result=entry.lazy_result,
    )
