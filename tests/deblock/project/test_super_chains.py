"""Chains through ``super()``: a call of ``super().name`` (or ``super(Cls, self).name``)
runs the method of the first class after the one it is written in that defines ``name``,
of this module, another module or a library."""

import importlib
import inspect
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from expectations import expected_findings
from fixture_copies import copied

SUPER_CHAINS = Path(__file__).parent / "fixtures" / "super_chains"


def test_calls_through_super_are_found_where_the_base_blocks(tmp_path):
    (tmp_path / "empty.toml").touch()
    command = [sys.executable, "-m", "deblock", "check", "--no-cache", "--format", "json"]
    command += ["--config", str(tmp_path / "empty.toml"), "."]
    run = subprocess.run(
        command, cwd=copied(SUPER_CHAINS, tmp_path), capture_output=True, text=True, check=False
    )
    assert run.returncode in (0, 1), run.stderr
    found = Counter((f["path"], f["line"], f["code"]) for f in json.loads(run.stdout))
    modules = sorted(SUPER_CHAINS.rglob("*.py"))
    expected = Counter()
    for module in modules:
        path = str(module.relative_to(SUPER_CHAINS))
        expected += expected_findings(module.read_text(), path)
    assert found == expected


def test_super_finds_the_method_python_s_resolution_order_runs(tmp_path, monkeypatch):
    """In the classes of several bases across modules, a coroutine's ``super().load()`` is
    a finding exactly when the ``load`` Python runs there (the first class after its own,
    in ``__mro__``, that defines it) blocks: ``Disk``'s or ``Slower``'s."""
    monkeypatch.syspath_prepend(str(SUPER_CHAINS))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    for name in ("store", "store.base", "store.mixed"):  # another fixture's, maybe
        monkeypatch.delitem(sys.modules, name, raising=False)
    mixed = importlib.import_module("store.mixed")
    (tmp_path / "empty.toml").touch()
    command = [sys.executable, "-m", "deblock", "check", "--no-cache", "--format", "json"]
    command += ["--config", str(tmp_path / "empty.toml"), "store/mixed.py", "store/base.py"]
    run = subprocess.run(
        command, cwd=copied(SUPER_CHAINS, tmp_path), capture_output=True, text=True, check=False
    )
    found = {f["line"] for f in json.loads(run.stdout) if f["path"] == "store/mixed.py"}
    classes = [c for c in vars(mixed).values() if inspect.isclass(c) and "direct" in vars(c)]
    assert len(classes) == 5
    for cls in classes:
        runs = next(base for base in cls.__mro__[1:] if "load" in vars(base))
        lines, first = inspect.getsourcelines(cls.direct)
        line = first + next(i for i, text in enumerate(lines) if "super().load()" in text)
        blocks = runs.__name__ in ("Disk", "Slower")
        assert (line in found) == blocks, (cls.__name__, runs.__name__)
