"""Buffers handed to project functions: a module importing no module a buffer comes from
has its arguments left unresolved (``handed_streams``), one importing it in any of its
scopes does not."""

from __future__ import annotations

from pathlib import Path

from deblock.analysis import analyze_source

FIXTURE = Path(__file__).parent / "fixtures" / "handed" / "local_buffer.py"


def handed(source: str) -> list[tuple[str, tuple[str, ...]]]:
    summary = analyze_source(source, "local_buffer.py").summary
    return [(s.callee, s.buffers) for f in summary.functions.values() for s in f.sites]


def test_a_buffer_made_of_an_import_inside_a_coroutine_is_one():
    assert handed(FIXTURE.read_text()) == [("store.save", ("#0",)), ("store.save", ())]
