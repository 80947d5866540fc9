"""Starting Chainlit on ``chainlit_app.py`` with its files kept under the data directory."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ai_companion.settings import Settings

APP_FILE = Path(__file__).with_name("chainlit_app.py")


def run(
    settings: Settings, host: str, port: int, announce: Callable[[str], object] = print
) -> None:
    """Serve the web chat until interrupted (blocking: call from a command, not a coroutine)."""
    root = settings.data_dir / "web"
    root.mkdir(parents=True, exist_ok=True)
    # Chainlit reads these when it is first imported: its config, uploads and address.
    os.environ["CHAINLIT_APP_ROOT"] = str(root)
    os.environ["CHAINLIT_HOST"] = host
    os.environ["CHAINLIT_PORT"] = str(port)
    from chainlit.cli import run_chainlit
    from chainlit.config import config

    config.run.headless = True
    # Only pages served by this chat may call it from a browser (Chainlit allows any origin).
    config.project.allow_origins = [f"http://{host}:{port}", f"http://localhost:{port}"]
    announce(f"web chat on http://{host}:{port} (Ctrl-C stops)")
    run_chainlit(str(APP_FILE))
