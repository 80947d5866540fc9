"""Analyzer behaviour beyond the per-rule fixtures: positions, fixability, options."""

import ast
import gc
import json
from pathlib import Path

import pytest

from deblock.analysis import AnalysisOptions, analyze_source
from deblock.analysis.scopes import Scope
from deblock.file_check import findings_from_cache, findings_to_cache
from deblock.rules.model import Blocking

CASES = Path(__file__).parent / "fixtures" / "cases"


def analyze(name: str, options: AnalysisOptions | None = None):
    return analyze_source((CASES / name).read_text(encoding="utf-8"), name, options)


def test_columns_count_characters_not_utf8_bytes():
    (finding,) = analyze("unicode_columns.py").findings
    line = (CASES / "unicode_columns.py").read_text(encoding="utf-8").splitlines()[4]
    assert line[finding.col - 1 : finding.end_col - 1] == "time.sleep(1)"
    assert (finding.line, finding.end_line) == (5, 5)


def test_calls_in_generator_expressions_are_reported_but_not_fixable():
    opened, read, slept = analyze("generator_expression.py").findings
    assert (opened.code, read.code, slept.code) == ("DBK201", "DBK202", "DBK101")
    assert not opened.fixable and "generator expression" in opened.unfixable
    assert slept.fixable and slept.unfixable is None


def test_calls_in_a_class_body_inside_a_coroutine_block_it_and_are_not_fixable():
    """A class statement runs its body where it stands: in a coroutine, on the event loop
    (an ``await`` cannot go there). Its methods' bodies run when called."""
    found = analyze("class_body.py").findings
    assert [(f.line, f.code) for f in found] == [
        (7, "DBK201"),
        (7, "DBK202"),
        (8, "DBK101"),
        (19, "DBK301"),
    ]
    assert all(not f.fixable and "class body" in f.unfixable for f in found)


def test_a_sleep_whose_delay_may_be_negative_or_nan_keeps_its_swap_as_unsafe():
    """``time.sleep`` raises ``ValueError`` for a negative or NaN delay; ``asyncio.sleep``
    returns at once or waits for ever. Literals, ``len``, ``random.random()``, a ``max`` led
    by one, what ``+ * / // % **`` make of them, and names bound only to such (or to a
    ``range``'s elements from one) are shown neither; the others keep the swap as unsafe."""
    lines = (CASES / "sleep_delays.py").read_text().splitlines()
    found = analyze("sleep_delays.py").findings
    assert {f.line for f in found if f.strategy == "sleep"} == {
        number for number, line in enumerate(lines, 1) if line.endswith("# shown")
    }
    unshown = [f for f in found if f.strategy is None]
    assert len(unshown) == 10 and all(f.unsafe_strategy == "sleep" for f in unshown)
    assert unshown[2].declined == (
        "`0.05 * 2**attempt` may be negative or NaN: `time.sleep` raises `ValueError` for "
        "it, where `asyncio.sleep` returns at once (or waits for ever)"
    )


def test_module_library_follows_imports_unless_configured():
    assert analyze("trio_module.py").library == "trio"
    assert analyze("anyio_and_trio.py").library == "anyio"  # anyio's bridge runs under both
    assert analyze("unicode_columns.py").library is None  # its project decides
    configured = AnalysisOptions(async_library="anyio")
    assert analyze("trio_module.py", configured).library == "anyio"
    assert analyze("unicode_columns.py", configured).library == "anyio"


@pytest.mark.parametrize(
    ("name", "library"),
    [
        ("asyncio_neutral.py", None),  # iscoroutinefunction, CancelledError, TimeoutError
        ("asyncio_loop_bound.py", "asyncio"),  # aio.gather after import asyncio as aio
        ("asyncio_imported_name.py", "asyncio"),  # from asyncio import (CancelledError, Queue)
    ],
)
def test_a_module_commits_to_asyncio_only_by_naming_what_needs_its_loop(name, library):
    assert analyze(name).library == library


def test_configured_blocking_calls_and_twins():
    assert analyze("configured.py").findings == []
    options = AnalysisOptions(
        extend_blocking_calls=(Blocking("legacy.client.fetch_all", "DBK790", "legacy I/O"),),
        async_twins=(("get", "fetch_later"),),
    )
    fetch, get = analyze("configured.py", options).findings
    assert (fetch.code, fetch.message, fetch.target) == (
        "DBK790",
        "legacy I/O",
        "legacy.client.fetch_all",
    )
    assert (get.code, get.twin) == ("DBK602", "fetch_later")


def test_a_twin_not_swapped_says_what_its_thread_bridge_leaves_to_review():
    (finding,) = analyze("twin_itself.py").findings
    assert finding.line == 37
    assert "not swapped: the project's coroutines await `aget` elsewhere" in finding.message
    assert (finding.strategy, finding.unsafe_strategy) == (None, "to-thread")
    assert finding.unsafe_because == (
        "`cache.get` would run in a worker thread, beside the event loop: review that it "
        "touches no state that is not thread-safe"
    )


