"""flake8-async's own eval files for ASYNC210-251 as a peer suite: which annotated lines each
tool reports.

    python bench/peer_suite.py                 # fetch flake8-async's sdist once; deblock, ruff
    python bench/peer_suite.py --eval-dir DIR  # these eval files instead (no download)
    python bench/peer_suite.py --json

The sdist is fetched with pip like the corpus (bench/.corpus/sdists). Each eval file marks the
lines flake8-async reports with ``# ASYNC2xx: ...`` comments; the files lean on flake8-async
matching names without imports, so the imports each file assumes are added at the top before
the tools run. A line counts as found when the tool reports anything on it. Lines a tool
reports that are not annotated are counted too (``extra``). Misses deblock makes on purpose are
listed in OMISSIONS with the reason; the target applies to the annotated lines that are not
deliberate omissions, and the fraction of all annotated lines is shown beside it.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import corpus
from common import DEFAULT_CORPUS_DIR, dump_json, machine, print_machine, run, table, tool

FLAKE8_ASYNC = "26.8.1"
EVAL_FILES = re.compile(r"async2[1-5]\w*\.py")  # ASYNC210 to ASYNC251
ANNOTATION = re.compile(r"#\s*ASYNC(2[1-5]\d)(?:_\w+)?:")
TARGET = 0.95

# Names the eval files use without importing them (flake8-async matches them by name).
ASSUMED_IMPORTS: dict[str, tuple[str, ...]] = {
    "async210": ("from urllib import request", "from urllib.request import urlopen"),
    "async212": ("import httpx", "import httpx2", "from typing import Optional"),
    "async22x": ("import os", "import subprocess", "from os import P_NOWAIT, P_WAIT"),
    "async22x_asyncio": ("import os", "import subprocess", "from os import P_NOWAIT, P_WAIT"),
}

# Annotated lines deblock leaves out on purpose: (pattern on the line, reason).
OMISSIONS: tuple[tuple[str, str], ...] = (
    (r"\b(normpath|_path_normpath)\(", "pure path function: computes a string, touches no file"),
    (
        r"\bc\.anything\(\)",
        "no such method on a urllib3 pool: the call fails with AttributeError, no I/O "
        "(the request methods, close and clear are reported)",
    ),
    (
        r"\bf\.(anything|aoeu\w*)\(\)",
        "no such method on a file: the call fails with AttributeError, no I/O "
        "(the methods that do I/O are reported)",
    ),
)


@dataclass
class EvalFile:
    name: str
    lines: list[str]
    annotated: dict[int, str]  # line -> ASYNC code
    offset: int
    found: dict[str, set[int]] = field(default_factory=dict)  # tool -> reported lines

    def missed(self, tool_name: str) -> list[int]:
        return [n for n in self.annotated if n not in self.found[tool_name]]

    def extra(self, tool_name: str) -> list[int]:
        return [n for n in self.found[tool_name] if n not in self.annotated]


def eval_dir(args: argparse.Namespace) -> Path:
    if args.eval_dir:
        return args.eval_dir
    archive = corpus.download("flake8-async", FLAKE8_ASYNC, DEFAULT_CORPUS_DIR / "sdists")
    dest = DEFAULT_CORPUS_DIR / "peer" / f"flake8-async-{FLAKE8_ASYNC}"
    return corpus.extract(archive, dest) / "tests" / "eval_files"


def prepare(source_dir: Path, work: Path) -> list[EvalFile]:
    """Copy the ASYNC210-251 eval files into ``work`` with the imports they assume."""
    files = []
    for path in sorted(source_dir.iterdir()):
        if not EVAL_FILES.fullmatch(path.name):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        imports = ASSUMED_IMPORTS.get(path.stem, ())
        (work / path.name).write_text("\n".join([*imports, *lines]) + "\n", encoding="utf-8")
        annotated = {
            number: match.group(1)
            for number, line in enumerate(lines, 1)
            if (match := ANNOTATION.search(line))
        }
        files.append(EvalFile(path.stem, lines, annotated, len(imports)))
    return files


def reported_lines(tool_name: str, work: Path) -> dict[str, set[int]]:
    """File stem -> lines (of the prepared files) the tool reports."""
    if tool_name == "deblock":
        cmd = [tool("deblock"), "check", "--no-cache", "--format", "json", "."]
    else:
        cmd = [tool("ruff"), "check", "--isolated", "--no-cache", "--select", "ASYNC",
               "--output-format", "json", "."]  # fmt: skip
    result = run(cmd, cwd=work)
    if result.crashed or result.returncode not in (0, 1):
        raise SystemExit(f"{tool_name} failed:\n{result.stderr[-2000:]}")
    found: dict[str, set[int]] = {}
    for item in json.loads(result.stdout or "[]"):
        path = item.get("path") or item.get("filename")
        line = item["line"] if "line" in item else item["location"]["row"]
        found.setdefault(Path(path).stem, set()).add(line)
    return found


def omission(line: str) -> str | None:
    return next((reason for pattern, reason in OMISSIONS if re.search(pattern, line)), None)


def measure(source_dir: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="peer-suite-") as tmp:
        work = Path(tmp)
        files = prepare(source_dir, work)
        for tool_name in ("deblock", "ruff"):
            found = reported_lines(tool_name, work)
            for f in files:
                f.found[tool_name] = {n - f.offset for n in found.get(f.name, ())}
    total = sum(len(f.annotated) for f in files)
    tools = {}
    for tool_name in ("deblock", "ruff"):
        missed = sum(len(f.missed(tool_name)) for f in files)
        tools[tool_name] = {
            "found": total - missed,
            "fraction": (total - missed) / total if total else None,
            "extra": sum(len(f.extra(tool_name)) for f in files),
        }
    misses = [
        {
            "file": f.name,
            "line": n,
            "code": f"ASYNC{f.annotated[n]}",
            "text": f.lines[n - 1].split("#")[0].strip(),
            "reason": omission(f.lines[n - 1]),
        }
        for f in files
        for n in f.missed("deblock")
    ]
    omitted = sum(1 for miss in misses if miss["reason"])
    found = tools["deblock"]["found"]
    tools["deblock"]["fraction_meant"] = found / (total - omitted) if total > omitted else None
    rows = [
        [f.name, len(f.annotated), *(len(f.annotated) - len(f.missed(t)) for t in tools)]
        for f in files
    ]
    return {
        "annotated": total,
        "omitted": omitted,
        "tools": tools,
        "files": rows,
        "deblock_misses": misses,
    }


def report(data: dict) -> None:
    print(table(["file", "annotated", "deblock", "ruff"], data["files"]))
    print()
    rows = [
        [name, data["annotated"], t["found"], t["fraction"], t["extra"]]
        for name, t in data["tools"].items()
    ]
    print(table(["tool", "annotated lines", "found", "fraction", "extra lines"], rows))
    print()
    meant = data["annotated"] - data["omitted"]
    fraction = data["tools"]["deblock"]["fraction_meant"] or 0.0
    print(
        f"deblock finds {fraction:.2f} of the {meant} annotated lines that are not deliberate "
        f"omissions ({data['omitted']} are, listed below)"
    )
    print(f"target >= {TARGET:.2f}: {'PASS' if fraction >= TARGET else 'FAIL'}")  # fmt: skip
    print("\ndeblock's misses:")
    for miss in data["deblock_misses"]:
        reason = miss["reason"] or "UNEXPLAINED"
        print(f"  {miss['file']}:{miss['line']} {miss['code']} {miss['text']}  -- {reason}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, help="a folder of flake8-async eval files")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    info = machine(("deblock", "ruff"))
    data = measure(eval_dir(args))
    if args.json:
        dump_json({"machine": info, "flake8_async": FLAKE8_ASYNC, **data})
        return
    print_machine(info)
    report(data)


if __name__ == "__main__":
    main()
