"""One method resolution order: a method or attribute found on an instance is the one of
the first class in Python's order (C3) that defines it, in one module and across modules."""

import asyncio
import importlib
import inspect
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from expectations import expected_findings
from fixture_copies import copied

METHOD_ORDER = Path(__file__).parent / "fixtures" / "method_order"


def _found(tmp_path) -> Counter:
    (tmp_path / "empty.toml").touch()
    command = [sys.executable, "-m", "deblock", "check", "--no-cache", "--format", "json"]
    command += ["--config", str(tmp_path / "empty.toml"), "."]
    run = subprocess.run(
        command, cwd=copied(METHOD_ORDER, tmp_path), capture_output=True, text=True, check=False
    )
    assert run.returncode in (0, 1), run.stderr
    return Counter((f["path"], f["line"], f["code"]) for f in json.loads(run.stdout))


def test_the_findings_are_those_marked(tmp_path):
    expected = Counter()
    for module in sorted(METHOD_ORDER.rglob("*.py")):
        path = str(module.relative_to(METHOD_ORDER))
        expected += expected_findings(module.read_text(), path)
    assert _found(tmp_path) == expected


def test_a_call_is_found_exactly_when_what_python_runs_blocks(tmp_path, monkeypatch):
    """Each class's ``direct`` is run: it returns ``"slow"`` exactly when the ``load`` it
    reached is ``Slow``'s, which sleeps; its call must then be a finding, and only then."""
    monkeypatch.syspath_prepend(str(METHOD_ORDER))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    found = {(path, line) for path, line, _ in _found(tmp_path)}
    checked = 0
    for name in ("alone", "across"):
        module = importlib.import_module(f"orders.{name}")
        for cls in (c for c in vars(module).values() if inspect.isclass(c)):
            if "direct" not in vars(cls):
                continue
            lines, first = inspect.getsourcelines(cls.direct)
            line = first + next(i for i, text in enumerate(lines) if "return" in text)
            blocks = asyncio.run(cls().direct()) == "slow"
            assert ((f"orders/{name}.py", line) in found) == blocks, (name, cls.__mro__)
            checked += 1
    assert checked == 8
