"""`deblock check`: report blocking calls in async code."""

from __future__ import annotations

import sys

import click

from deblock.cli import Failure
from deblock.config import ConfigError, load_settings
from deblock.output import FORMATS, render
from deblock.output.text import summary
from deblock.runner import analyze_bytes, analyze_paths


def _codes(values: tuple[str, ...]) -> list[str]:
    return [code for value in values for code in value.split(",") if code.strip()]


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
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Comma-separated code prefixes to report (replaces the configured ones).",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="CODES",
    help="Comma-separated code prefixes to leave out (added to the configured ones).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print diagnostics only, no summary.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Cache directory [default: .deblock_cache in the project root].",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Worker processes [default: number of cores].",
)
@click.option(
    "--stdin-filename",
    metavar="NAME",
    help="Read the source from standard input and report it as NAME.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Use this TOML file's [tool.deblock] instead of the nearest pyproject.toml.",
)
def check(
    paths: tuple[str, ...],
    fmt: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    quiet: bool,
    no_cache: bool,
    cache_dir: str | None,
    jobs: int | None,
    stdin_filename: str | None,
    config_file: str | None,
) -> None:
    """Report blocking calls inside async code under PATHS (default: .).

    Exit status: 0 no findings, 1 findings or files that could not be checked,
    2 usage, configuration or internal error.
    """
    if stdin_filename is not None:
        paths = (stdin_filename,)
    paths = paths or (".",)
    try:
        settings = load_settings(paths, config_file).overridden(
            _codes(select) if select else None, _codes(ignore)
        )
    except ConfigError as exc:
        raise Failure(str(exc)) from None
    if stdin_filename is not None:
        result = analyze_bytes(sys.stdin.buffer.read(), stdin_filename, settings)
    else:
        cache = None if no_cache else (cache_dir or settings.default_cache_dir)
        result = analyze_paths(paths, settings, jobs=jobs, cache_dir=cache)
    sys.stdout.write(render(result, fmt))
    if fmt == "text" and not quiet:
        click.echo(summary(result))
    if result.internal_errors:
        sys.exit(2)
    sys.exit(1 if result.findings or result.errors else 0)
