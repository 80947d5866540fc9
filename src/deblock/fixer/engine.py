"""Apply the codemods of each finding's strategy to one module, and check the result."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.codemod import CodemodContext

from deblock.analysis import AnalysisOptions, analyze_source
from deblock.analysis.apart_twins import apart_in_segments
from deblock.codemods.registry import CODEMODS
from deblock.findings import Finding
from deblock.fixer.relocate import key, project_only, relocate


@dataclass(frozen=True)
class FixOptions:
    """How to fix: unsafe strategies too, bridge comments, analysis settings, the packages
    fixes may import."""

    unsafe: bool = False
    explain_bridges: bool = False
    analysis: AnalysisOptions = field(default_factory=AnalysisOptions)
    # the third-party packages a fix may import (the owning project's dependencies); None:
    # any (a module fixed alone, with nothing known of its project)
    imports: frozenset[str] | None = None


@dataclass
class FixOutcome:
    """The fixed text of one module (the original when nothing applied or it failed).

    ``error`` is a defect of a codemod (its output did not verify, or it crashed);
    ``unparsable`` says why LibCST cannot take the module at all.
    """

    source: str
    fixed: list[Finding] = field(default_factory=list)
    left: list[Finding] = field(default_factory=list)
    declined: list[tuple[Finding, str]] = field(default_factory=list)
    error: str | None = None
    unparsable: str | None = None


# Rounds of every strategy in order: a fix can give a later call a strategy that already
# ran (a section's lock makes a call left in a ``finally`` a section of its own).
_ROUNDS = 3


def chosen_strategy(finding: Finding, unsafe: bool, tried: set[str]) -> str | None:
    """The strategy to apply next: the unsafe one first when allowed, then the safe one."""
    if finding.unfixable is not None:
        return None
    for strategy in (finding.unsafe_strategy if unsafe else None, finding.strategy):
        if strategy in CODEMODS and strategy not in tried:
            return strategy
    return None


def fix_source(
    source: str,
    path: str,
    options: FixOptions,
    findings: Sequence[Finding] | None = None,
    library: str | None = None,
    reanalyze: Callable[[str], list[Finding]] | None = None,
) -> FixOutcome:
    """Fix ``source``; ``findings``/``library`` come from a project run, else the analyzer.

    Strategies run one after another, in rounds while one changes the module; after each
    change ``reanalyze`` (the analyzer, filtered as the run filters) reports the module
    again, so later codemods see exact positions and only what still blocks. Findings of
    the project run that the module's own analysis cannot see are carried along with their
    lines.
    """
    if reanalyze is None:

        def reanalyze(code: str) -> list[Finding]:
            return analyze_source(code, path, options.analysis).findings

    if findings is None:
        report = analyze_source(source, path, options.analysis)
        findings, library = report.findings, report.library
    outcome = FixOutcome(source, left=list(findings))
    if not any(chosen_strategy(f, options.unsafe, set()) for f in findings):
        return outcome
    try:
        module = cst.parse_module(source)
    except Exception as exc:  # LibCST rejects some odd but valid layouts
        return FixOutcome(source, left=outcome.left, unparsable=f"LibCST cannot parse it: {exc}")
    try:
        carried: list[Finding] | None = None
        for _ in range(_ROUNDS):
            changed, tried = False, set()
            for strategy, command in CODEMODS.items():
                mine = [
                    f for f in findings if chosen_strategy(f, options.unsafe, tried) == strategy
                ]
                tried.add(strategy)
                if not mine:
                    continue
                codemod = command(
                    CodemodContext(filename=path),
                    findings=mine,
                    library=library,
                    explain_bridges=options.explain_bridges,
                    imports=options.imports,
                )
                new = codemod.transform_module(module)
                outcome.fixed += codemod.fixed
                outcome.declined += codemod.declined
                if new.code != module.code:
                    if carried is None:
                        carried = project_only(findings, reanalyze(module.code))
                    fixed = {key(f) for f in codemod.fixed}
                    carried = relocate(
                        [f for f in carried if key(f) not in fixed], module.code, new.code
                    )
                    module, changed = new, True
                    findings = apart_in_segments(reanalyze(module.code) + carried)
            if not changed:
                break
        _verify(module.code, path)
        first = {}  # a later round's reason is about code the first rewrote
        for finding, why in outcome.declined:
            first.setdefault(key(finding), (finding, why))
        outcome.declined = list(first.values())
    except Exception as exc:  # a bug in a codemod must never cost the user's file
        return FixOutcome(source, left=outcome.left, error=f"{type(exc).__name__}: {exc}")
    outcome.source, outcome.left = module.code, list(findings)
    return outcome


def _verify(code: str, path: str) -> None:
    """Re-parse and compile the rewritten module; raises when it is broken."""
    cst.parse_module(code)
    with warnings.catch_warnings():  # the user's own SyntaxWarnings are not ours to print
        warnings.simplefilter("ignore")
        compile(code, path, "exec", dont_inherit=True)
