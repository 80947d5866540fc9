"""Sections that move a module's global into a thread while another module uses it.

A module's sections are weighed against its own code on the event loop
(``ModuleState.conflict``). Another module that imports it and uses the global
(``helpers.TABLE``, ``ModuleSummary.reaches``) runs on the loop too: when one of the two
writes it, the section's safe fixes (``ModuleSummary.moved``) are declined, offered as
unsafe.
"""

from __future__ import annotations

from collections import defaultdict

from deblock.project.index import ProjectIndex
from deblock.project.shared_io import Span
from deblock.project.summaries import ModuleSummaries


def reached_spans(source: ModuleSummaries) -> dict[str, list[Span]]:
    """By path, the lines of sections moving a global another module uses."""
    index = ProjectIndex(source)
    spans: dict[str, list[Span]] = defaultdict(list)
    for summary in source.summaries:
        for module, name, writes in summary.reaches:
            owner = index.module(module)
            if owner is None or owner.path == summary.path:
                continue
            for moved, first, last, moves_writes in owner.moved:
                if moved == name and (writes or moves_writes):
                    why = (
                        f"`{name}` is also used by `{summary.module}` on the event loop, beside "
                        "the worker thread"
                    )
                    spans[owner.path].append((first, last, why, summary.module, None))
    return spans
