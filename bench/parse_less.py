"""What parsing less would save: steps 1-2 of "the path to <= 3x cold" in bench/README.md.

    python bench/parse_less.py [--only NAME...] [--corpus-dir D] [--json]

For every module that contains `async`:
- the split: it is cut, without parsing it, before each line in column 0 that starts a
  top-level `def`, `async def`, `class` or decorator, and each segment is parsed alone,
  behind as many newlines as lines before it. The split is exact when the segments'
  statements dump like the whole module's (positions included); otherwise (a segment that
  does not parse alone, e.g. a `def` line inside a docstring) the design parses it whole.
- the saving: the CPU time of parsing it whole against parsing it with the bodies of its
  sync functions and methods blanked (the design parses those when a coroutine's calls
  reach them), and how many lines those bodies hold.
"""

from __future__ import annotations

import argparse
import ast
import time
from pathlib import Path

import corpus
from common import dump_json, table

_STARTS = ("def ", "async def ", "class ", "@")


def segments(text: str) -> list[tuple[int, str]]:
    """(first line index, text) of each top-level segment; a decorator keeps its `def`."""
    lines = [line + "\n" for line in text.split("\n")]  # splitlines also splits at \f
    starts = [0] + [
        i
        for i in range(1, len(lines))
        if lines[i].startswith(_STARTS) and not lines[i - 1].startswith("@")
    ]
    ends = [*starts[1:], len(lines)]
    return [(start, "".join(lines[start:end])) for start, end in zip(starts, ends, strict=True)]


def parse_segment(start: int, text: str) -> ast.Module:
    return ast.parse("\n" * start + text)


def split_is_exact(text: str, whole: ast.Module) -> bool:
    """Whether the segments, parsed alone, give the whole module's statements."""
    try:
        parts = [parse_segment(first, part) for first, part in segments(text)]
    except SyntaxError:
        return False
    joined = ast.Module([statement for tree in parts for statement in tree.body], [])
    return ast.dump(joined, include_attributes=True) == ast.dump(whole, include_attributes=True)


def skeleton(text: str, whole: ast.Module) -> tuple[str, int]:
    """The module with the bodies of its sync functions and methods blanked (what the design
    parses when a coroutine's calls reach them), and how many lines were blanked."""
    lines = text.split("\n")  # splitlines also splits at \f, which ends no line for Python
    blanked = 0
    scopes = [whole.body] + [n.body for n in whole.body if isinstance(n, ast.ClassDef)]
    for body in scopes:
        for node in body:
            if not isinstance(node, ast.FunctionDef):
                continue
            opening = node.body[0]  # its decorators come first
            first = min(d.lineno for d in [opening, *getattr(opening, "decorator_list", [])]) - 1
            last = node.end_lineno
            indent = lines[first][: opening.col_offset]
            if first == node.lineno - 1 or indent.strip():  # the body starts on a `def` line
                continue
            lines[first:last] = [indent + "..."] + [""] * (last - first - 1)
            blanked += last - first
    return "\n".join(lines), blanked


def measure(files: list[Path]) -> dict:
    modules, exact, lines, lazy_lines, whole_cpu, eager_cpu = 0, 0, 0, 0, 0.0, 0.0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if "async" not in text:
            continue
        start = time.process_time()
        try:
            whole = ast.parse(text)
        except SyntaxError:
            continue
        whole_cpu += time.process_time() - start
        modules += 1
        lines += text.count("\n") + 1
        exact += split_is_exact(text, whole)
        eager, blanked = skeleton(text, whole)
        lazy_lines += blanked
        start = time.process_time()
        ast.parse(eager)
        eager_cpu += time.process_time() - start
    return {
        "modules": modules,
        "exact_top_level_splits": exact,
        "lines": lines,
        "sync_function_body_lines": lazy_lines,
        "parse_whole_cpu_s": round(whole_cpu, 2),
        "parse_without_sync_bodies_cpu_s": round(eager_cpu, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpus.add_arguments(parser)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    projects = corpus.load(args)
    result = measure([f for p in projects for f in p.files])
    if args.json:
        dump_json(result)
        return
    print(table(["measure", "value"], [[k, v] for k, v in result.items()]))


if __name__ == "__main__":
    main()
