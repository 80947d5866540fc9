"""Options shared by the commands that analyse files (`check`, `fix`), and the settings
and cache directory they select."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import click

from deblock.cli import Failure
from deblock.config import ConfigError, Settings, load_settings

_OPTIONS = (
    click.option("--select", multiple=True, metavar="CODES",
                 help="Comma-separated code prefixes to act on (replaces the configured ones)."),
    click.option("--ignore", multiple=True, metavar="CODES",
                 help="Comma-separated code prefixes to leave out (added to the configured ones)."),
    click.option("--no-cache", is_flag=True, help="Neither read nor write the check cache."),
    click.option("--cache-dir", type=click.Path(file_okay=False), metavar="DIR",
                 help="Cache directory [default: .deblock_cache in the project root]."),
    click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
                 help="Worker processes for the analysis [default: number of cores]."),
    click.option("--force-exclude", is_flag=True,
                 help="Apply exclude and extend-exclude to files named on the command line too."),
    click.option("--config", "config_file", type=click.Path(dir_okay=False), metavar="FILE",
                 help="Use this TOML file's [tool.deblock] instead of the nearest pyproject.toml."),
)  # fmt: skip
python_option = click.option(
    "--python",
    metavar="PYTHON",
    help="Read installed libraries from this interpreter's environment (a project's venv) "
    "[default: `python` in [tool.deblock], else deblock's own].",
)


server_option = click.option(
    "--server",
    is_flag=True,
    help="Run in the resident server (`deblock server`), started by this run if none runs: "
    "deblock's start is paid once (the pre-commit case).",
)


def analysis_options(command: Callable) -> Callable:
    """Add --select, --ignore, --no-cache, --cache-dir, --jobs, --force-exclude, --config
    and --python to a command."""
    for option in reversed((*_OPTIONS, python_option)):
        command = option(command)
    return command


def split_codes(values: Sequence[str]) -> list[str]:
    """``("DBK1,DBK2", "DBK3")`` → ``["DBK1", "DBK2", "DBK3"]``."""
    return [code for value in values for code in value.split(",") if code.strip()]


def run_settings(
    paths: Sequence[str],
    config_file: str | None,
    select: Sequence[str],
    ignore: Sequence[str],
    force_exclude: bool = False,
    python: str | None = None,
) -> Settings:
    """The settings for a run, with --select/--ignore/--force-exclude/--python applied; a
    bad configuration is a usage error (exit code 2)."""
    try:
        return load_settings(paths, config_file).overridden(
            split_codes(select) if select else None, split_codes(ignore), force_exclude, python
        )
    except ConfigError as exc:
        raise Failure(str(exc)) from None


def run_cache_dir(settings: Settings, no_cache: bool, cache_dir: str | None) -> str | Path | None:
    """Where the run's cache lives, or None for --no-cache."""
    return None if no_cache else (cache_dir or settings.default_cache_dir)
