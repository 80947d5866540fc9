"""Sections that write ``sys.stdout`` or ``sys.stderr`` in a thread while another module
writes the stream.

A module's fix that writes a standard stream from a worker thread is declined when the
module's own code writes it too (``SectionPlanner._keep_streams``): on the event loop each
write came whole between the others, in the thread the others' come between its pieces
(``json.dump`` writes in many). Another module's writes come as well: its ``print``, or a
logging handler of the stream that it made, which writes every record logged anywhere in
the process, or, when no module configures a handler, a record it logs at ``WARNING`` or
above, which ``logging.lastResort`` writes to ``sys.stderr`` (the module's own too: its
sections were weighed against its writers, not its records). When a module that may run
in the same process (``processes.Processes``) writes the stream
(``ModuleSummary.stream_writers``, ``logged``), the safe fixes of the sections that write it
(``ModuleSummary.streams``) are declined, offered as unsafe. The modules with no coroutine
are summarised first when their text names a way to write one or to log, and so are the
modules the module pass deferred (their writes unmade) made whole.
"""

from __future__ import annotations

from collections import defaultdict

from deblock.analysis.process_streams import STREAM_WORDS, stream_reason
from deblock.project.module_globals import coroutine_at
from deblock.project.processes import Processes, programs
from deblock.project.shared_io import Span
from deblock.project.summaries import ModuleSummaries


def stream_spans(source: ModuleSummaries, paths: list[str]) -> dict[str, list[Span]]:
    """By path, the sections writing a standard stream in a thread that another module of
    the run (``paths``: all of its modules) writes too, or any module's record logged to
    ``logging.lastResort`` when no module configures a handler."""
    if not any(summary.streams for summary in source.summaries):
        return {}
    source.naming(STREAM_WORDS)
    source.complete(source.deferred_naming(STREAM_WORDS))
    movers = [summary for summary in source.summaries if summary.streams]
    last_resort = not any(summary.handlers for summary in source.summaries)
    writes = {
        summary.path: [
            *((name, writer, False) for name, writer in summary.stream_writers),
            *(("stderr", logger, True) for logger in summary.logged if last_resort),
        ]
        for summary in source.summaries
    }
    relevant = {path for path, found in writes.items() if found} | {s.path for s in movers}
    apart = Processes(programs(source.summaries, paths, relevant)).apart
    spans: dict[str, list[Span]] = defaultdict(list)
    for summary in movers:
        here = summary.path
        others = [(p, found) for p, found in writes.items() if not apart(here, p)]
        for stream, first, last in summary.streams:
            where = next(
                (
                    f"`{writer}` ({path})"
                    for path, found in others
                    for name, writer, logs in found
                    if name == stream and (path != here or logs)
                ),
                None,
            )
            if where is not None:
                why = stream_reason(stream, where)
                spans[here].append((first, last, why, coroutine_at(summary, first), None))
    return spans
