"""How long the sample service stalls its event loop while it serves concurrent requests.

    python examples/loop_lag.py SERVICE_DIR [--requests N]

Imports ``notes.service`` from SERVICE_DIR (the sample service, as written or fixed),
serves N concurrent requests (create, read, retire and version, each), and prints the
longest time a ready task had to wait for the loop: what every other request felt.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile

TICK = 0.001


async def watch(stalls: list[float], done: asyncio.Event) -> None:
    """Sleep a tick at a time; how late each wake-up comes is a stall of the loop."""
    loop = asyncio.get_running_loop()
    while not done.is_set():
        start = loop.time()
        await asyncio.sleep(TICK)
        stalls.append(loop.time() - start - TICK)


async def request(service, number: int) -> None:
    name = f"note-{number}.json"
    await service.create(name, f"note {number}")
    await service.read(name)
    await service.retire(name)
    await service.version()


async def longest_stall(directory: str, requests: int) -> float:
    from notes.service import NotesService

    service = NotesService(directory)
    stalls: list[float] = []
    done = asyncio.Event()
    watcher = asyncio.create_task(watch(stalls, done))
    await asyncio.sleep(TICK)  # the watcher is running before the first request
    await asyncio.gather(*(request(service, n) for n in range(requests)))
    done.set()
    await watcher
    return max(stalls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("service_dir")
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()
    sys.dont_write_bytecode = True  # leave the service's directory as it was
    sys.path.insert(0, args.service_dir)
    with tempfile.TemporaryDirectory() as data:
        stall = asyncio.run(longest_stall(data, args.requests))
    print(
        f"longest event-loop stall while serving {args.requests} concurrent requests: "
        f"{stall * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
