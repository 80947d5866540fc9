"""`deblock server`: start, stop or ask about the resident server that
`deblock check --server` runs through."""

from __future__ import annotations

import time

import click

from deblock.cli import Failure
from deblock.resident import IDLE_SECONDS
from deblock.resident.address import server_file, socket_path
from deblock.resident.client import ask


@click.group()
def server() -> None:
    """The resident server of `deblock check --server`: deblock imported once, a process
    forked for each check (the pre-commit case runs in a fraction of the time)."""


@server.command()
@click.option("--idle", type=click.IntRange(min=1), default=IDLE_SECONDS // 60,
              show_default=True, metavar="MINUTES",
              help="Stop after this many minutes without a check.")  # fmt: skip
def start(idle: int) -> None:
    """Start the server in the background (nothing to do if it runs)."""
    from deblock.resident.starting import CannotServe, start_in_background, wait_for_server

    status = ask({"op": "status"})
    if status:
        click.echo(f"deblock server: already running (pid {status['pid']})")
        return
    try:
        started = start_in_background(idle * 60)
    except CannotServe as reason:
        raise Failure(str(reason)) from None
    status = wait_for_server(started)
    if not status:
        log = server_file(".log")
        raise Failure(f"the resident server did not start; see {log}")
    click.echo(f"deblock server: started (pid {status['pid']}, stops after {idle} min idle)")


@server.command()
def stop() -> None:
    """Stop the server."""
    status = ask({"op": "stop"})
    click.echo("deblock server: stopped" if status else "deblock server: not running")


@server.command()
def status() -> None:
    """Say whether the server runs (exit status 1 if not)."""
    answer = ask({"op": "status"})
    if not answer:
        click.echo("deblock server: not running")
        raise SystemExit(1)
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(answer["since"]))
    click.echo(
        f"deblock server: running (pid {answer['pid']}, since {since}, stops after "
        f"{round(answer['idle'] / 60)} min idle, {answer['runs']} runs), socket {socket_path()}"
    )
