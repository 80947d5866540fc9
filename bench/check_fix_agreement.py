"""Does `deblock fix` do what `deblock check` calls fixable, on real projects?

    python bench/check_fix_agreement.py                  # every corpus project
    python bench/check_fix_agreement.py --only trio anyio
    python bench/check_fix_agreement.py --corpus-dir D --json

Each project is copied afresh into a temporary folder and run with `--config` of an
empty file (the corpus projects' own settings and this repository's are ignored):
`deblock check --format json` gives each finding's fix (safe: `strategy`; with
`--unsafe-fixes`: `fixable`), then `deblock fix --diff` and `deblock fix --diff
--unsafe-fixes` (nothing written: the findings left keep their places in the original
text) list the findings they leave with why. A disagreement is a finding check calls
fixable that fix leaves (with fix's reason: a codemod declining at rewrite time), one
check gives no fix that fix removes anyway, or one fix leaves that check did not report.
Exits 1 when there is a disagreement.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

import corpus
from common import dump_json, machine, print_machine, run, table, tool

LEFT = re.compile(r"^(\S+):(\d+):(\d+): (\w+) .* \(not fixed: (.*)\)$", re.M)
MODES = {"safe": (), "unsafe": ("--unsafe-fixes",)}

Place = tuple[str, int, int, str]


def deblock(root: Path, config: Path, *args: str):
    return run([tool("deblock"), *args, "--no-cache", "--config", str(config), "."], cwd=root)


def checked(root: Path, config: Path) -> dict[Place, dict]:
    result = deblock(root, config, "check", "--format", "json")
    if result.returncode not in (0, 1):
        raise SystemExit(f"deblock check failed in {root}:\n{result.stderr[-2000:]}")
    found = json.loads(result.stdout)  # unreadable files have no code
    return {(f["path"], f["line"], f["col"], f["code"]): f for f in found if f["code"]}


def left_by_fix(root: Path, config: Path, flags: tuple[str, ...]) -> dict[Place, str]:
    result = deblock(root, config, "fix", "--diff", *flags)
    if result.returncode not in (0, 1):
        raise SystemExit(f"deblock fix failed in {root}:\n{result.stderr[-2000:]}")
    return {
        (path, int(line), int(col), code): why
        for path, line, col, code, why in LEFT.findall(result.stderr)
    }


def fixable(finding: dict, mode: str) -> bool:
    return finding["fixable"] and (mode == "unsafe" or bool(finding["strategy"]))


def disagreements(found: dict[Place, dict], left: dict[Place, str], mode: str) -> list[dict]:
    out = []
    for place in sorted(found.keys() | left.keys()):
        finding = found.get(place)
        if finding is None:
            why = f"fix leaves a finding check did not report: {left[place]}"
        elif fixable(finding, mode) and place in left:
            why = left[place]
        elif not fixable(finding, mode) and place not in left:
            why = "fix removed it, check gave it no fix"
        else:
            continue
        path, line, col, code = place
        out.append({"place": f"{path}:{line}:{col}", "code": code, "reason": why})
    return out


def measure(project: corpus.Project) -> dict:
    with tempfile.TemporaryDirectory(prefix="deblock-agree-") as tmp:
        config = Path(tmp) / "deblock-bench-isolated.toml"
        config.write_text("")
        root = Path(tmp) / project.label
        shutil.copytree(project.path, root, symlinks=True)
        found = checked(root, config)
        row: dict = {"project": project.label, "findings": len(found)}
        for mode, flags in MODES.items():
            left = left_by_fix(root, config, flags)
            row[mode] = {
                "check_fixable": sum(fixable(f, mode) for f in found.values()),
                "fix_applied": sum(place not in left for place in found),
                "disagreements": disagreements(found, left, mode),
            }
    return row


def report(data: dict) -> None:
    print_machine(data["machine"])
    headers = ["project", "findings", "check safe", "fix safe", "check +unsafe", "fix +unsafe",
               "disagreements"]  # fmt: skip
    rows = [
        [r["project"], r["findings"]]
        + [r[m][k] for m in MODES for k in ("check_fixable", "fix_applied")]
        + [sum(len(r[m]["disagreements"]) for m in MODES)]
        for r in data["projects"]
    ]
    print(table(headers, rows))
    for r in data["projects"]:
        for mode in MODES:
            for d in r[mode]["disagreements"]:
                print(f"{r['project']} [{mode}] {d['place']} {d['code']}: {d['reason']}")
    print(f"\ndisagreements: {data['disagreements']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpus.add_arguments(parser)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    projects = corpus.load(args)
    info = machine(("deblock",))
    rows = [measure(p) for p in projects]
    total = sum(len(r[m]["disagreements"]) for r in rows for m in MODES)
    data = {"machine": info, "projects": rows, "disagreements": total}
    if args.json:
        dump_json(data)
    else:
        report(data)
    sys.exit(1 if total else 0)


if __name__ == "__main__":
    main()
