"""Many conversations at once: the reference companion against its blocking snapshot.

    python bench/companion_load.py                   # 50 conversations, 100 ms a provider call
    python bench/companion_load.py -n 200 --latency 0.2 --rounds 1
    python bench/companion_load.py --json

Both apps run in this process against the same provider emulator (`companion emulator`,
a separate process, as real providers would be) that adds --latency to every call. For
each app: a warm-up turn, the median wall time of one turn alone, then (median of
--rounds) N turns of N different conversations started together, while a ticker task
measures the event loop's lag (how late its short sleeps wake up). The reference app
should take about as long for N turns as for one, with a lag of a few milliseconds; the
snapshot serialises the turns.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from common import dump_json, machine, print_machine, table, tool, verdict

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "regression"))
from ai_companion.settings import Settings  # noqa: E402
from ai_companion.workflow import UserMessage  # noqa: E402
from regression_apps import import_snapshot, open_app  # noqa: E402

TARGETS = {"wall_over_single": 1.5, "loop_lag_p99_ms": 10.0}
TICK_S = 0.002
MESSAGE = "Hello! What are you up to?"


@dataclass
class Load:
    """What one app did: one turn alone, N turns at once, the loop's lag and this process's
    CPU time (all its threads) meanwhile."""

    single_turn_s: float
    wall_s: float
    lag_ms: list[float]
    cpu_s: float

    def lag_percentile(self, percent: int) -> float:
        ordered = sorted(self.lag_ms)
        return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


@asynccontextmanager
async def emulator_process(companion: str, latency: float) -> AsyncIterator[str]:
    """``companion emulator`` (``companion``: the command's path) on a free loopback port;
    yields its base URL."""
    process = await asyncio.create_subprocess_exec(
        companion, "emulator", "--port", "0", "--latency", str(latency),
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        announcement = (await process.stdout.readline()).decode()
        if "http://" not in announcement:
            raise SystemExit(f"companion_load: the emulator did not start: {announcement!r}")
        yield announcement.split(" on ", 1)[1].split()[0]
    finally:
        process.terminate()
        await process.wait()


async def timed(work: Awaitable[object]) -> float:
    started = time.perf_counter()
    await work
    return time.perf_counter() - started


async def ticking(start: Callable[[], Awaitable[object]]) -> tuple[float, list[float]]:
    """The wall time of ``start()`` and, meanwhile, how late each tick of a ticker woke up.

    The ticker is already sleeping when the work starts, so a loop that never yields
    during the work still shows up: as one tick late by the whole run.
    """
    lags: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            started = time.perf_counter()
            await asyncio.sleep(TICK_S)
            lags.append((time.perf_counter() - started - TICK_S) * 1000)

    ticks = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    try:
        wall = await timed(start())
    finally:
        done.set()
        await ticks
    return wall, lags


async def measure(app: str, settings: Settings, args: argparse.Namespace) -> Load:
    """One turn alone (median of --single-repeat), then --rounds rounds of N turns at once
    (the median round's wall time; the lag of every tick of every round)."""
    async with open_app(app, settings) as opened:

        def turn(conversation: str) -> Awaitable[object]:
            return opened.companion.respond(conversation, UserMessage(MESSAGE))

        def round_of_turns(number: int) -> Callable[[], Awaitable[object]]:
            conversations = (turn(f"load-{number}-{n}") for n in range(args.conversations))
            return lambda: asyncio.gather(*conversations)

        await turn("warm-up")
        singles = [await timed(turn(f"single-{n}")) for n in range(args.single_repeat)]
        cpu = time.process_time()
        walls, lags = [], []
        for number in range(args.rounds):
            wall, round_lags = await ticking(round_of_turns(number))
            walls.append(wall)
            lags += round_lags
        cpu_s = (time.process_time() - cpu) / args.rounds
    return Load(statistics.median(singles), statistics.median(walls), lags, cpu_s)


async def run_both(args: argparse.Namespace, data_dir: Path, companion: str) -> dict[str, Load]:
    async with emulator_process(companion, args.latency) as base_url:
        loads = {}
        for app in ("reference", "snapshot"):
            settings = Settings(data_dir=data_dir / app, timeout=60.0).with_base_url(base_url)
            loads[app] = await measure(app, settings, args)
        return loads


def report(args: argparse.Namespace, loads: dict[str, Load]) -> dict:
    fixed, blocking = loads["reference"], loads["snapshot"]
    result = {
        "machine": machine(()),
        "conversations": args.conversations,
        "latency_s": args.latency,
        "rounds": args.rounds,
        "single_turn_s": fixed.single_turn_s,
        "fixed_wall_s": fixed.wall_s,
        "loop_lag_p50_ms": fixed.lag_percentile(50),
        "loop_lag_p99_ms": fixed.lag_percentile(99),
        "blocking_single_turn_s": blocking.single_turn_s,
        "blocking_wall_s": blocking.wall_s,
        "blocking_loop_lag_p50_ms": blocking.lag_percentile(50),
        "blocking_loop_lag_p99_ms": blocking.lag_percentile(99),
        "cpu_per_turn_ms": fixed.cpu_s / args.conversations * 1000,
        "blocking_cpu_per_turn_ms": blocking.cpu_s / args.conversations * 1000,
        "loop_lag_ticks": len(fixed.lag_ms),
        "blocking_loop_lag_ticks": len(blocking.lag_ms),
    }
    wall_over_single = fixed.wall_s / fixed.single_turn_s
    result["targets"] = {
        "fixed_wall_s <= 1.5 x single_turn_s": verdict(
            wall_over_single, TARGETS["wall_over_single"]
        ),
        "loop_lag_p99_ms <= 10": verdict(result["loop_lag_p99_ms"], TARGETS["loop_lag_p99_ms"]),
    }
    return result


def print_report(result: dict, loads: dict[str, Load]) -> None:
    print_machine(result["machine"])
    n, latency_ms = result["conversations"], result["latency_s"] * 1000
    print(
        f"{n} conversations, one turn each (median of {result['rounds']} rounds), "
        f"{latency_ms:g} ms injected per provider call\n"
    )
    rows = [
        [label, load.single_turn_s, load.wall_s, load.wall_s / load.single_turn_s,
         load.lag_percentile(50), load.lag_percentile(99), load.cpu_s / n * 1000]
        for label, load in (
            ("reference (fixed)", loads["reference"]),
            ("blocking snapshot", loads["snapshot"]),
        )
    ]  # fmt: skip
    headers = ["app", "1 turn s", f"{n} turns s", "ratio", "lag p50 ms", "lag p99 ms",
               "CPU ms/turn"]  # fmt: skip
    print(table(headers, rows))
    print()
    for target, outcome in result["targets"].items():
        print(f"target {target}: {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--conversations", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per provider call")
    parser.add_argument("--single-repeat", type=int, default=3, help="single turns (median)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of N turns (median)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    # Imports and looking up the command read the disk: before the loop starts.
    import_snapshot()
    companion = tool("companion")
    with tempfile.TemporaryDirectory(prefix="companion-load-") as data_dir:
        loads = asyncio.run(run_both(args, Path(data_dir), companion))
    result = report(args, loads)
    if args.json:
        dump_json(result)
    else:
        print_report(result, loads)


if __name__ == "__main__":
    main()
