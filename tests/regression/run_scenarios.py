"""Run every conversation scenario against one companion, with blockbuster active.

    python run_scenarios.py reference|snapshot --data-dir DIR [--snapshot-parent DIR]

Prints a JSON object: scenario name → "passed" or "<ExceptionType>: <message>"; exits 0
when every scenario passed, else 1. Each scenario gets a fresh companion and data directory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from blockbuster import BlockingError, blockbuster_ctx
from regression_apps import APPS, FIXTURES, emulator, import_snapshot, open_app, settings_for
from scenarios import SCENARIOS, Harness, Media


def describe(exc: BaseException) -> str:
    """The failure, naming a blocking call even when an SDK wrapped it in its own error."""
    chain = [exc]
    while chain[-1].__cause__ or chain[-1].__context__:
        chain.append(chain[-1].__cause__ or chain[-1].__context__)
    shown = next((e for e in chain if isinstance(e, BlockingError)), exc)
    return f"{type(shown).__name__}: {shown}"


async def run_all(app: str, data_dir: Path, snapshot_parent: Path, media: Media) -> dict:
    outcomes = {}
    async with emulator() as server:
        for name, scenario in SCENARIOS.items():
            settings = settings_for(server, data_dir / name)
            try:
                async with open_app(app, settings, snapshot_parent) as opened:
                    await scenario(Harness(opened, server, media))
            except Exception as exc:
                outcomes[name] = describe(exc)
            else:
                outcomes[name] = "passed"
    return outcomes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", choices=APPS)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--snapshot-parent", type=Path, default=FIXTURES)
    args = parser.parse_args()
    media = Media.write(args.data_dir / "inputs")
    if args.app == "snapshot":
        import_snapshot(args.snapshot_parent)  # imports read files: before blockbuster starts
    with blockbuster_ctx():
        outcomes = asyncio.run(run_all(args.app, args.data_dir, args.snapshot_parent, media))
    print(json.dumps(outcomes, indent=2))
    return 0 if all(outcome == "passed" for outcome in outcomes.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
