"""Many conversations at once: the reference companion against its blocking snapshot.

    python bench/companion_load.py                   # 50 conversations, 100 ms a provider call
    python bench/companion_load.py -n 200 --latency 0.2 --rounds 1
    python bench/companion_load.py --json
    python bench/companion_load.py --profile turns.prof   # + where a turn's CPU goes

Both apps run in this process against the same provider emulator (`companion emulator`,
a separate process, as real providers would be) that adds --latency to every call. For
each app: a warm-up turn, the median wall time of one turn alone, then (median of
--rounds) N turns of N different conversations started together, while a ticker task
measures the event loop's lag (how late its short sleeps wake up), and this process's CPU.

The turns overlap their waiting, not their CPU: the loop runs on one core, so N turns cannot
take less than one turn plus N times a turn's CPU. The targets: the reference app's N turns
within 1.2 x (one turn + N x CPU per turn), the blocking snapshot (which serialises the turns)
at least 10 x slower, and a p99 loop lag within 10 ms. --profile runs one more round of the
reference app under cProfile (the loop thread's CPU time), writes it to a file and prints the
CPU per turn by package: the app's own code against the SDKs and the HTTP stack.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from common import dump_json, machine, print_machine, table, tool, verdict
from cpu_shares import shares

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "regression"))
from ai_companion.settings import Settings  # noqa: E402
from ai_companion.workflow import UserMessage  # noqa: E402
from regression_apps import import_snapshot, open_app  # noqa: E402

TARGETS = {"wall_over_turn_plus_cpu": 1.2, "blocking_over_fixed": 10.0, "loop_lag_p99_ms": 10.0}
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
    profile: list[tuple[str, float]] | None = None

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


async def profiled(turns: Callable[[], Awaitable[object]], path: Path) -> list[tuple[str, float]]:
    """Run ``turns()`` under cProfile, timing the loop thread's CPU; write the profile to
    ``path`` and return the seconds per package."""
    profile = cProfile.Profile(time.thread_time)
    profile.enable()
    try:
        await turns()
    finally:
        profile.disable()
    await asyncio.to_thread(profile.dump_stats, path)
    return shares(pstats.Stats(profile))


async def measure(app: str, settings: Settings, args: argparse.Namespace) -> Load:
    """One turn alone (median of --single-repeat), then --rounds rounds of N turns at once
    (the median round's wall time; the lag of every tick of every round); with --profile,
    one more round of the reference app under cProfile."""
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
        profile = None
        if args.profile and app == "reference":
            profile = await profiled(round_of_turns(args.rounds), args.profile)
    return Load(statistics.median(singles), statistics.median(walls), lags, cpu_s, profile)


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
    # The least N overlapped turns can take: one turn's wait plus every turn's CPU.
    floor_s = fixed.single_turn_s + fixed.cpu_s
    result["turn_plus_cpu_s"] = floor_s
    result["fixed_wall_over_turn_plus_cpu"] = fixed.wall_s / floor_s
    result["blocking_over_fixed"] = blocking.wall_s / fixed.wall_s
    if fixed.profile is not None:
        n = args.conversations
        result["profile_cpu_ms_per_turn"] = {name: s / n * 1000 for name, s in fixed.profile}
    result["targets"] = {
        "fixed_wall_s <= 1.2 x (single_turn_s + N x cpu_per_turn)": verdict(
            result["fixed_wall_over_turn_plus_cpu"], TARGETS["wall_over_turn_plus_cpu"]
        ),
        # A lower bound: the limit is compared the other way round.
        "blocking_wall_s >= 10 x fixed_wall_s": verdict(
            TARGETS["blocking_over_fixed"], result["blocking_over_fixed"]
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
    print(
        f"\none turn + {n} x CPU per turn: {result['turn_plus_cpu_s']:.2f} s; the reference app "
        f"took {result['fixed_wall_over_turn_plus_cpu']:.2f} x that, the blocking snapshot "
        f"{result['blocking_over_fixed']:.1f} x the reference app's wall time\n"
    )
    if loads["reference"].profile is not None:
        print_profile(loads["reference"].profile, n)
    for target, outcome in result["targets"].items():
        print(f"target {target}: {outcome}")


def print_profile(profile: list[tuple[str, float]], n: int, top: int = 12) -> None:
    """The profiled round's loop-thread CPU per turn, by package (the largest ``top``)."""
    total = sum(seconds for _, seconds in profile)
    rows = [[name, seconds / n * 1000, 100 * seconds / total] for name, seconds in profile[:top]]
    rows.append(["(all)", total / n * 1000, 100.0])
    print("reference app under cProfile (loop thread CPU, profiler overhead included):")
    print(table(["package", "CPU ms/turn", "share %"], rows))
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--conversations", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per provider call")
    parser.add_argument("--single-repeat", type=int, default=3, help="single turns (median)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of N turns (median)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--profile", type=Path, metavar="FILE", help="profile one more round into FILE (pstats)"
    )
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
