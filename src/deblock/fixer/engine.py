"""Apply the codemods of each finding's strategy to one module, and check the result."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import field

import libcst as cst
from libcst.codemod import CodemodContext

from deblock.analysis import AnalysisOptions
from deblock.analysis.apart_twins import apart_in_segments
from deblock.codemods.registry import CODEMODS
from deblock.findings import Finding, decline
from deblock.fixer.alone import analyze_alone
from deblock.fixer.relocate import key, placed, project_only, relocate
from deblock.project.carried import carry_found, moved_along
from deblock.records import record


@record(frozen=True)
class FixOptions:
    """How to fix: unsafe strategies too, bridge comments, analysis settings, and for a
    module fixed alone the packages its fixes may import."""

    unsafe: bool = False
    explain_bridges: bool = False
    analysis: AnalysisOptions = field(default_factory=AnalysisOptions)
    # the third-party packages a fix of a module analysed alone may import (its project's
    # dependencies); None: any. A project run decides with the project's own.
    imports: frozenset[str] | None = None


@record
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
    if findings is None:
        findings, library = analyze_alone(source, path, options.analysis, options.imports)
    if reanalyze is None:

        def reanalyze(code: str) -> list[Finding]:
            return analyze_alone(code, path, options.analysis, options.imports, library)[0]

    given = findings
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
                )
                new = codemod.transform_module(module)
                outcome.fixed += codemod.fixed
                outcome.declined += codemod.declined
                if new.code != module.code:
                    if carried is None:
                        carried = project_only(findings, reanalyze(module.code))
                    left = _not_fixed(findings, codemod.fixed)
                    across = {key(f) for f in carried}
                    # the module's own, on lines the rewrite left as they were, carried as
                    # a project pass's where its analysis no longer finds them: the rewrite
                    # hid what it knew of their call (``second.wait()`` after a section
                    # that made ``second`` and hands it back: its type), not its blocking
                    own = [f for f in left if key(f) not in across]
                    lost = relocate(own, module.code, new.code, found_again=False)
                    carried = relocate(_not_fixed(carried, codemod.fixed), module.code, new.code)
                    module, changed = new, True
                    local = reanalyze(module.code)
                    carried += project_only(lost, local)
                    found = apart_in_segments(carry_found(local, carried))
                    findings = held(found, given, source, module.code, options.unsafe)
            if not changed:
                break
        _verify(module.code, path)
        first = {}  # a later round's reason is about code the first rewrote
        for finding, why in outcome.declined:
            first.setdefault(key(finding), (finding, why))
        outcome.declined = list(first.values())
    except Exception as exc:  # a bug in a codemod must never cost the user's file
        return FixOutcome(source, left=outcome.left, error=f"{type(exc).__name__}: {exc}")
    outcome.source = module.code
    outcome.left = list(findings)
    return outcome


def _not_fixed(findings: list[Finding], fixed: list[Finding]) -> list[Finding]:
    """Those of ``findings`` a rewrite neither ``fixed`` nor took along into a fixed call's
    thread."""
    done = {key(f) for f in fixed}
    return [f for f in findings if key(f) not in done and not moved_along(f, fixed)]


def held(
    found: list[Finding], given: Sequence[Finding], old: str, new: str, unsafe: bool
) -> list[Finding]:
    """The findings ``found`` in ``new`` (``old`` rewritten by fixes), none with a fix that
    the analysis of ``old`` did not offer it (``given``; with ``unsafe``, any fix it
    offered), and one declined there declined for that reason: a later analysis judges
    code the fixes rewrote (an ``await`` they added ends the run of statements a decline
    weighed), and the first analysis decides. A finding ``old`` lacks keeps its fix: it is
    where a fix made code block anew."""
    first = {key(f): f for f in given}
    kept = []
    for finding, there in zip(found, placed(found, new, old), strict=True):
        was = first.get(key(there))
        if was is None or was.safe_fix or (unsafe and was.fixable) or not finding.fixable:
            reason = was.declined if was is not None and finding.declined else None
            kept.append(finding._replace(declined=reason or finding.declined))
        else:
            declined = decline(finding, was.declined, unsafe=was.unsafe_fix_only)
            kept.append(declined._replace(unfixable=was.unfixable))
    return kept


def _verify(code: str, path: str) -> None:
    """Re-parse and compile the rewritten module; raises when it is broken."""
    cst.parse_module(code)
    with warnings.catch_warnings():  # the user's own SyntaxWarnings are not ours to print
        warnings.simplefilter("ignore")
        compile(code, path, "exec", dont_inherit=True)
