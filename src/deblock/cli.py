"""The `deblock` command line: a click group whose subcommands are imported on demand,
so `deblock check` never imports the fixer and a one-file run starts quickly."""

from __future__ import annotations

import importlib
import os
import sys

import click

from deblock import __version__
from deblock.collector import collector_paused
from deblock.exit_status import INTERRUPTED

COMMANDS = {
    "check": "deblock.commands.check:check",
    "fix": "deblock.commands.fix:fix",
    "rules": "deblock.commands.rules:rules",
    "explain": "deblock.commands.rules:explain",
    "server": "deblock.commands.server:server",
}


class Failure(click.ClickException):
    """A usage, configuration or internal error: message on stderr, exit code 2."""

    exit_code = 2


def _unavailable(name: str, reason: str) -> click.Command:
    def fail() -> None:
        raise Failure(f"`deblock {name}` is not available in this installation ({reason})")

    return click.Command(
        name,
        callback=fail,
        help=f"(not available: {reason})",
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when that subcommand is used,
    and turns unexpected exceptions into a one-line internal error (exit code 2)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name].split(":")
        try:
            with collector_paused():  # its imports leave no garbage
                return getattr(importlib.import_module(module), attribute)
        except ImportError as exc:  # not built yet, or a dependency is missing
            return _unavailable(name, str(exc))

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:  # the reader went away (`deblock check | head`)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except KeyboardInterrupt:
            raise _interrupted() from None
        except Exception as exc:
            if isinstance(exc.__cause__, KeyboardInterrupt):  # Ctrl-C while a class was made
                raise _interrupted() from None
            from deblock.config import ConfigError  # a configuration found bad while running

            if isinstance(exc, ConfigError):
                raise Failure(str(exc)) from None
            if os.environ.get("DEBLOCK_DEBUG"):
                raise
            raise Failure(
                f"internal error: {type(exc).__name__}: {exc} (set DEBLOCK_DEBUG=1 for a traceback)"
            ) from None


def _interrupted() -> click.exceptions.Exit:
    """Ctrl-C: one line, and the status a shell gives a run it interrupted (click's own is
    1, the status of findings left)."""
    click.echo("Interrupted.", err=True)
    return click.exceptions.Exit(INTERRUPTED)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="deblock")
def main() -> None:
    """Find blocking calls in async Python code, and fix them."""
