"""The forms a module's fixes take once its async library is known (the module's own, or
the one its project chooses)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from deblock.analysis.fix_imports import settle_imports
from deblock.analysis.fix_shapes import settle_subprocesses
from deblock.analysis.open_forms import settle_open_blocks
from deblock.findings import Finding


def settle_library(
    findings: list[Finding],
    library: str | None,
    dependencies: Callable[[], Iterable[str] | None],
    binds: dict,
) -> list[Finding]:
    """``findings`` of a module on ``library`` (None: asyncio) whose bindings of the names
    fixes import are ``binds`` (``fix_imports.import_bindings``),
    in a project whose ``dependencies()`` are known (None: any): each open block's form
    decided (``open_forms``), asyncio's child processes only on asyncio (``fix_shapes``),
    and no fix whose import the code around it binds otherwise (``fix_imports``)."""
    settled = settle_open_blocks(findings, library, dependencies)
    return settle_imports(settle_subprocesses(settled, library), library, binds)
