"""The ``companion`` script: a one-line error, not a traceback, when a dependency is missing."""

from __future__ import annotations

import sys

REINSTALL = "pip install -e ./reference_app (from a deblock checkout)"


def main() -> None:
    try:
        from ai_companion.cli import main as cli
    except ModuleNotFoundError as exc:
        missing = (exc.name or "").partition(".")[0]
        if not missing or missing == "ai_companion":
            raise
        sys.exit(
            f"error: the companion needs the '{missing}' module, which is not installed; "
            f"install the companion with its dependencies: {REINSTALL}"
        )
    cli()
