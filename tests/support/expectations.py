"""Expected findings written into fixture files as ``# expect: CODE[, CODE]`` comments."""

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from fixture_copies import copied

EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)$")


def expected_findings(source: str, path: str = "") -> Counter:
    """``(path, line, code)`` for each expectation in ``source``, counted."""
    expected = Counter()
    for number, line in enumerate(source.splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            for code in match.group(1).split(","):
                expected[(path, number, code.strip())] += 1
    return expected


def check_cold_and_warm(project: Path, target: str, expecting: str, tmp_path: Path) -> None:
    """Assert that ``deblock check --format json`` of ``target`` in ``project`` reports what
    file ``expecting`` expects in each run of ``checked_cold_and_warm``."""
    expected = expected_findings((project / expecting).read_text(), expecting)
    for flags, findings in checked_cold_and_warm(project, target, tmp_path):
        found = Counter((f["path"], f["line"], f["code"]) for f in findings)
        assert found == expected, flags


def checked_cold_and_warm(project: Path, target: str, tmp_path: Path) -> list[tuple]:
    """The flags and the findings (JSON) of ``deblock check --format json`` of ``target``
    in a copy of the fixture directory ``project`` (run there, in a subprocess, with an
    empty configuration), without the cache, then storing it, then reading it back."""
    config = tmp_path / "empty.toml"
    config.touch()
    cache = ("--cache-dir", str(tmp_path / "cache"))
    runs = []
    for flags in (("--no-cache",), cache, cache):
        command = [sys.executable, "-m", "deblock", "check", "--format", "json", *flags]
        command += ["--config", str(config), target]
        ran = subprocess.run(command, cwd=copied(project, tmp_path), capture_output=True, text=True)
        assert ran.returncode in (0, 1), ran.stderr
        runs.append((flags, json.loads(ran.stdout)))
    return runs
