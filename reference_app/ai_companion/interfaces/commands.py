"""The ``companion serve`` (WhatsApp webhook) and ``companion web`` (Chainlit) commands."""

from __future__ import annotations

import importlib.util

import click

from ai_companion.command_runner import command_settings, run
from ai_companion.interfaces.graph_emulator import SentMessage


def _show_sent(message: SentMessage) -> None:
    """Print what the emulated Graph API was asked to send, as the user would see it."""
    detail = message.content.get("body") or message.content.get("caption") or ""
    media = f" (media {message.content['id']})" if "id" in message.content else ""
    click.echo(f"→ {message.to} [{message.kind}]{media} {detail}".rstrip())


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on (0: any).")
@click.option(
    "--allow-unsigned",
    is_flag=True,
    help="DEVELOPMENT ONLY: accept unsigned POSTs while WHATSAPP_APP_SECRET is unset.",
)
def serve(host: str, port: int, allow_unsigned: bool) -> None:
    """Serve the WhatsApp Cloud API webhook (offline: with an emulated Graph API)."""
    from ai_companion.interfaces.whatsapp.service import open_webhook

    settings = command_settings()

    async def serve_until_stopped() -> int:
        async with open_webhook(
            settings, host=host, port=port, allow_unsigned=allow_unsigned, on_sent=_show_sent
        ) as service:
            if service.banner:
                click.echo(f"[{service.banner}]")
            if not settings.whatsapp_app_secret:
                refusal = "accepted unsigned" if allow_unsigned else "refused (403)"
                click.echo(f"warning: WHATSAPP_APP_SECRET is not set: POSTs are {refusal}")
            click.echo(f"WhatsApp webhook on {service.webhook_url} (Ctrl-C stops)")
            await service.server.wait()
        return 0

    run(serve_until_stopped())


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, help="Port to listen on.")
def web(host: str, port: int) -> None:
    """Serve the Chainlit web chat (needs the 'web' extra)."""
    settings = command_settings()
    if importlib.util.find_spec("chainlit") is None:
        raise click.ClickException(
            "the web chat needs the companion's 'web' extra: pip install -e './reference_app[web]'"
        )
    from ai_companion.interfaces.web import launch

    try:
        launch.run(settings, host, port, announce=click.echo)
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        raise click.ClickException(f"cannot serve the web chat: {exc}") from None
