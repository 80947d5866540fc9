"""`deblock fix`: rewrite blocking calls in async code into their non-blocking form."""

from __future__ import annotations

import sys

import click

from deblock.commands.options import (
    analysis_options,
    run_cache_dir,
    run_settings,
    server_option,
)
from deblock.exit_status import INTERRUPTED
from deblock.fixer.engine import FixOptions
from deblock.fixer.session import FixReport, fix_paths
from deblock.output.text import plural

PROGRESS_MIN_FILES = 20


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--diff",
    is_flag=True,
    help="Print a unified diff and write nothing; exit 1 when changes are pending.",
)
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="Also apply the fixes labelled unsafe (native async SDK clients, asyncio subprocesses).",
)
@click.option(
    "--explain-bridges",
    is_flag=True,
    help="Add a `# deblock:` comment at each thread bridge saying what blocks.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print the summary only.")
@server_option
@analysis_options
def fix(
    paths: tuple[str, ...],
    diff: bool,
    unsafe_fixes: bool,
    explain_bridges: bool,
    quiet: bool,
    server: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    no_cache: bool,
    cache_dir: str | None,
    jobs: int | None,
    force_exclude: bool,
    config_file: str | None,
    python: str | None,
) -> None:
    """Fix blocking calls inside async code under PATHS (default: .).

    Safe fixes only, unless --unsafe-fixes. Every rewritten file is re-parsed and
    compiled before it is written atomically. Exit status: 0 nothing left to report,
    1 findings remain (or, with --diff, changes are pending), 2 error.
    """
    paths = paths or (".",)
    settings = run_settings(paths, config_file, select, ignore, force_exclude, python)
    options = FixOptions(unsafe_fixes, explain_bridges, settings.analysis_options())
    cache = run_cache_dir(settings, no_cache, cache_dir)
    try:
        report = fix_paths(
            paths, settings, options, diff=diff, jobs=jobs, cache_dir=cache, progress=_progress
        )
    except KeyboardInterrupt:
        click.echo("Interrupted: every file is either entirely fixed or untouched.", err=True)
        sys.exit(INTERRUPTED)
    for path in sorted(report.diffs):
        sys.stdout.write(report.diffs[path])
    out = sys.stderr if diff else sys.stdout
    if not quiet:
        for file in report.created:
            verb = "would create" if diff else "created"
            click.echo(f"{file}: {verb}: the lock its package's modules' sections share", file=out)
        for line in _left_lines(report, unsafe_fixes):
            click.echo(line, file=out)
    for error in (*report.errors, *report.failures):
        click.echo(f"{error.path}: {error.reason}", err=True)
    click.echo(_summary(report, diff, unsafe_fixes), file=out)
    if report.failures or any(e.reason.startswith("internal error") for e in report.errors):
        sys.exit(2)
    sys.exit(1 if report.left or report.errors or (diff and report.changed) else 0)


def _progress(items, length: int):
    """A progress bar on a terminal for long runs; the items as they are otherwise."""
    if length < PROGRESS_MIN_FILES or not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(items, length=length, label="Fixing", file=sys.stderr) as bar:
        yield from bar


def _why_left(finding, report: FixReport, unsafe: bool) -> str:
    if finding.unfixable:
        return finding.unfixable
    if finding.declined:
        offer = "; an unsafe fix with --unsafe-fixes" if finding.unsafe_fix_only else ""
        return f"declined for safety: {finding.declined}{offer}"
    if finding.unsafe_fix_only and not unsafe:
        why = finding.unsafe_because
        return f"unsafe fix{f': {why}' if why else ''}; use --unsafe-fixes"
    return report.reason(finding) or "no fix applies here"


def _left_lines(report: FixReport, unsafe: bool):
    for f in sorted(report.left, key=lambda f: (f.path, f.line, f.col)):
        yield (
            f"{f.path}:{f.line}:{f.col}: {f.code} {f.message} "
            f"(not fixed: {_why_left(f, report, unsafe)})"
        )


def _summary(report: FixReport, diff: bool, unsafe: bool) -> str:
    verb = "would be applied" if diff else "applied"
    files = plural(len(report.changed), "file")
    applied = (
        f"{plural(report.fixed, 'fix', 'fixes')} {verb} ({files} "
        f"{'would change' if diff else 'changed'})"
    )
    if report.resolved > report.fixed:
        applied += f", covering {report.resolved} findings (one rewrite can cover several)"
    parts = [applied]
    if report.left:
        unsafe_only = 0 if unsafe else sum(f.unsafe_fix_only for f in report.left)
        # as ``_why_left`` words them: a finding with no fix at its place is not declined
        declined = sum(bool(f.declined) and not f.unfixable for f in report.left)
        why = [
            *([f"{declined} declined for safety"] if declined else []),
            *([f"{unsafe_only} with --unsafe-fixes"] if unsafe_only else []),
        ]
        parts.append(
            f"{plural(len(report.left), 'finding')} left" + (f" ({', '.join(why)})" if why else "")
        )
    if report.errors or report.failures:
        parts.append(f"{plural(len(report.errors) + len(report.failures), 'file')} not fixed")
    return "; ".join(parts) + "."
