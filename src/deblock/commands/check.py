"""`deblock check`: report blocking calls in async code."""

from __future__ import annotations

import sys

import click

from deblock.commands.options import (
    analysis_options,
    run_cache_dir,
    run_settings,
    server_option,
)
from deblock.output import FORMATS, render
from deblock.runner import analyze_paths


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print diagnostics only, no summary.")
@click.option(
    "--stdin-filename",
    metavar="NAME",
    help="Read the source from standard input and report it as NAME.",
)
@server_option
@analysis_options
def check(
    paths: tuple[str, ...],
    fmt: str,
    quiet: bool,
    stdin_filename: str | None,
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
    """Report blocking calls inside async code under PATHS (default: .).

    Exit status: 0 no findings, 1 findings or files that could not be checked,
    2 usage, configuration or internal error.
    """
    if stdin_filename is not None:
        paths = (stdin_filename,)
    paths = paths or (".",)
    settings = run_settings(paths, config_file, select, ignore, force_exclude, python)
    cache = run_cache_dir(settings, no_cache, cache_dir)
    if stdin_filename is not None:
        from deblock.run_facts import analyze_buffer  # an editor's run only

        data = sys.stdin.buffer.read()
        result = analyze_buffer(data, stdin_filename, settings, jobs=jobs, cache_dir=cache)
    else:
        result = analyze_paths(paths, settings, jobs=jobs, cache_dir=cache)
    sys.stdout.write(render(result, fmt))
    if fmt == "text" and not quiet:
        from deblock.output.text import summary

        click.echo(summary(result))
    if result.internal_errors:
        sys.exit(2)
    sys.exit(1 if result.findings or result.errors else 0)
