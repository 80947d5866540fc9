"""Runs of a coroutine's statements that write shared state and call another module's
helper that writes a file or a database.

On the event loop a run of statements with no await runs whole: every task's writes of
the state and of the helper's file come in one order. An await a safe fix adds among them
(from the first such write or the call to the last: ``FunctionSummary.writing``) lets
another task's writes come between on one and not the other: those fixes are declined,
offered as unsafe. What the helper writes is the project pass's finding at the call
(DBK801: the module alone does not know it).
"""

from __future__ import annotations

from collections import defaultdict

from deblock.findings import Finding
from deblock.project.shared_io import Span
from deblock.project.summaries import ModuleSummaries


def writing_spans(
    source: ModuleSummaries, findings: dict[str, list[Finding]]
) -> dict[str, list[Span]]:
    """By path, the lines of coroutines whose safe fixes would split such a run.
    ``findings``: every finding of the run, by path."""
    spans: dict[str, list[Span]] = defaultdict(list)
    for summary in source.summaries:
        written = {
            (f.line, f.col): f.resource
            for f in findings.get(summary.path, ())
            if f.resource and f.writes
        }
        for qualname, function in summary.functions.items():
            for site, first, last in function.writing:
                called = function.sites[site]
                resource = written.get((called.line, called.col))
                if resource is not None:
                    why = (
                        "an await there would let other tasks run between the statements that "
                        f"write shared state and call `{called.shown}`, which writes {resource}"
                    )
                    spans[summary.path].append((first, last, why, qualname, None))
    return spans
