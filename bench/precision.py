"""Precision of `deblock check` on the bench corpus, from a hand-judged sample of its findings.

    python bench/precision.py                   # re-check: run deblock, score the judged sample
    python bench/precision.py --draw 40 --out bench/precision/new.toml   # a new sample to judge
    python bench/precision.py --json

The samples live in bench/precision/*.toml, one ``[[finding]]`` per judged finding:
``file`` (relative to the corpus folder), ``line``, ``code``, ``verdict`` ("real" or "false")
and ``reason``. Re-checking runs deblock on the projects the sample names and scores only the
sampled findings it still reports (the others are listed as stale). A draw takes findings in a
fixed order (a hash of file, line and code) that are not judged yet, with an empty verdict.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import corpus
import tomllib
from common import BENCH_DIR, DEFAULT_CORPUS_DIR, dump_json, run, table, tool

SAMPLES = BENCH_DIR / "precision"
VERDICTS = ("real", "false")
TARGET = 0.95


def load_sample(folder: Path) -> list[dict]:
    judged = []
    for path in sorted(folder.glob("*.toml")):
        for item in tomllib.loads(path.read_text(encoding="utf-8")).get("finding", []):
            if item.get("verdict") not in VERDICTS:
                raise SystemExit(f"{path}: {item['file']}:{item['line']}: verdict must be "
                                 f"one of {VERDICTS}, not {item.get('verdict')!r}")  # fmt: skip
            judged.append(item)
    return judged


def findings(root: Path, projects: list[str]) -> dict[tuple[str, int, str], dict]:
    """deblock's findings on ``projects`` (folders of ``root``), by (file, line, code)."""
    result = run([tool("deblock"), "check", "--no-cache", "--format", "json", *projects], cwd=root)
    if result.crashed:
        raise SystemExit(f"deblock failed:\n{result.stderr[-2000:]}")
    return {(f["path"], f["line"], f["code"]): f for f in json.loads(result.stdout) if f["code"]}


def score(judged: list[dict], found: dict) -> dict:
    current = [j for j in judged if (j["file"], j["line"], j["code"]) in found]
    stale = [j for j in judged if (j["file"], j["line"], j["code"]) not in found]
    real = sum(1 for j in current if j["verdict"] == "real")
    by_code: dict[str, list[int]] = {}
    for j in current:
        counts = by_code.setdefault(j["code"], [0, 0])
        counts[0 if j["verdict"] == "real" else 1] += 1
    return {
        "judged": len(current),
        "real": real,
        "precision": real / len(current) if current else None,
        "by_code": by_code,
        "false": [j for j in current if j["verdict"] == "false"],
        "stale": stale,
    }


def draw(found: dict, judged: list[dict], count: int) -> list[dict]:
    known = {(j["file"], j["line"], j["code"]) for j in judged}

    def order(key: tuple[str, int, str]) -> str:
        return hashlib.sha256(f"{key[0]}:{key[1]}:{key[2]}".encode()).hexdigest()

    fresh = sorted((k for k in found if k not in known), key=order)[:count]
    return [found[k] for k in sorted(fresh)]


def write_draw(items: list[dict], out: Path) -> None:
    lines = []
    for f in items:
        lines += [
            "[[finding]]",
            f"file = {json.dumps(f['path'])}",
            f"line = {f['line']}",
            f"code = {json.dumps(f['code'])}",
            f"message = {json.dumps(f['message'])}",
            'verdict = ""',
            'reason = ""',
            "",
        ]
    out.write_text("\n".join(lines), encoding="utf-8")


def report(data: dict) -> None:
    rows = [[code, r, w] for code, (r, w) in sorted(data["by_code"].items())]
    print(table(["code", "real", "false"], rows))
    print()
    precision = data["precision"] or 0.0
    print(f"precision: {data['real']}/{data['judged']} = {precision:.2f} "
          f"(target >= {TARGET:.2f}: {'PASS' if precision >= TARGET else 'FAIL'})")  # fmt: skip
    for item in data["false"]:
        print(f"  false: {item['file']}:{item['line']} {item['code']}  -- {item['reason']}")
    for item in data["stale"]:
        print(f"  stale (no longer reported): {item['file']}:{item['line']} {item['code']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpus.add_arguments(parser)
    parser.add_argument("--samples", type=Path, default=SAMPLES, help="folder of judged samples")
    parser.add_argument("--draw", type=int, metavar="N", help="draw N unjudged findings")
    parser.add_argument("--out", type=Path, help="where --draw writes its sample")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    judged = load_sample(args.samples)
    projects = corpus.load(args)
    root = args.corpus_dir or DEFAULT_CORPUS_DIR / "src"
    names = sorted({p.path.relative_to(root).parts[0] for p in projects})
    found = findings(root, names)
    if args.draw:
        if args.out is None:
            raise SystemExit("--draw needs --out FILE")
        write_draw(draw(found, judged, args.draw), args.out)
        return
    data = score(judged, found)
    if args.json:
        dump_json(data)
    else:
        report(data)


if __name__ == "__main__":
    main()