def test_a_coroutine_running_its_sync_twin_inline_is_no_evidence_that_it_waits():
    """``Store.aget`` calls ``self.get`` on the event loop: not a twin finding (it was
    DBK602, "not swapped: it runs inside `aget`"); ``get``'s body blocks on nothing."""
    lines = {finding.line for finding in analyze("twin_itself.py").findings}
    assert 15 not in lines


def test_findings_carry_rule_metadata():
    (finding,) = analyze("unicode_columns.py").findings
    assert finding.target == "time.sleep"
    assert (finding.strategy, finding.async_equivalent, finding.twin) == (
        "sleep",
        "ASYNC251",
        "asyncio.sleep",
    )
    assert finding.fixable is True


def test_syntax_errors_raise():
    with pytest.raises(SyntaxError):
        analyze_source("async def broken(:\n    pass\n", "broken.py")


def test_the_async_libraries_own_modules_use_that_library(tmp_path):
    package = tmp_path / "trio"
    package.mkdir()
    (package / "__init__.py").write_text("")
    module = package / "_asyncgens.py"
    module.write_text("import time\nfrom . import _core\n\nasync def f():\n    time.sleep(1)\n")
    assert analyze_source(module.read_text(), str(module)).library == "trio"


def test_fix_facts_are_attached_and_survive_the_cache_json_form():
    source = (CASES / "fix_facts.py").read_text(encoding="utf-8")
    findings = analyze_source(source, "fix_facts.py").findings
    by_target = {f.target: f for f in findings}
    assert by_target["json.load"].nested_blocking and not by_target["builtins.open"].nested_blocking
    assert by_target["os.walk"].lazy_result
    assert "`Breaker.call`" in by_target["tempfile.NamedTemporaryFile"].block_stays
    calls = [f for f in findings if f.target == "fix_facts.Breaker.call"]
    assert sorted(f.handed_coroutine for f in calls) == [False, True]  # os.getcwd, fetch
    cached = json.loads(json.dumps(findings_to_cache(findings)))
    assert findings_from_cache(cached, "fix_facts.py") == findings


def test_an_analysis_frees_its_scopes_and_syntax_tree_at_once():
    """No reference cycle keeps the walk's scopes (and the syntax tree their bindings
    hold), or syntax nodes (a recursive closure holding the statements it met), alive
    until the cyclic garbage collector comes by."""

    def alive() -> tuple[int, int]:
        objects = gc.get_objects()
        return sum(isinstance(o, Scope) for o in objects), sum(
            isinstance(o, ast.AST) for o in objects
        )

    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        before = alive()
        for path in sorted(CASES.parent.glob("*.py")):
            analyze_source(path.read_text(encoding="utf-8"), path.name)
        assert alive() == before
    finally:
        if enabled:
            gc.enable()


def test_bridges_are_kept_where_the_code_expects_them_to_raise():
    """Unwrapping a bridge (or a nested loop) inside ``pytest.raises`` or a ``try`` that
    catches cancellation would change what the code observes: the fix is declined."""
    case = CASES / "expected_raises.py"
    lines = case.read_text(encoding="utf-8").splitlines()
    findings = {
        f.line: f
        for f in analyze_source("\n".join(lines), str(case)).findings
        if f.code in ("DBK803", "DBK805")
    }
    for number, line in enumerate(lines, 1):
        if "# kept" in line:
            assert findings[number].strategy is None and findings[number].unsafe_strategy is None
            assert "raise" in findings[number].declined
        elif "# unwrapped" in line:
            assert findings[number].strategy == "unwrap-bridge"
    assert len(findings) == 5


def test_a_sync_method_called_beside_its_awaited_twin_is_not_swapped():
    """Where the module's coroutines await a class's twin, a call of its sync method is a
    choice: the swap is offered as unsafe only; another class's call is swapped."""
    case = CASES / "deliberate_twins.py"
    lines = case.read_text(encoding="utf-8").splitlines()
    findings = {f.line: f for f in analyze_source("\n".join(lines), str(case)).findings}
    kept = findings[next(i for i, line in enumerate(lines, 1) if "# kept" in line)]
    swapped = findings[next(i for i, line in enumerate(lines, 1) if "# swapped" in line)]
    assert kept.strategy is None and kept.unsafe_strategy == "to-thread"
    assert "await `aget` elsewhere" in kept.message
    assert swapped.strategy == "call-twin"


def test_a_comment_that_says_the_blocking_is_deliberate_keeps_the_call():
    """A comment on the line, or right above it, that speaks of blocking (or names the
    async alternative) is the author's choice: the safe fix is declined, offered as unsafe,
    for every call of its section; other comments, and ``#`` in strings, change nothing. So
    is the docstring of a function around the call that names it and speaks of blocking.
    (The module's calls on files that are not deliberate are declined all the same: those
    kept on the loop touch the file system beside them.)"""
    case = CASES / "deliberate_blocking.py"
    lines = case.read_text(encoding="utf-8").splitlines()
    findings = analyze_source("\n".join(lines), str(case)).findings
    for number, line in enumerate(lines, 1):
        found = [f for f in findings if f.line == number]
        if "# kept" in line:
            assert found and all(f.strategy is None and f.unsafe_strategy for f in found), number
            assert all("deliberate" in f.declined for f in found)
        elif "# fixed" in line:
            assert found and all(f.strategy is not None for f in found), number
        elif "# declined beside bump" in line:  # its file calls stay on the loop beside them
            assert found and all("stays on the event loop" in f.declined for f in found), number


