"""Time `deblock check` against `ruff check --select ASYNC` and flake8-async.

    python bench/check_speed.py                  # pinned corpus, flake8-async on a sample
    python bench/check_speed.py --flake8-full    # flake8-async on everything (~40 min)
    python bench/check_speed.py --json
    python bench/check_speed.py --corpus-dir D   # a local corpus, no network

Cold = no cache (`--no-cache`), with default jobs and in one process (`-j 1`, peak
RSS against the same < 200 MB as the others); warm = a second run with the same fresh
`--cache-dir` (the first, cache-filling run is reported too). The single typical
file runs cold, and edited (the pre-commit case: the whole corpus's cache is filled,
and the file gets one more comment line before each run; it is restored afterwards,
modification time included). The warm and edited runs are then timed again through a
resident server (`deblock check --server`, started first; its own process is not in the
client's tree, so its memory is not in the peak RSS). flake8 has no
cache, so it only runs cold. Runs of the tools are interleaved and the median
wall time of --repeat runs is reported. Peak RSS is the largest process of
each tool's process tree.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import importlib.util
import itertools
import json
import os
import tempfile
import venv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import corpus
from common import (
    Run,
    dump_json,
    machine,
    median_run,
    print_machine,
    ratio,
    rss_floor_mb,
    run,
    table,
    tool,
    verdict,
)

TARGETS = {"cold": 5.0, "warm": 1.5, "single_file_s": 0.10, "peak_rss_mb": 200}
# An empty configuration: like ruff's --isolated, no pyproject.toml around the corpus
# (this repository's own, when the corpus lives in bench/.corpus) applies to the run.
ISOLATED = Path(tempfile.gettempdir(), "deblock-bench-isolated.toml")


def deblock_cmd(paths: list[str], cache: str | None) -> list[str]:
    cache_args = ["--cache-dir", cache] if cache else ["--no-cache"]
    return [tool("deblock"), "check", "--config", str(ISOLATED), "--format", "json",
            *cache_args, *paths]  # fmt: skip


def compile_deblock() -> None:
    """Write deblock's bytecode before timing it, as installing a wheel does (an editable
    install under PYTHONDONTWRITEBYTECODE would compile every module on every run)."""
    spec = importlib.util.find_spec("deblock")
    if spec is not None and spec.submodule_search_locations:
        compileall.compile_dir(spec.submodule_search_locations[0], quiet=1)


def bare_python(directory: str) -> str:
    """The interpreter of a new virtual environment in ``directory`` with no packages."""
    venv.create(directory, with_pip=False)
    return str(Path(directory, "bin", "python"))


def ruff_cmd(paths: list[str], cache: str | None) -> list[str]:
    cache_args = ["--cache-dir", cache] if cache else ["--no-cache"]
    return [tool("ruff"), "check", "--isolated", "--select", "ASYNC", "--output-format", "json",
            *cache_args, *paths]  # fmt: skip


def flake8_cmd(paths: list[str]) -> list[str]:
    return [tool("flake8"), "--isolated", "--select", "ASYNC", *paths]


def findings(name: str, result: Run) -> int | None:
    """How many findings a run printed (None when its output is not readable)."""
    if name == "flake8-async":
        return sum(1 for line in result.stdout.splitlines() if ": ASYNC" in line)
    try:
        return len(json.loads(result.stdout))
    except ValueError:
        return None


def available(name: str) -> bool:
    try:
        return run([tool(name), "--version"]).returncode == 0
    except SystemExit:
        return False


def sample(projects: list[corpus.Project], lines: int) -> list[Path]:
    """A deterministic spread of files (ordered by path hash) of about `lines` lines."""
    files = [(f, p.path) for p in projects for f in p.files]
    files.sort(key=lambda fp: hashlib.sha1(str(fp[0].relative_to(fp[1])).encode()).hexdigest())
    chosen, total = [], 0
    for f, _ in files:
        if total >= lines:
            break
        chosen.append(f)
        total += corpus.count_lines(f)
    return chosen


@contextmanager
def editing(path: Path) -> Iterator[Callable[[], None]]:
    """A function that edits `path` (one more comment line: a new size, mtime and content,
    as a commit brings), and the file restored afterwards, modification time included."""
    original, stat = path.read_bytes(), path.stat()
    count = itertools.count()
    try:
        yield lambda: path.write_bytes(path.read_bytes() + f"\n# edited {next(count)}\n".encode())
    finally:
        path.write_bytes(original)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


@contextmanager
def resident_server(directory: str) -> Iterator[None]:
    """A resident server of deblock (`deblock server`) running meanwhile, its socket in
    ``directory``; every run started meanwhile finds it there."""
    before = os.environ.get("XDG_RUNTIME_DIR")
    os.environ["XDG_RUNTIME_DIR"] = directory
    try:
        run([tool("deblock"), "server", "start"])
        yield
    finally:
        run([tool("deblock"), "server", "stop"])
        if before is None:
            del os.environ["XDG_RUNTIME_DIR"]
        else:
            os.environ["XDG_RUNTIME_DIR"] = before


def typical_file(projects: list[corpus.Project]) -> Path:
    """A typical async module: the line-weighted median of the modules with `async def`.

    Half of all async code lives in modules no longer than this one.
    """
    sized = sorted(
        (corpus.count_lines(f), str(f))
        for p in projects
        for f in p.files
        if b"async def" in f.read_bytes()
    ) or sorted((corpus.count_lines(f), str(f)) for p in projects for f in p.files)
    half, seen = sum(n for n, _ in sized) / 2, 0
    for n, path in sized:
        seen += n
        if seen >= half:
            return Path(path)
    return Path(sized[-1][1])


class Bench:
    """Collects measured runs as rows: tool, mode, lines, median run."""

    def __init__(self, cwd: Path, repeat: int):
        self.cwd, self.repeat, self.rows = cwd, repeat, []

    def measure(
        self,
        jobs: dict[str, list[str]],
        mode: str,
        lines: int,
        repeat: int = 0,
        before: Callable[[], None] = lambda: None,
    ) -> None:
        """Run each tool's command `repeat` times, interleaved (`before` each run); keep
        the median run."""
        runs: dict[str, list[Run]] = {name: [] for name in jobs}
        for _ in range(repeat or self.repeat):
            for name, cmd in jobs.items():
                before()
                runs[name].append(run(cmd, cwd=self.cwd))
        for name, rs in runs.items():
            self.add(name, mode, lines, median_run(rs))

    def add(self, name: str, mode: str, lines: int, result: Run, note: str = "") -> dict:
        row = {
            "tool": name,
            "mode": mode,
            "lines": lines,
            "wall_s": result.wall,
            "cpu_s": result.cpu,
            "peak_rss_mb": result.max_rss_mb,
            "findings": findings(name, result),
            "lines_per_s": round(lines / result.wall) if result.wall else None,
            "returncode": result.returncode,
            "note": note or ("CRASHED: " + result.stderr[-300:] if result.crashed else ""),
        }
        self.rows.append(row)
        return row

    def get(self, name: str, mode: str, key: str) -> float | None:
        return next((r[key] for r in self.rows if r["tool"] == name and r["mode"] == mode), None)


def run_bench(args: argparse.Namespace) -> dict:
    projects = corpus.load(args)
    info = machine(("deblock", "ruff", "flake8"))
    cwd = Path(os.path.commonpath([p.path for p in projects]))
    paths = [str(p.path.relative_to(cwd)) for p in projects]
    total_lines = sum(p.lines for p in projects)
    tools = ["ruff"] + (["deblock"] if available("deblock") else [])
    ISOLATED.write_text("")
    compile_deblock()
    bench = Bench(cwd, args.repeat)

    # Cold: no cache at all. "deblock, no libraries" reads an empty environment's packages
    # (--python of a bare venv): the difference is what learning from libraries costs.
    # "deblock, -j 1": one process holds every module's analysis in turn (its peak memory
    # had tripled on main for a session unseen: the other runs' largest process is the
    # parent, which holds only what the workers hand it).
    cold = {"ruff": ruff_cmd(paths, None)}
    with tempfile.TemporaryDirectory(prefix="deblock-bench-env-") as env:
        if "deblock" in tools:
            cold["deblock"] = deblock_cmd(paths, None)
            cold["deblock, no libraries"] = [*cold["deblock"], "--python", bare_python(env)]
            cold["deblock, -j 1"] = [*cold["deblock"], "-j", "1"]
        bench.measure(cold, "cold", total_lines)

    single = typical_file(projects)
    single_lines = corpus.count_lines(single)
    rel = [str(single.relative_to(cwd))]

    # Warm: fill a fresh cache once, then time runs that use it.
    with tempfile.TemporaryDirectory(prefix="deblock-bench-") as tmp:
        caches = {name: str(Path(tmp, name)) for name in tools}
        make = {"ruff": ruff_cmd, "deblock": deblock_cmd}
        jobs = {name: make[name](paths, caches[name]) for name in tools}
        for name, cmd in jobs.items():
            bench.add(name, "cache fill", total_lines, run(cmd, cwd=cwd))
        bench.measure(jobs, "warm", total_lines)
        if "deblock" in tools:  # the pre-commit case: one file of the cached corpus edited
            edited = {"deblock": deblock_cmd(rel, caches["deblock"])}
            with editing(single) as edit:
                bench.measure(edited, "single file, edited", single_lines,
                              repeat=args.single_repeat, before=edit)  # fmt: skip
            with resident_server(tmp):  # the same runs through `deblock check --server`
                bench.measure({"deblock": [*jobs["deblock"], "--server"]},
                              "warm, resident server", total_lines)  # fmt: skip
                with editing(single) as edit:
                    bench.measure({"deblock": [*edited["deblock"], "--server"]},
                                  "single file, edited, resident server", single_lines,
                                  repeat=args.single_repeat, before=edit)  # fmt: skip

    # Single typical file, cold, several repetitions.
    solo = {"ruff": ruff_cmd(rel, None)}
    if "deblock" in tools:
        solo["deblock"] = deblock_cmd(rel, None)
    bench.measure(solo, "single file", single_lines, repeat=args.single_repeat)

    # flake8-async: a sample by default (it has no cache and is very slow).
    if not args.skip_flake8:
        if args.flake8_full:
            result = run(flake8_cmd(paths), cwd=cwd)
            bench.add("flake8-async", "cold", total_lines, result)
        else:
            files = sample(projects, args.flake8_sample_lines)
            lines = sum(corpus.count_lines(f) for f in files)
            result = run(flake8_cmd([str(f.relative_to(cwd)) for f in files]), cwd=cwd)
            row = bench.add("flake8-async", "cold sample", lines, result,
                            note=f"{len(files)} files sampled")  # fmt: skip
            scale = total_lines / lines if lines else 0
            bench.rows.append({
                **{k: None for k in row}, "tool": "flake8-async", "mode": "cold ESTIMATE",
                "lines": total_lines, "lines_per_s": row["lines_per_s"],
                "wall_s": result.wall * scale, "cpu_s": result.cpu * scale,
                "note": "extrapolated from the sample's lines/s, not measured",
            })  # fmt: skip

    return {
        "machine": info,
        "corpus": [
            {"name": p.name, "version": p.version, "files": len(p.files), "lines": p.lines}
            for p in projects
        ],  # fmt: skip
        "single_file": {"path": rel[0], "lines": single_lines},
        "runs": bench.rows,
        "rss_floor_mb": rss_floor_mb(),
        "results": results(bench, "deblock" in tools),
    }


def results(bench: Bench, have_deblock: bool) -> list[dict]:
    if not have_deblock:
        return [{"name": "deblock", "value": None, "target": None, "verdict": "not measured: "
                 "`deblock --version` failed"}]  # fmt: skip
    cold = ratio(bench.get("deblock", "cold", "wall_s"), bench.get("ruff", "cold", "wall_s"))
    warm = ratio(bench.get("deblock", "warm", "wall_s"), bench.get("ruff", "warm", "wall_s"))
    single = bench.get("deblock", "single file", "wall_s")
    edited = bench.get("deblock", "single file, edited", "wall_s")
    bare = bench.get("deblock, no libraries", "cold", "wall_s")
    learning = ratio(bench.get("deblock", "cold", "wall_s"), bare)
    served = ratio(
        bench.get("deblock", "warm, resident server", "wall_s"), bench.get("ruff", "warm", "wall_s")
    )
    edited_served = bench.get("deblock", "single file, edited, resident server", "wall_s")
    rss = TARGETS["peak_rss_mb"]
    rows = [
        ("deblock/ruff wall, cold", cold, TARGETS["cold"]),
        ("deblock/ruff wall, warm", warm, TARGETS["warm"]),
        ("deblock/ruff wall, warm, resident server", served, TARGETS["warm"]),
        ("deblock single file wall (s)", single, TARGETS["single_file_s"]),
        ("deblock single file wall, edited (s)", edited, TARGETS["single_file_s"]),
        ("deblock single file wall, edited, resident server (s)", edited_served,
         TARGETS["single_file_s"]),
        ("deblock peak RSS MB, cold", bench.get("deblock", "cold", "peak_rss_mb"), rss),
        ("deblock peak RSS MB, filling the cache",
         bench.get("deblock", "cache fill", "peak_rss_mb"), rss),
        ("deblock peak RSS MB, cold, -j 1",
         bench.get("deblock, -j 1", "cold", "peak_rss_mb"), rss),
    ]  # fmt: skip
    out = [{"name": n, "value": v, "target": t, "verdict": verdict(v, t)} for n, v, t in rows]
    out.append({"name": "deblock cold wall, with/without libraries", "value": learning,
                "target": None, "verdict": "info"})  # fmt: skip
    for key, label in (("cpu_s", "CPU"), ("peak_rss_mb", "peak RSS")):
        for mode in ("cold", "warm"):
            value = ratio(bench.get("deblock", mode, key), bench.get("ruff", mode, key))
            out.append({"name": f"deblock/ruff {label}, {mode}", "value": value, "target": None,
                        "verdict": "info"})  # fmt: skip
    fl = bench.get("flake8-async", "cold ESTIMATE", "wall_s") or bench.get(
        "flake8-async", "cold", "wall_s"
    )
    out.append(
        {
            "name": "flake8-async/deblock wall, cold",
            "value": ratio(fl, bench.get("deblock", "cold", "wall_s")),
            "target": None,
            "verdict": "info",
        }
    )
    return out


def report(data: dict) -> None:
    print_machine(data["machine"])
    print(
        table(
            ["project", "version", "files", "lines"],
            [[c["name"], c["version"] or "-", c["files"], c["lines"]] for c in data["corpus"]],
        )
    )
    print(f"\nsingle file: {data['single_file']['path']} ({data['single_file']['lines']} lines)\n")
    headers = ["tool", "mode", "lines", "wall s", "CPU s", "peak RSS MB", "findings", "lines/s",
               "exit", "note"]  # fmt: skip
    keys = ["tool", "mode", "lines", "wall_s", "cpu_s", "peak_rss_mb", "findings", "lines_per_s",
            "returncode", "note"]  # fmt: skip
    print(table(headers, [[r[k] for k in keys] for r in data["runs"]]))
    print(f"(peak RSS cannot read below {data['rss_floor_mb']:.1f} MB, this script's own peak)")
    print()
    print(
        table(
            ["result", "value", "target", "verdict"],
            [[r["name"], r["value"], r["target"], r["verdict"]] for r in data["results"]],
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpus.add_arguments(parser)
    parser.add_argument("--repeat", type=int, default=3, help="runs per cold/warm measurement")
    parser.add_argument("--single-repeat", type=int, default=7, help="runs of the one-file check")
    parser.add_argument(
        "--flake8-sample-lines",
        type=int,
        default=20_000,
        help="lines of the corpus sample given to flake8-async",
    )
    parser.add_argument(
        "--flake8-full",
        action="store_true",
        help="run flake8-async on the whole corpus (slow: tens of minutes)",
    )
    parser.add_argument("--skip-flake8", action="store_true", help="do not run flake8-async")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    data = run_bench(args)
    if args.json:
        dump_json(data)
    else:
        report(data)


if __name__ == "__main__":
    main()
