"""Helpers shared by the benchmark scripts: tools, timing, machine, tables."""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_CORPUS_DIR = BENCH_DIR / ".corpus"
DEFAULT_WORK_DIR = BENCH_DIR / ".work"
TRACEBACK = "Traceback (most recent call last)"


def tool(name: str) -> str:
    """Path of a console script: next to this interpreter first, then $PATH."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"bench: cannot find the '{name}' command")
    return found


def tool_version(name: str) -> str:
    try:
        out = subprocess.run([tool(name), "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, SystemExit, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc})"
    text = (out.stdout or out.stderr).strip()
    if out.returncode != 0:
        return f"unavailable ({text.splitlines()[-1] if text else out.returncode})"
    return " ".join(text.split())


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine(tools: tuple[str, ...]) -> dict:
    """What the figures were measured on."""
    info = {
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1/5/15 min, before the runs)",
    }
    info.update({name: tool_version(name) for name in tools})
    return info


def print_machine(info: dict) -> None:
    print("Machine:")
    for key, value in info.items():
        print(f"  {key:>8}: {value}")
    print()


@dataclass
class Run:
    """One finished child process: wall and CPU seconds, peak RSS, output."""

    cmd: list[str]
    returncode: int
    wall: float
    cpu: float
    max_rss_mb: float
    stdout: str
    stderr: str

    @property
    def crashed(self) -> bool:
        return self.returncode not in (0, 1) or TRACEBACK in self.stderr + self.stdout

    def summary(self) -> dict:
        data = asdict(self)
        del data["stdout"], data["stderr"]
        return data


def run(cmd: list[str], cwd: Path | str | None = None, env: dict[str, str] | None = None) -> Run:
    """Run cmd (``env``: variables added to this process's) and measure it.

    os.wait4 returns the rusage of that child together with every descendant it
    reaped, so max RSS is the largest single process of the tree (a pool of
    workers is not summed) and CPU is user+system over the whole tree.
    Linux carries the spawning process's peak RSS into the child's at exec, so
    max RSS never reads below rss_floor_mb().
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env={**os.environ, **env} if env else None,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            cmd=[str(part) for part in cmd],
            returncode=proc.returncode,
            wall=wall,
            cpu=usage.ru_utime + usage.ru_stime,
            max_rss_mb=usage.ru_maxrss / 1024,  # Linux reports KiB
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def rss_floor_mb() -> float:
    """This process's own peak RSS: the lowest max RSS a child can report."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median_run(runs: list[Run]) -> Run:
    """The run with the median wall time (the upper one for an even count)."""
    ordered = sorted(runs, key=lambda r: r.wall)
    return ordered[len(ordered) // 2]


def median(values: list[float]) -> float:
    return statistics.median(values)


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def fmt(value: object, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def table(headers: list[str], rows: list[list[object]]) -> str:
    """A plain aligned text table: first column left, the others right."""
    cells = [headers] + [[fmt(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        parts = [row[0].ljust(widths[0])]
        parts += [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule] + [line(r) for r in cells[1:]])


def verdict(value: float | None, limit: float) -> str:
    if value is None:
        return "n/a"
    return "PASS" if value <= limit else "FAIL"


def dump_json(data: dict) -> None:
    json.dump(data, sys.stdout, indent=2, default=str)
    print()
