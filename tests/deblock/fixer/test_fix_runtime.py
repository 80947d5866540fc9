"""Runtime proof: fixed programs never block the event loop and behave like the originals,
under concurrency.

Each ``fixtures/runtime/*.py`` defines ``async def main(root)`` (``*_unsafe.py`` ones are
fixed with ``--unsafe-fixes``). A run calls it 20 times at once (``asyncio.gather``,
every call on the same ``root``) while the default thread pool is kept busy, so thread
hops queue and land on different workers (``busy_pool``). The original runs without a
guard, the fixed version under ``blockbuster`` (activated after the module is imported:
it patches module attributes such as ``time.sleep``). The fixed run must return what the
original's callers could return (the same values, in any order) and leave the same files
under ``root``.
"""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path

import pytest
from blockbuster import BlockingError, blockbuster_ctx
from busy_pool import concurrently

from deblock.fixer.engine import FixOptions, fix_source

PROGRAMS = sorted((Path(__file__).parent / "fixtures" / "runtime").glob("*.py"))


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"runtime_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tree(root: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and directory (``None``) below ``root``."""
    return {
        str(p.relative_to(root)): p.read_bytes() if p.is_file() else None
        for p in sorted(root.rglob("*"))
    }


def _run(module, root: Path) -> list:
    root.mkdir()
    return asyncio.run(concurrently(module.main, str(root)))


@pytest.fixture(params=PROGRAMS, ids=lambda p: p.stem)
def program(request, tmp_path) -> tuple[object, object]:
    """The original module, and the module ``deblock fix`` made of it."""
    source = request.param.read_text()
    unsafe = request.param.stem.endswith("_unsafe")
    outcome = fix_source(source, str(request.param), FixOptions(unsafe=unsafe))
    assert outcome.error is None and outcome.left == [] and outcome.source != source
    fixed = tmp_path / f"fixed_{request.param.name}"
    fixed.write_text(outcome.source)
    return _load(request.param), _load(fixed)


def test_the_original_blocks_the_event_loop(program, tmp_path):
    original, _ = program
    with blockbuster_ctx():
        results = _run(original, tmp_path / "original")
    assert BlockingError.__name__ in results


def test_the_fixed_program_does_not_block_and_behaves_the_same(program, tmp_path):
    original, fixed = program
    expected = _run(original, tmp_path / "original")
    with blockbuster_ctx():
        actual = _run(fixed, tmp_path / "fixed")
    assert sorted(map(repr, actual)) == sorted(map(repr, expected))
    assert _tree(tmp_path / "fixed") == _tree(tmp_path / "original")