def test_what_belongs_to_the_loop_thread_or_the_process_stays_on_the_loop():
    """A block that sets a ContextVar, uses thread-local data or calls asyncio does not move
    into a thread; a run of statements that changes what the whole process sees (a redirect,
    the working directory) gets no await: the loop's other tasks would see the change; nor
    does cleanup code (``finally``, an ``except`` of cancellation): the await could be
    cancelled, and the rest of the cleanup skipped; nor a file-system call whose ``try``'s
    cleanup touches the file system too (cancelled at the await, the cleanup would race the
    worker thread); nor code in a timeout (it would cut the
    call short); nor code that holds a thread lock, unless its section takes the lock in the
    thread; nor code before a patch or inside one with no await between (other tasks would
    run unpatched, or see the patch), nor where the coroutine put a mock in place of what
    the fix would await (``asyncio.sleep``, ``to_thread``); nor the body of a loop over state
    the module's code changes (other tasks would change it during the iteration)."""
    cases = (
        "thread_bound.py",
        "process_state.py",
        "cancellation.py",
        "cancellation_section.py",
        "raced_cleanup.py",
        "raced_cleanup_apart.py",
        "raced_exits.py",
        "raced_exits_apart.py",
        "raced_exits_handle.py",
        "raced_exits_handed.py",
        "raced_signals.py",
        "raced_signals_apart.py",
        "raced_signals_kin.py",
        "held_locks.py",
        "patches.py",
        "shared_iterations.py",
    )
    for case in (CASES / name for name in cases):
        lines = case.read_text(encoding="utf-8").splitlines()
        findings = analyze_source("\n".join(lines), str(case)).findings
        for number, line in enumerate(lines, 1):
            found = [f for f in findings if f.line == number]
            if "# kept" in line:  # no fix, or a block the codemod must leave on the loop
                kept = all(f.strategy is None or f.block_stays for f in found)
                assert found and kept, (number, found)
            elif "# fixed" in line:
                fixed = all(f.strategy is not None and not f.block_stays for f in found)
                assert found and fixed, (number, found)


def test_calls_on_a_shared_object_that_is_not_thread_safe_are_serialised():
    """A ``requests.Session`` the coroutines share would be used by several threads at
    once: each call on it is a section under the module's lock; a call that makes its own
    session is bridged alone."""
    case = CASES / "not_thread_safe.py"
    lines = case.read_text(encoding="utf-8").splitlines()
    findings = {f.line: f for f in analyze_source("\n".join(lines), str(case)).findings}
    for number, line in enumerate(lines, 1):
        if "# locked" in line:
            assert findings[number].strategy == "thread-section", number
        elif "# alone" in line:
            assert findings[number].strategy == "to-thread", number


@pytest.mark.parametrize(
    ("marker", "named"),
    [
        ("the first reason", "asyncio.get_running_loop"),
        ("start together", "`anyio.Path.is_block_device` must stay on the event loop"),
    ],
    ids=["the-first-in-the-source", "the-outer-of-two-that-start-together"],
)
def test_a_block_held_on_the_loop_for_two_reasons_names_the_same_one_every_run(marker, named):
    """The reason is the same every run: the first call, in source order, that must stay;
    of two that start at the same place (``anyio.Path(p).is_block_device()``), the outer."""
    case = CASES / "thread_bound.py"
    lines = case.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if marker in text)
    for _ in range(20):
        findings = analyze_source("\n".join(lines), str(case)).findings
        (kept,) = [f for f in findings if f.line == line]
        assert named in kept.block_stays


def test_a_lazy_result_is_listed_in_the_thread_only_where_the_coroutine_takes_it_whole():
    """A walk, a glob or a directory scan becomes a list made in the thread where a loop, a
    comprehension or a consuming builtin takes it whole (through one local name too); where
    it is used as an iterator, or a loop prunes the walk, the analyzer declines any fix,
    with the reason, so that ``check`` and ``fix`` agree."""
    case = CASES / "lazy_results.py"
    lines = case.read_text(encoding="utf-8").splitlines()
    findings = analyze_source("\n".join(lines), str(case)).findings
    for number, line in enumerate(lines, 1):
        (found,) = [f for f in findings if f.line == number] or [None]
        if "# listed" in line:
            assert found.lazy_result and found.strategy == "to-thread", number
        elif "# kept" in line:
            reason = line.partition("# kept: ")[2]
            assert found.strategy is None and found.unsafe_strategy is None, number
            assert reason.split()[-1] in found.declined, (number, found.declined)
