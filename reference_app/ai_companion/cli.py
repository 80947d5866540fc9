"""The ``companion`` command: ``chat``, ``ask`` and ``emulator``."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import click

from ai_companion.command_runner import command_settings, run
from ai_companion.console import read_line
from ai_companion.emulator import Emulator
from ai_companion.interfaces.commands import serve, web
from ai_companion.media import MediaError, read_media
from ai_companion.runtime import Session, open_session
from ai_companion.workflow import Reply, UserMessage


def _show(session: Session, reply: Reply) -> None:
    if reply.transcript is not None:
        click.echo(f"(heard: {reply.transcript or '<nothing recognised>'})")
    click.echo(f"{session.companion.persona.name}: {reply.text}")
    for label, path in (("image", reply.image_path), ("audio", reply.audio_path)):
        if path is not None:
            click.echo(f"  {label}: {path}")
    for notice in reply.notices:
        click.echo(f"  note: {notice}")


async def _message(text: str, image: Path | None, audio: Path | None) -> UserMessage:
    """A message with the given media files read (concurrently) and checked."""
    paths = {kind: path for kind, path in (("image", image), ("audio", audio)) if path}
    files = await asyncio.gather(*(read_media(path, kind) for kind, path in paths.items()))
    return UserMessage(text, **{kind: data for kind, (data, _) in zip(paths, files, strict=True)})


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log provider retries and failures.")
def main(verbose: bool) -> None:
    """An AI companion that never blocks its event loop; runs offline without API keys."""
    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR, format="%(message)s")


@main.command()
@click.argument("text")
@click.option("--image", type=click.Path(path_type=Path), help="An image to show the companion.")
@click.option("--audio", type=click.Path(path_type=Path), help="A voice note.")
@click.option("--conversation", default="cli", show_default=True, help="Conversation id.")
def ask(text: str, image: Path | None, audio: Path | None, conversation: str) -> None:
    """Send one message and print the reply and any media paths."""
    settings = command_settings()

    async def one_shot() -> int:
        message = await _message(text, image, audio)
        async with open_session(settings) as session:
            if session.banner:
                click.echo(f"[{session.banner}]")
            _show(session, await session.companion.respond(conversation, message))
        return 0

    run(one_shot())


CHAT_HELP = (
    "Type a message and press Enter. '/image PATH [text]' shares an image, "
    "'/audio PATH' a voice note; ask for a picture or a voice message in plain words. "
    "'/quit' or end of input leaves."
)


def _parse(line: str) -> tuple[str, Path | None, Path | None]:
    """Split a chat line into text, image path and audio path."""
    command, _, rest = line.partition(" ")
    if command not in ("/image", "/audio"):
        return line, None, None
    path, _, text = rest.strip().partition(" ")
    if not path:
        raise MediaError(f"usage: {command} PATH [text]")
    media = Path(path).expanduser()
    return (text, media, None) if command == "/image" else (text, None, media)


@main.command()
@click.option("--conversation", default="cli", show_default=True, help="Conversation id.")
def chat(conversation: str) -> None:
    """Talk with the companion interactively."""
    settings = command_settings()

    async def loop() -> int:
        async with open_session(settings) as session:
            if session.banner:
                click.echo(f"[{session.banner}]")
            click.echo(CHAT_HELP)
            while True:
                click.echo("you> ", nl=False)
                line = await read_line()
                if not line or line.strip() == "/quit":
                    click.echo("")
                    return 0
                if not line.strip():
                    continue
                try:
                    message = await _message(*_parse(line.strip()))
                except MediaError as exc:
                    click.echo(f"error: {exc}")
                    continue
                _show(session, await session.companion.respond(conversation, message))

    run(loop())


@main.command()
@click.option("--port", default=8765, show_default=True, help="Port on 127.0.0.1 (0: any).")
@click.option("--latency", default=0.0, help="Seconds added to every request.")
@click.option("--error-rate", default=0.0, help="Fraction of requests failing with HTTP 503.")
@click.option("--hang-rate", default=0.0, help="Fraction of requests stalling for 30 s.")
def emulator(port: int, latency: float, error_rate: float, hang_rate: float) -> None:
    """Serve the emulated Groq, Together and ElevenLabs APIs on loopback."""
    server = Emulator(port)
    for faults in server.faults.values():
        faults.latency, faults.error_rate, faults.hang_rate = latency, error_rate, hang_rate
    try:
        server.serve_forever(
            lambda url: click.echo(
                f"emulating Groq, Together and ElevenLabs on {url} (Ctrl-C stops)"
            )
        )
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        raise click.ClickException(f"cannot serve on port {port}: {exc}") from None


main.add_command(serve)
main.add_command(web)
