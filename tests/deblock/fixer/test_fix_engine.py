"""The fix engine: strategies in order, safe versus unsafe, verification before writing."""

from __future__ import annotations

import re
from pathlib import Path

import libcst as cst
import pytest

from deblock.codemods.registry import CODEMODS
from deblock.codemods.sleep import SleepCommand
from deblock.fixer.engine import FixOptions, fix_source

FIXTURES = Path(__file__).parent / "fixtures"
CODEMOD_CASES = sorted((Path(__file__).parents[2] / "codemods" / "fixtures").glob("*/*.before.py"))


def _fix(name: str, **options) -> tuple[str, object]:
    source = (FIXTURES / "cli" / name).read_text()
    return source, fix_source(source, name, FixOptions(**options))


def _unbroken(code: str) -> str:
    """``code`` with the lines broken inside brackets joined again (long fixes are broken)."""
    return re.sub(r",?\n\s*\)", ")", re.sub(r"\(\n\s*", "(", code))


def test_all_strategies_of_a_module_apply_in_one_run():
    source, outcome = _fix("mixed.py")
    assert outcome.error is None
    assert "await asyncio.to_thread(os.stat, root)" in outcome.source
    assert "def _fh_in_thread():" in outcome.source
    assert "await asyncio.sleep(0.1)" in outcome.source
    assert "await asyncio.to_thread(CLIENT.chat.completions.create" in _unbroken(outcome.source)
    assert "import time" not in outcome.source
    assert len(outcome.fixed) == 4 and outcome.left == []


def test_unsafe_fixes_switch_the_client_instead_of_bridging_it():
    _, outcome = _fix("mixed.py", unsafe=True)
    assert "CLIENT = AsyncGroq()" in outcome.source
    assert "reply = await CLIENT.chat.completions.create(" in outcome.source


def test_findings_without_fix_are_left_with_the_source_unchanged():
    source, outcome = _fix("left_over.py")
    assert outcome.source == source and outcome.error is None
    assert [f.code for f in outcome.left] == ["DBK101"]


@pytest.mark.parametrize("before", CODEMOD_CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixing_twice_changes_nothing_and_compiles(before):
    once = fix_source(before.read_text(), str(before), FixOptions(unsafe=True))
    assert once.error is None
    compile(once.source, str(before), "exec", dont_inherit=True)
    twice = fix_source(once.source, str(before), FixOptions(unsafe=True))
    assert twice.source == once.source and twice.fixed == []


class _AwaitsEverywhere(SleepCommand):
    """A deliberately broken codemod: its output does not compile."""

    def leave_FunctionDef(self, original_node, updated_node):
        return updated_node.with_changes(asynchronous=None)


def test_a_rewrite_that_does_not_compile_leaves_the_source_untouched(monkeypatch):
    monkeypatch.setitem(CODEMODS, "sleep", _AwaitsEverywhere)
    source, outcome = _fix("sleepy.py")
    assert outcome.source == source
    assert "SyntaxError" in outcome.error and "outside async function" in outcome.error


def test_a_crashing_codemod_leaves_the_source_untouched(monkeypatch):
    class Crashes(SleepCommand):
        def leave_Call(self, original_node, updated_node):
            raise RuntimeError("boom")

    monkeypatch.setitem(CODEMODS, "sleep", Crashes)
    source, outcome = _fix("sleepy.py")
    assert outcome.source == source and outcome.error == "RuntimeError: boom"


def test_explain_bridges_comments_each_bridge():
    _, outcome = _fix("mixed.py", explain_bridges=True)
    comments = [line.strip() for line in outcome.source.splitlines() if "# deblock:" in line]
    assert comments == [
        "# deblock: `os.stat` blocks (DBK301); it runs in a worker thread",
        "# deblock: `groq.Groq.chat.completions.create` blocks (DBK502); it runs in a worker "
        "thread",
        "# deblock: `builtins.open` and the file I/O of this block run in a worker thread: "
        "the handle is used by sync code",
    ]
    cst.parse_module(outcome.source)


def test_a_declined_unsafe_fix_falls_back_to_the_safe_one():
    before = CODEMOD_CASES[0].parents[1] / "create_subprocess" / "call_and_run.before.py"
    outcome = fix_source(before.read_text(), str(before), FixOptions(unsafe=True))
    assert "status = await (await asyncio.create_subprocess_exec(" in _unbroken(outcome.source)
    assert "result = await asyncio.to_thread(subprocess.run, [" in outcome.source
    assert "await asyncio.to_thread(subprocess.call, extra)" in outcome.source
    assert outcome.left == []


def test_a_call_a_first_fix_turns_into_a_section_is_fixed_in_the_same_run():
    """The section's lock makes the cleanup's ``os.remove`` a section of its own, a strategy
    that already ran: the run goes round again, so a second run changes nothing."""
    _, once = _fix("cleanup_after_section.py", unsafe=True)
    twice = fix_source(once.source, "cleanup_after_section.py", FixOptions(unsafe=True))
    assert once.error is None and once.left == []
    assert twice.source == once.source and twice.fixed == []


def test_a_section_beside_a_thread_helper_an_earlier_fix_made_is_fixed():
    """The helper runs under the module's lock, as the new section will: its use of
    ``self.count`` is not the event loop's, though it is nested in a method (a coroutine
    nested in one reaches its ``self``), so fixing in two runs serialises as in one."""
    path = FIXTURES / "helpers" / "section_beside_helper.py"
    outcome = fix_source(path.read_text(), str(path), FixOptions())
    assert outcome.error is None and outcome.left == []
    assert "await asyncio.to_thread(_reset_in_thread)" in outcome.source
