"""Run `deblock fix --unsafe-fixes` on copies of real projects and check the result.

    python bench/fix_robustness.py                 # aiohttp, sanic, discord.py, channels
    python bench/fix_robustness.py --only trio     # other projects of the corpus
    python bench/fix_robustness.py --json
    python bench/fix_robustness.py --corpus-dir D --work-dir W   # local corpus, no network

Each project is copied afresh into the work dir (default bench/.work), then:
no crash (exit 0 or 1, no traceback), every changed file compiles, a second
run changes nothing (a diff of the first such file is shown). Findings before
and after the first run come from `deblock check --format json` (not timed).
Exits 1 when a check fails; the time target (<= 120 s for the four default
projects) is reported, not enforced.
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import json
import re
import shutil
import sys
from pathlib import Path

import corpus
from common import (
    DEFAULT_WORK_DIR,
    TRACEBACK,
    Run,
    dump_json,
    machine,
    print_machine,
    run,
    table,
    tool,
    verdict,
)

DEFAULT_PROJECTS = ["aiohttp", "sanic", "discord.py", "channels"]
TARGET_S = 120.0
# Summary wording such as "12 fixes applied" / "Applied 12 fixes".
APPLIED = re.compile(r"(\d[\d,]*)\s+fix(?:es)?\s+applied|applied\s+(\d[\d,]*)\s+fix", re.I)


def snapshot(root: Path) -> dict[str, bytes]:
    """The content of every Python file below root, by relative path."""
    return {str(f.relative_to(root)): f.read_bytes() for f in corpus.python_files(root)}


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def diff(name: str, old: bytes, new: bytes, limit: int = 30) -> str:
    lines = difflib.unified_diff(
        old.decode("utf-8", "replace").splitlines(),
        new.decode("utf-8", "replace").splitlines(),
        f"{name} (first run)",
        f"{name} (second run)",
        lineterm="",
    )
    return "\n".join(itertools.islice(lines, limit))


def compile_error(path: Path) -> str | None:
    try:
        compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return f"{path.name}: {exc}"
    return None


def fixes_applied(output: str) -> int | None:
    match = APPLIED.search(output)
    return int((match.group(1) or match.group(2)).replace(",", "")) if match else None


def count_findings(root: Path) -> int | None:
    result = run([tool("deblock"), "check", "--no-cache", "--format", "json", "."], cwd=root)
    try:
        return len(json.loads(result.stdout))
    except ValueError:
        return None


def fix(root: Path) -> Run:
    return run([tool("deblock"), "fix", "--unsafe-fixes", "--no-cache", "."], cwd=root)


def check_project(project: corpus.Project, work_dir: Path) -> dict:
    copy = work_dir / project.label
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(project.path, copy, symlinks=True)
    before = snapshot(copy)
    findings_before = count_findings(copy)

    first = fix(copy)
    after = snapshot(copy)
    touched = changed(before, after)
    broken = [e for f in touched if f in after and (e := compile_error(copy / f))]
    findings_after = count_findings(copy)
    second = fix(copy)
    final = snapshot(copy)
    again = changed(after, final)

    checks = {
        "no_crash": not first.crashed and not second.crashed,
        "changed_files_compile": not broken,
        "second_run_changes_nothing": not again,
    }
    return {
        "project": project.label,
        "files": len(project.files),
        "lines": project.lines,
        "wall_s": first.wall,
        "second_wall_s": second.wall,
        "exit": first.returncode,
        "second_exit": second.returncode,
        "files_changed": len(touched),
        "fixes_applied": fixes_applied(first.stdout + first.stderr),
        "findings_before": findings_before,
        "findings_after": findings_after,
        "not_compiling": broken,
        "changed_by_second_run": again,
        "checks": checks,
        "ok": all(checks.values()),
        "output_tail": "\n".join(
            (r.stdout + r.stderr)[-1500:] for r in (first, second) if r.crashed
        ),
        "second_run_diff": diff(again[0], after.get(again[0], b""), final.get(again[0], b""))
        if again
        else "",
    }


def report(data: dict) -> None:
    print_machine(data["machine"])
    keys = ["project", "files", "lines", "wall_s", "exit", "files_changed", "fixes_applied",
            "findings_before", "findings_after", "second_wall_s", "ok"]  # fmt: skip
    headers = ["project", "files", "lines", "fix wall s", "exit", "files changed",
               "fixes applied", "findings before", "after", "2nd run s", "ok"]  # fmt: skip
    print(table(headers, [[r[k] for k in keys] for r in data["projects"]]))
    for r in data["projects"]:
        failed = [name for name, passed in r["checks"].items() if not passed]
        if failed:
            print(f"\n{r['project']}: FAILED {', '.join(failed)}")
            for line in r["not_compiling"] + r["changed_by_second_run"][:20]:
                print(f"  {line}")
            for text in (r["output_tail"], r["second_run_diff"]):
                if text:
                    print(text)
    print(f"\ntotal fix wall time: {data['total_wall_s']:.2f} s (target <= {TARGET_S:.0f} s: "
          f"{data['time_verdict']}); robustness: {'PASS' if data['ok'] else 'FAIL'}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpus.add_arguments(parser)
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR,
                        help="where the scratch copies go (default: bench/.work)")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    probe = run([tool("deblock"), "--version"])
    if probe.returncode != 0 or TRACEBACK in probe.stderr:
        sys.exit(f"fix_robustness: `deblock --version` failed:\n{probe.stderr[-500:]}")
    projects = corpus.load(args, default=DEFAULT_PROJECTS)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    info = machine(("deblock",))
    rows = [check_project(p, args.work_dir.resolve()) for p in projects]
    total = sum(r["wall_s"] for r in rows)
    data = {
        "machine": info,
        "projects": rows,
        "total_wall_s": total,
        "target_s": TARGET_S,
        "time_verdict": verdict(total, TARGET_S),
        "ok": all(r["ok"] for r in rows),
    }
    if args.json:
        dump_json(data)
    else:
        report(data)
    sys.exit(0 if data["ok"] else 1)


if __name__ == "__main__":
    main()
