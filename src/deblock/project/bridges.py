"""The project's own thread bridge each module's fixes use, found in the project itself."""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable

from deblock.analysis.modules import by_directory
from deblock.analysis.summary import ModuleSummary
from deblock.project.dependencies import project_of
from deblock.rules.bridges import WRAPPING_BRIDGES
from deblock.source import SourceError, decode_source


def bridge_options(
    summaries: Iterable[ModuleSummary], project_roots: set[str]
) -> dict[str, dict[str, list[list[str]]]]:
    """By path, the project bridges (see ``analysis.bridge_helpers``) a module's fixes may
    call, each with the async library it needs: ``bound``, by the name the module binds
    (its own, or one it imports); ``shared``, the bridges in use (imported, or called in
    their own module) of the module's own project (``project_directory``: it may depend on
    no other project of the run) whose module imports no project module (so importing one
    makes no cycle) and is importable from anywhere in it (not a script's module named by
    its directory, ``modules.sibling_named``: only its own directory's scripts import it),
    unless the module binds that name otherwise. A module that imports
    asgiref's ``sync_to_async`` keeps it. ``project_roots``: the project's top-level names.
    """
    summaries = list(summaries)
    helpers = {name: lib for s in summaries for name, lib in s.bridges.items()}
    if not helpers:
        return {}
    used = {name for s in summaries for name in _referenced(s) if name in helpers}
    known: dict[str, str | None] = {}
    standalone: dict[str | None, set[str]] = defaultdict(set)  # by project
    for s in summaries:
        if by_directory(s.module):
            continue
        if not any(_imports_project(s, value, project_roots) for value in s.names.values()):
            standalone[_project(s.path, known)].update(n for n in s.bridges if n in used)
    options = {}
    for summary in summaries:
        if any(value in WRAPPING_BRIDGES for value in summary.names.values()):
            continue
        bound = sorted(
            [[local, helpers[value]] for local, value in summary.names.items() if value in helpers]
            + [[name.rpartition(".")[2], lib] for name, lib in summary.bridges.items()]
        )
        shared = [
            [name, helpers[name]]
            for name in sorted(standalone.get(_project(summary.path, known), ()))
            if not _binds(summary, name.rpartition(".")[2])
        ]
        if bound or shared:
            options[summary.path] = {"bound": bound, "shared": shared}
    return options


def with_bindings(options: dict[str, dict]) -> dict[str, dict]:
    """``options`` (``bridge_options``, by path), each module's with how its text binds the
    names of the bridges it may call (``binds``, as ``fix_imports.name_bindings`` says): a
    fix through one names it where the call was, which the fact of the module pass does
    not cover where its own findings never name it (nor a module it cannot read now)."""
    from deblock.analysis.fix_imports import name_bindings

    bound = {}
    for path, kinds in options.items():
        names = {name.rpartition(".")[2] for name, _ in (*kinds["bound"], *kinds["shared"])}
        try:
            with open(path, "rb") as fh:
                text = decode_source(fh.read())
            binds = name_bindings(text, ast.parse(text), names)
        except (OSError, SourceError, SyntaxError, ValueError):
            binds = {}
        bound[path] = {**kinds, "binds": binds}
    return bound


def chosen_bridge(options: dict[str, list[list[str]]] | None, library: str | None) -> str | None:
    """The bridge of ``options`` that runs under ``library`` (a module's async library; an
    anyio bridge runs under any): the first one the module binds, else the project's only
    one that fits."""
    if not options:
        return None
    library = library or "asyncio"
    fits = [
        [name for name, lib in options[kind] if lib in (library, "anyio")]
        for kind in ("bound", "shared")
    ]
    bound, shared = fits
    if bound:
        return bound[0]
    return shared[0] if len(shared) == 1 else None


def _referenced(summary: ModuleSummary) -> Iterable[str]:
    """The qualified names a module imports, and those its functions call."""
    yield from summary.names.values()
    for function in summary.functions.values():
        yield from function.callees()


def _imports_project(summary: ModuleSummary, qualname: str, roots: set[str]) -> bool:
    """Whether ``qualname``, a name of ``summary``'s module, is another project module's."""
    own = qualname.startswith(f"{summary.module}.")
    return not own and qualname.partition(".")[0] in roots


def _project(path: str, known: dict[str, str | None]) -> str | None:
    """The directory of the declared project holding the module at ``path``
    (``project_directory``), or None outside any."""
    directory, own = project_of(path, known)
    return directory if own else None


def _binds(summary: ModuleSummary, name: str) -> bool:
    """Whether the module binds ``name`` itself (an import would clash with it)."""
    qualname = f"{summary.module}.{name}"
    return name in summary.names or qualname in summary.functions or qualname in summary.classes
