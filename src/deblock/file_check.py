"""Checking one file's bytes: decode, pre-filter, analyse, read the ``# noqa`` comments.

This is the unit of work of the process pool and of the cache: its outcome depends only
on the bytes and the analysis options, not on ``select``/``ignore``.
"""

from __future__ import annotations

import sys
from dataclasses import field
from typing import TYPE_CHECKING

from deblock.analysis import AnalysisOptions, analyze_source
from deblock.analysis.async_library import imported_library
from deblock.analysis.hand_stepped import steps_coroutines
from deblock.analysis.modules import renamed_beside
from deblock.findings import FileError, Finding
from deblock.noqa import noqa_at, noqa_from_json, noqa_to_json
from deblock.records import record
from deblock.source import SourceError, decode_source

if TYPE_CHECKING:
    from deblock.analysis.summary import ModuleSummary

INTERNAL_ERROR = "internal error"


@record(eq=False)
class Outcome:
    """What checking one file gave: findings and the module's summary for project-wide
    analysis, or why it failed. ``noqa`` holds the ``# noqa`` comments on the lines of its
    findings and of its call sites (project findings land there): the run applies them.
    ``steps``: the first line where the module steps a coroutine by hand."""

    findings: list[Finding] = field(default_factory=list)
    library: str | None = None
    error: FileError | None = None
    # passed to the run as it is: unpickled, it is ready (its JSON form had to be rebuilt
    # into one in the run's serial part: ~0.2 CPU-s of the bench corpus's cold run)
    summary: ModuleSummary | None = field(default=None, repr=False)
    module: str | None = None  # the module's name when it was summarised (the cache keeps
    # summaries apart, and loads them only when project-wide analysis needs them)
    noqa: dict[int, frozenset[str]] = field(default_factory=dict)
    steps: int | None = None
    beside: str = ""  # what its bare imports found beside it (``modules.renamed_beside``)
    binds: dict = field(default_factory=dict)  # ``fix_imports.import_bindings``

    @property
    def cacheable(self) -> bool:
        """Internal errors are not cached: a fixed deblock should retry the file."""
        return self.error is None or not self.error.reason.startswith(INTERNAL_ERROR)

    def to_cache(self) -> list:
        """The JSON form stored in the cache (paths are not stored): findings, library,
        error, module, ``# noqa`` comments, ``steps``, ``binds`` and ``beside`` when any, as
        a list (a warm run decodes one per file: a third faster than as an object)."""
        error = self.error
        beside = [self.beside] if self.beside else []
        return [
            findings_to_cache(self.findings),
            self.library,
            None if error is None else [error.reason, error.line, error.col],
            self.module,
            noqa_to_json(self.noqa),
            self.steps,
            self.binds,
            *beside,
        ]

    @classmethod
    def from_cache(cls, data: list, path: str) -> Outcome:
        """Rebuild an outcome from the cache for the file now at ``path`` (raises
        ``ValueError`` or ``TypeError`` when ``data`` is damaged)."""
        findings, library, error, module, noqa, steps, binds, *beside = data
        return cls(
            [] if findings == [] else findings_from_cache(findings, path),  # most files
            library,
            None if error is None else FileError(path, *error),
            module=module,
            noqa={} if noqa == {} else noqa_from_json(noqa),
            steps=steps,
            beside=beside[0] if beside else "",
            binds=binds,
        )

    def store_in(self, cache, path: str, stat, key: str) -> None:
        """Remember this outcome of ``path`` in ``cache`` (a ``Cache`` or None), and its
        module summary apart from it."""
        if cache is None or not self.cacheable:
            return
        cache.store(path, stat, key, self.to_cache())
        if self.summary is not None:
            cache.store_summary(key, self.summary.to_dict)


def findings_to_cache(findings: list[Finding]) -> list[dict]:
    """Findings in their cached form: their fields but the path (a copy of the file may
    move) and those holding their defaults (``Finding.from_dict`` restores them: a warm run
    of the bench corpus decoded and rebuilt its findings in ~40 % fewer instructions)."""
    return [
        {name: value for name, value in zip(Finding._fields, f, strict=True) if _kept(name, value)}
        for f in findings
    ]


def _kept(name: str, value: object) -> bool:
    return name != "path" and (name not in _DEFAULTS or value != _DEFAULTS[name])


_DEFAULTS = Finding._field_defaults


def findings_from_cache(data: list[dict], path: str) -> list[Finding]:
    """Findings rebuilt from their cached form, for the file now at ``path``."""
    return [Finding.from_dict({**f, "path": path}) for f in data]


def check_bytes(
    data: bytes,
    path: str,
    options: AnalysisOptions,
    *,
    summarise: bool = False,
    defer: bool = False,
    awaited: frozenset[tuple[str, str]] = frozenset(),
) -> Outcome:
    """Check the module whose bytes are ``data``; never raises.

    A module without ``async`` in its text is passed over (nothing in it can block a
    coroutine; only the async library it imports is noted) unless ``summarise`` asks for
    its summary (a coroutine calls into it). ``defer``, ``awaited``: the module pass's
    (``check_module``).
    """
    try:
        text = decode_source(data)
    except SourceError as exc:
        return Outcome(error=FileError(path, exc.reason, exc.line))
    if "async" not in text and not summarise:  # no coroutine, so nothing can block one
        return Outcome(library=imported_library(text), steps=steps_coroutines(text))
    try:
        report = analyze_source(text, path, options, defer, awaited)
    except SyntaxError as exc:
        return Outcome(error=syntax_error(text, path, exc))
    except RecursionError:
        return Outcome(error=FileError(path, "too deeply nested to analyse"))
    except Exception as exc:  # one broken file must not stop the run
        return Outcome(error=FileError(path, f"{INTERNAL_ERROR}: {type(exc).__name__}: {exc}"))
    summary = report.summary
    lines = [n for f in report.findings for n in (f.line, f.end_line)]
    lines += [
        n
        for function in summary.functions.values()
        for site in function.sites
        for n in (site.line, site.end_line)
    ]
    return Outcome(
        report.findings,
        report.library,
        summary=summary,
        module=summary.module,
        noqa=noqa_at(text, lines),
        steps=report.steps,
        beside=renamed_beside(path),
        binds=report.binds or {},
    )


def check_file(
    path: str,
    options: AnalysisOptions,
    defer: bool = False,
    awaited: frozenset[tuple[str, str]] = frozenset(),
) -> tuple[Outcome, bytes | None]:
    """Read and check one file (``defer``, ``awaited``: ``check_bytes``'s): its outcome and
    the bytes checked (an unreadable file becomes an error outcome, without bytes)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return Outcome(error=FileError(path, f"cannot read file: {exc.strerror or exc}")), None
    return check_bytes(data, path, options, defer=defer, awaited=awaited), data


def syntax_error(text: str, path: str, exc: SyntaxError) -> FileError:
    """Report a module Python cannot parse; say so when LibCST can (newer syntax)."""
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    import libcst  # only for files Python cannot parse

    try:
        libcst.parse_module(text)
    except Exception:  # LibCST rejects it too: a plain syntax error
        return FileError(path, f"syntax error: {exc.msg}", exc.lineno, exc.offset)
    return FileError(
        path,
        f"uses syntax newer than Python {running} ({exc.msg}); not analysed",
        exc.lineno,
        exc.offset,
    )
