"""Sections: what must move into one worker thread, one caller at a time, and what is
declined because no safe fix keeps it atomic or in its own thread."""

import ast
from pathlib import Path

from deblock.analysis import analyze_source

CASES = Path(__file__).parent / "fixtures" / "cases"
CASE = CASES / "sections.py"
DECLINED = CASES / "sections_declined.py"
RECONNECT = CASES / "sections_reconnect.py"
RECONNECT_MAYBE = CASES / "sections_reconnect_maybe.py"
RECONNECT_LOOP = CASES / "sections_reconnect_loop.py"
AFFINE = CASES / "sections_affine.py"
REDIS_LOCKS = CASES / "sections_redis_lock_apart.py"
HANDED_TEMPORARY = CASES / "sections_handed_temporary.py"
FIRST_RUNS = CASES / "sections_first_runs.py"
STARTED_TASKS = CASES / "sections_started_tasks.py"
LINES = CASE.read_text(encoding="utf-8").splitlines()
FINDINGS = analyze_source(CASE.read_text(encoding="utf-8"), str(CASE)).findings


def line_of(text: str, case: Path = CASE) -> int:
    lines = case.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def on(text: str, case: Path = CASE):
    line = line_of(text, case)
    findings = FINDINGS if case == CASE else analyze_source(case.read_text(), str(case)).findings
    return [f for f in findings if f.line == line]


def on_lines(case: Path, first: int, last: int):
    return [
        f for f in analyze_source(case.read_text(), str(case)).findings if first <= f.line <= last
    ]


OVERTAKEN = "the statements after it touch {}, which `{}` (line {}) touches too after zero sleeps"


def test_a_read_modify_write_between_two_awaits_is_one_section():
    """One section, whose fix is unsafe: in the first run, before the zero sleep after
    which the coroutine removes the file, as ``separate_segments`` does after its own (a
    caller may hand both one path: the section's await would let the other remove it
    first); the remove stays on the event loop too (the next test)."""
    span = (line_of("# section starts"), line_of("# section ends"))
    inside = [f for f in FINDINGS if span[0] <= f.line <= span[1]]
    assert len(inside) == 4
    assert {(f.unsafe_strategy, f.section, f.section_reason) for f in inside} == {
        ("thread-section", span, "read and write the file system")
    }
    overtaken = OVERTAKEN.format("the file system", "separate_segments", line_of("# write only"))
    assert all(f.strategy is None and f.declined.startswith(overtaken) for f in inside)


def test_every_access_to_a_file_the_module_writes_takes_the_lock_even_alone():
    """The remove alone after the await takes the sections' lock, and is declined: it
    follows a zero sleep, which hands tasks back in the order they wrote the file, and a
    thread would remove it in the order the threads take the lock. Run with its rank (the
    list's length) and whether its remove found the file returned, 20 concurrent calls:
    main's fix gave ``(1, 'gone')`` and ``(2, 'removed')``, or a call's read not finding
    the file, in 6, 4 and 2 of three batches of 10 runs (``runtime_declined/
    zero_sleep_removed``); on the loop the first writer comes back first and removes."""
    line = line_of("# alone after the await")
    (alone,) = on("# alone after the await")
    assert (alone.strategy, alone.unsafe_strategy) == (None, "thread-section")
    assert alone.section == (line, line)
    assert alone.section_reason == "write the file system, which other calls of this module use"
    assert alone.declined.startswith(
        "the statements that read and write the file system before and after the zero sleep "
        f"at line {line - 1} (`asyncio.sleep(0)`)"
    )


def test_an_await_between_the_read_and_the_write_separates_them():
    read, write = on("# read only"), on("# write only")
    (read_span,) = {f.section for f in read}
    (write_span,) = {f.section for f in write}
    assert read_span == (line_of("# read only"), line_of("text = fh.read()"))
    assert write_span == (line_of("# write only"),) * 2
    assert {f.section_reason for f in read} == {
        "read the file system, which this module also writes"
    }
    assert {f.unsafe_strategy for f in read + write} == {"thread-section"}
    overtaken = OVERTAKEN.format(
        "the file system", "read_modify_write", line_of("# alone after the await")
    )
    assert all(f.declined.startswith(overtaken) for f in read)
    assert all(f"zero sleep at line {write_span[0] - 1}" in f.declined for f in write)


def test_shared_state_read_then_written_around_a_sleep_is_a_section():
    (slept,) = on("time.sleep(0.1)")
    assert slept.strategy == "thread-section"
    assert slept.section == (line_of("# shared state read"), line_of("# shared state written"))
    assert slept.section_reason == "read and write `COUNTS`"


def test_sections_that_cannot_move_are_declined_with_an_unsafe_fix():
    for text, why in (
        ("json.dump(data, open(path", "they return midway"),
        ("open(path).read()", "must stay on the event loop"),
    ):
        for finding in on(text, DECLINED):
            assert finding.strategy is None and finding.unsafe_strategy
            assert finding.declined.endswith(why) and "must stay atomic" in finding.declined
            assert "`asyncio." in finding.declined or "return" in why


def test_a_section_calling_bare_super_is_declined_since_a_helper_s_super_raises():
    for finding in on("# calls super() below", DECLINED):
        assert finding.strategy is None and finding.unsafe_strategy
        assert finding.declined.endswith(
            "but they use `super()` without arguments, which works only in the method itself"
        )


def test_thread_affine_objects_never_hop_one_call_at_a_time():
    made_here_but_returned = '    conn.execute("select 1")'
    for text in (
        "conn = sqlite3.connect(db)",
        "conn.close()",
        made_here_but_returned,
        'self.conn.execute("select 1")',
    ):
        assert on(text, AFFINE)
        for finding in on(text, AFFINE):
            assert finding.strategy is None and finding.unsafe_strategy is None
            assert "`sqlite3.Connection` objects work only in the thread that made them" in (
                finding.declined
            )


def test_a_redis_lock_s_token_calls_never_hop_apart():
    """redis-py keeps the token a lock's ``acquire`` takes for the taking thread: its
    calls move into one thread that takes it first and releases it last, or not at all
    (``runtime/redis_lock_by_hand`` runs the ones that do); one made with
    ``thread_local=False`` keeps it on the object."""
    kept = "a `redis.lock.Lock` keeps the token it takes for the thread that took it, and "
    for text, why in (
        ("# taken here", "`lock.release` (line 13) runs outside it"),
        ("# released after the await", "`lock.acquire` (line 11) runs outside it"),
        ("# asked alone", "the section does not both take `LOCK` first and release it last"),
        ("# taken, released elsewhere", "the section does not both take `LOCK` first"),
        ("# through another name", "one of its calls is made through another name"),
    ):
        (finding,) = on(text, REDIS_LOCKS)
        assert finding.strategy is None and finding.unsafe_strategy is None
        assert finding.declined.startswith(kept + why)
    (shared,) = on("# shared token", REDIS_LOCKS)
    assert shared.unsafe_strategy == "thread-section"
    # before a zero sleep and a release, as ``held_across_an_await`` releases after its own
    # (the server is one resource: the keys are not told apart)
    assert shared.declined.startswith(OVERTAKEN.format("the database", "held_across_an_await", 13))


def test_a_file_written_before_a_zero_sleep_is_weighed_by_what_its_callee_does_with_it():
    """After the zero sleep each call's ``load`` removes a file, in the order the calls
    came: the temporary file ``fetch`` handed it is each call's own, so ``fetch``'s write
    keeps its fix; the path ``fetch_into`` built on its parameter may be every call's, and
    its write is declined (its await would let other calls' ``load`` remove it first)."""
    (own,) = on("# a temporary file's", HANDED_TEMPORARY)
    assert own.strategy == "to-thread" and own.declined is None
    (given,) = on("# a parameter's", HANDED_TEMPORARY)
    assert given.strategy is None
    assert given.declined.startswith(OVERTAKEN.format("the file system", "load", 7))


def test_a_connection_whose_name_a_later_one_rebinds_stays_in_its_section():
    """Every use after the first section reaches the second connection (zigpy 2.4.0's
    migration tests): the first moves into its thread whole, with its lifetime; where a
    use after it, or before it in a loop's next round, may reach the first, it does not."""
    (opened_again,) = on("# opened again below", RECONNECT)
    assert opened_again.strategy == "thread-section" and opened_again.declined is None
    (maybe,) = on("# maybe opened again below", RECONNECT_MAYBE)
    (each_round,) = on("# opened each round", RECONNECT_LOOP)
    for declined in (maybe, each_round):
        assert declined.strategy is None and declined.unsafe_strategy is None
        assert declined.declined.endswith("and `conn` is used outside the section")


def test_a_value_made_and_used_only_by_blocking_calls_moves_with_them():
    span = (line_of("# made"), line_of("# last used"))
    moved = [f for f in FINDINGS if span[0] <= f.line <= span[1]]
    assert [f.target.rpartition(".")[2] for f in moved] == ["NamedTemporaryFile", "write", "close"]
    assert {(f.strategy, f.section, f.section_reason) for f in moved} == {
        ("thread-section", span, "make and use `tmp`")
    }


def test_a_section_is_declined_when_a_call_on_the_same_resource_stays_on_the_loop():
    stays = line_of("json.load(open(path))", DECLINED)
    moved = on("# movable alone", DECLINED)
    assert moved
    for finding in moved:
        assert finding.strategy is None and finding.unsafe_strategy == "thread-section"
        assert finding.declined == (
            f"line {stays} touches the file system too and stays on the event loop, where the "
            "lock that serialises the threads does not reach"
        )


DATABASE_LISTING = CASES / "sections_database_listing.py"


def _beside(line: int) -> str:
    return (
        f"line {line} touches the file system too and stays on the event loop, where the "
        "lock that serialises the threads does not reach"
    )


def test_a_listing_left_on_the_loop_declines_the_section_of_a_database_by_path():
    """A SQLite database is files: while a section holds its transaction open in a thread,
    a listing on the loop would see its journal (``bench/fix_fuzz.py``, seeds 331, 400)."""
    (listing,) = on("# a listing left on the loop", DATABASE_LISTING)
    assert listing.strategy is None and listing.resource == "the file system"
    start = line_of("# a database by path", DATABASE_LISTING)
    written = on_lines(DATABASE_LISTING, start, start + 3)
    assert [f.target.rpartition(".")[2] for f in written] == [
        "connect",
        "execute",
        "commit",
        "close",
    ]
    for finding in written:
        assert (finding.resource, finding.writes) == ("the file system", True)
        assert finding.strategy is None and finding.unsafe_strategy == "thread-section"
        assert finding.declined == _beside(listing.line)


def test_a_database_in_memory_is_no_file_and_moves_beside_the_listing():
    """Each connection to ``:memory:`` has a database of its own: neither it nor what its
    methods return (``cur = conn.cursor()``) touches a shared resource; its section is its
    lifetime's, and moves."""
    start = line_of("# a database in memory", DATABASE_LISTING)
    moved = on_lines(DATABASE_LISTING, start, line_of("# its own", DATABASE_LISTING))
    assert len(moved) == 7
    for finding in moved:
        assert (finding.strategy, finding.declined, finding.resource) == (
            "thread-section",
            None,
            None,
        )
        assert finding.section_reason == "make and use `conn` and `cur`"


def test_a_name_bound_again_to_a_database_by_path_is_not_the_one_in_memory():
    """A name private only where every binding of it is: ``conn``, once a database in
    memory, then one by path, writes the file system there."""
    start = line_of("# the name bound again, to a file", DATABASE_LISTING)
    written = on_lines(DATABASE_LISTING, start, line_of("# copied out", DATABASE_LISTING))
    assert [f.target.rpartition(".")[2] for f in written] == [
        "connect",
        "executemany",
        "commit",
        "close",
    ]
    assert {(f.resource, f.writes, f.strategy) for f in written} == {
        ("the file system", True, None)
    }


def test_a_connection_left_on_the_loop_declines_the_file_sections_beside_it():
    """Its calls write the database's files on the loop while the sections' threads touch
    the file system: the sections' lock does not serialise them."""
    case = CASES / "sections_database_beside.py"
    (stays,) = on("# stays on the loop", case)
    assert stays.strategy is None and stays.resource == "the file system"
    beside = on("# a file section beside it", case)
    assert beside
    for finding in beside:
        assert finding.strategy is None and finding.unsafe_strategy == "thread-section"
        assert finding.declined == _beside(stays.line)


def test_a_check_for_a_database_s_file_moves_with_the_database_s_writes():
    """``os.path.exists`` then ``sqlite3.connect`` (which makes the file): one section, or
    other calls would find no file between the check and the connection
    (``runtime/sqlite_made_once``)."""
    case = CASES / "sections_database_checked.py"
    span = (line_of("# checked before it is made", case), line_of("return True", case))
    moved = on_lines(case, span[0], span[1])
    assert len(moved) == 4
    assert {(f.strategy, f.section, f.section_reason) for f in moved} == {
        ("thread-section", span, "read and write the file system and make and use `conn`")
    }


def test_a_call_in_a_statement_that_awaits_keeps_the_module_s_calls_on_its_resource():
    """It can join no section (``while`` test, ``with`` items of a block that awaits), and
    alone in a thread it would not take their lock: it stays, and so do the sections."""
    case = CASES / "sections_awaiting.py"
    (polled,) = on("# polled in a statement that awaits", case)
    assert polled.strategy is None and polled.unsafe_strategy == "to-thread"
    assert polled.declined == (
        "it runs in a statement that awaits: it cannot join the sections that keep this "
        "module's calls on the file system atomic, and alone in a thread it would not take "
        "their lock"
    )
    for finding in on("# a section", case):
        assert finding.strategy is None and finding.declined == (
            f"line {polled.line} touches the file system too and stays on the event loop, "
            "where the lock that serialises the threads does not reach"
        )


STATE = CASES / "sections_shared_state.py"


def test_a_section_on_state_the_event_loop_also_writes_is_declined():
    (slept,) = on("time.sleep(max(delay, 0))", STATE)
    assert slept.strategy is None and slept.unsafe_strategy == "thread-section"
    assert slept.declined == (
        "the statements that read and write `self.last` must stay atomic, but `self.last` is "
        f"also used by `reset` (line {line_of('# on the event loop', STATE)}) on the event "
        "loop, beside the worker thread"
    )


def test_a_closure_over_the_instance_shares_its_state_with_the_class_s_methods():
    """prompt_toolkit 3.0.53's ``Buffer.open_in_editor`` reads the edited file into
    ``self.document`` from a nested ``run()``: moved into a thread with the block, the
    write raced the methods that use the document on the event loop. The block is a
    section's (the module writes the file system): its safe fix is declined, and the unsafe
    one moves the section, as it does the section's other call."""
    (opened,) = on("# nested block", STATE)
    assert opened.strategy is None and opened.unsafe_strategy == "thread-section"
    assert opened.declined.endswith(
        f"`self.text` is also used by `type` (line {line_of('# typed on the event loop', STATE)})"
        " on the event loop, beside the worker thread"
    )


def test_a_block_using_state_the_event_loop_also_uses_stays_on_the_loop():
    (opened,) = on("# block", STATE)
    assert opened.strategy is None and opened.declined.endswith(
        f"`self.items` is also used by `add` (line {line_of('self.items.append', STATE)}) on "
        "the event loop, beside the worker thread"
    )


def test_state_only_one_coroutine_uses_and_a_constructor_sets_moves():
    line = line_of("# alone with its state", STATE) + 1
    findings = analyze_source(STATE.read_text(), str(STATE)).findings
    (slept,) = [f for f in findings if f.line == line]
    assert slept.strategy == "thread-section" and slept.declined is None


HANDED = CASES / "sections_handed.py"


def test_a_bridge_handing_the_thread_an_object_the_loop_changes_in_place_is_declined():
    (saved,) = on("# hands the list to the thread", HANDED)
    assert saved.strategy is None and saved.unsafe_strategy == "to-thread"
    assert saved.declined == (
        f"the thread reads `self.entries`, which `note` (line {line_of('.append', HANDED)}) "
        "changes in place on the event loop meanwhile"
    )
    (fetched,) = on("# a value only ever rebound", HANDED)
    assert fetched.strategy == "to-thread" and fetched.declined is None


def test_a_nested_function_s_own_name_leaves_the_global_of_that_name_shared():
    """A name a nested function binds is its own: the coroutine's ``SEEN`` is still the
    module's, which ``remember`` changes on the event loop (the block once moved)."""
    (opened,) = on("# snapshot block", STATE)
    assert opened.strategy is None and opened.declined.endswith(
        f"`SEEN` is also used by `remember` (line {line_of('# remembered on the event', STATE)})"
        " on the event loop, beside the worker thread"
    )


WALRUS = CASES / "sections_walrus.py"


def test_a_walrus_always_evaluated_binds_its_name_for_the_section():
    """``if (n := len(items)) > 0:`` binds ``n`` whenever the ``if`` runs, and a loop's test
    runs once at least: the helper returns it. One past an ``and``, in a conditional
    expression's branch or past a chained comparison's second operand may not run."""
    findings = analyze_source(WALRUS.read_text(), str(WALRUS)).findings
    assert findings and {f.strategy for f in findings} == {"thread-section"}
    maybe = WALRUS.with_name("sections_walrus_maybe.py")
    findings = analyze_source(maybe.read_text(), str(maybe)).findings
    assert {f.declined.partition(", but ")[2] for f in findings} == {
        f"they bind `{name}` only on some paths, and the coroutine reads it after"
        for name in ("text", "size_read", "high")
    }


RAISED = CASES / "sections_raised.py"


def test_a_name_only_the_last_statement_binds_is_lost_by_no_helper_that_raises():
    """When the section raises, a name only its last statement binds (by a plain
    assignment) is unbound on the event loop too: the section moves. One bound before a
    statement that may raise stays declined (a helper that raises returns nothing)."""
    start = line_of("with open(path", RAISED)
    moved = analyze_source(RAISED.read_text(), str(RAISED)).findings
    assert moved and {(f.strategy, f.section[0]) for f in moved if f.line < start + 3} == {
        ("thread-section", start)
    }
    kept_case = RAISED.with_name("sections_raised_kept.py")
    found = analyze_source(kept_case.read_text(), str(kept_case)).findings
    kept = [f for f in found if f.line < line_of("finally:", kept_case)]
    assert kept and all(
        f.strategy is None and "reads after an exception there" in f.declined for f in kept
    )


def test_a_module_s_stream_writers_count_its_logging_handlers_and_no_import_time_print():
    """A handler made with no stream writes ``sys.stderr`` at every record logged after, at
    a module's top level too; a ``print`` there runs as the module is imported, before its
    coroutines; a handler given a stream or a file writes no standard stream of its own."""
    source = (
        "import logging, sys\n"
        "logging.basicConfig(level=logging.INFO)\n"
        "print('imported')\n"
        "def attach(log):\n"
        "    log.addHandler(logging.StreamHandler(sys.stdout))\n"
        "    log.addHandler(logging.StreamHandler(open('log.txt', 'a')))\n"
        "    logging.basicConfig(filename='log.txt')\n"
        "    print('attached')\n"
    )
    summary = analyze_source(source, "writers.py").summary
    assert summary.stream_writers == (("stderr", "writers"), ("stdout", "writers.attach"))


def test_a_stream_write_counts_in_a_decorator_and_in_any_spelling_python_reads():
    """A function's writes and warnings are read from the lines its names stand on: those
    of its decorators too (``sys.stdout`` handed to one), and in the form Python reads
    names in (NFKC: a fullwidth ``ｐrint`` is ``print``, ``ｅrror`` is ``error``)."""
    source = (
        "import logging, sys\n"
        "LOG = logging.getLogger(__name__)\n"
        "def register(stream):\n"
        "    return lambda f: f\n"
        "@register(sys.stdout)\n"
        "def decorated():\n"
        "    pass\n"
        "def shout(x):\n"
        "    \uff50rint(x)\n"
        "def complain(x):\n"
        "    LOG.\uff45rror(x)\n"
    )
    summary = analyze_source(source, "writers.py").summary
    assert summary.stream_writers == (("stdout", "writers.decorated"), ("stdout", "writers.shout"))
    assert summary.logged == ("writers.complain",)


def test_a_removal_after_a_probe_it_repeats_is_no_tested_write():
    """``path.lstat()`` then ``os.remove(path)`` in a ``suppress`` body: the removal fails
    by itself as the probe would, and is fixed; a ``stat`` that follows a symlink, a probe
    whose value is kept, a removal relative to another directory, or one another write
    follows keep the probe's test. Each coroutine is analysed alone (the others' lines
    blanked): one left on the loop would decline the others' sections."""
    case = CASES / "sections_probed.py"
    lines = case.read_text().splitlines()
    (store,) = [n for n in ast.parse(case.read_text()).body if isinstance(n, ast.ClassDef)]
    coroutines = [n for n in store.body if isinstance(n, ast.AsyncFunctionDef)]
    for coroutine in coroutines:
        blanked = {
            i
            for other in coroutines
            if other is not coroutine
            for i in range(other.lineno, other.end_lineno + 1)
        }
        source = "\n".join("" if i in blanked else line for i, line in enumerate(lines, 1))
        findings = analyze_source(source, str(case)).findings
        marked = {
            i: lines[i - 1].rsplit("# ", 1)[1]
            for i in range(coroutine.lineno, coroutine.end_lineno + 1)
            if "# " in lines[i - 1]
        }
        assert sorted(f.line for f in findings) == sorted(marked), coroutine.name
        for finding in findings:
            tested = "the same test meanwhile" in (finding.declined or "")
            assert tested == (marked[finding.line] == "tested"), finding
            assert (finding.strategy is not None) == (marked[finding.line] == "fixed"), finding


def test_a_section_in_one_branch_of_an_if_with_a_steady_test_is_that_branch_s():
    """The ``with`` block alone is the section when the ``if`` tests only its coroutine's
    own names by identity and the other branch holds no finding; a truth test, a global
    (one a comprehension's target is named after too), a name a nested function rebinds, a
    branch that returns or findings in both keep the whole ``if``."""
    case = CASES / "sections_narrowed.py"
    lines = case.read_text().splitlines()
    findings = analyze_source(case.read_text(), str(case)).findings
    marked = [line.endswith(("# narrowed", "# whole")) for line in lines]
    assert sorted(f.line for f in findings) == [i for i, m in enumerate(marked, 1) if m]
    for finding in findings:
        first, _ = finding.section
        narrowed = lines[finding.line - 1].endswith("# narrowed")
        assert lines[first - 1].lstrip().startswith("with" if narrowed else "if"), finding


def test_a_parameter_read_whole_twice_is_steady_only_when_annotated_immutable():
    """``str(root)`` twice around a fix, in a module that appends to a list: ``root: Path |
    None`` and ``name: "str"`` hold values nothing changes; an unannotated ``root`` may be
    that list; a parameter bound to another name or returned is read once."""
    case = CASES / "whole_parameters.py"
    (steady,), (handed,) = on("# steady", case), on("# handed on", case)
    assert steady.safe_fix and handed.safe_fix
    (unknown,) = on("# unknown", case)
    assert not unknown.safe_fix
    assert "`root` may be an object `note` changes (`LOG`, line 12)" in unknown.declined


def test_a_parameter_a_path_is_built_on_for_a_call_on_the_file_system_is_steady():
    """``os.path.exists(os.path.join(root, "a.txt"))`` between two reads of ``str(root)``:
    ``os.path.join`` takes only a ``str``, ``bytes`` or ``os.PathLike`` first, none of which
    changes, so the fix stands (an ``os.environ`` entry set in ``setup`` declined the
    fuzzer's such fixes, seed 340024 of ``--environ``); ``",".join(parts)`` takes any
    iterable, a list ``note`` may change: declined."""
    case = CASES / "whole_parameters.py"
    (joined,), (text,) = on("# joined", case), on("# joined as text", case)
    assert joined.safe_fix
    assert "`parts` may be an object `note` changes" in text.declined


def test_a_name_bound_once_to_a_parameter_reads_its_object():
    """``kept = log``, then ``len(kept)`` and ``len(log)`` around a fix: two reads of the one
    list; a ``kept`` bound again to a new list reads that list, and the fix stands."""
    case = CASES / "whole_parameters.py"
    (aliased,), (rebound,) = on("# aliased", case), on("# alias rebound", case)
    assert "`log` may be an object `note` changes" in aliased.declined
    assert rebound.safe_fix


def test_a_parameter_bound_anew_to_a_new_object_is_read_no_more():
    """``log = sorted(log)`` before the fix: ``len(log)`` after it reads the sorted copy,
    the coroutine's own, and the fix stands. Bound after the fix, its value reads the
    parameter a second time; bound to a generator over it, the list is read lazily after
    the fix: both declined."""
    case = CASES / "whole_parameters.py"
    (rebound,), (late,) = on("# rebound", case), on("# rebound late", case)
    (lazily,) = on("# rebound lazily", case)
    assert rebound.safe_fix
    assert "`log` may be an object" in late.declined
    assert "`log` may be an object" in lazily.declined


def test_a_method_called_on_a_parameter_reads_it_whole_and_a_called_one_does_not():
    """``log.copy()`` twice around a fix reads the list twice; ``parse(name)`` twice calls
    the function handed in (what it does is the call's) and ``LOG[name]`` reads ``name`` as
    a key: only ``name``'s reads as ``parse``'s argument count, and ``name`` may be any
    object, so the fix between them is declined too."""
    case = CASES / "whole_parameters.py"
    (copied,), (keyed,) = on("# copied", case), on("# keyed", case)
    assert "`log` may be an object" in copied.declined
    assert "`name` may be an object" in keyed.declined
    assert "`parse`" not in keyed.declined


def test_the_branches_of_a_conditional_expression_are_two_ways_each_with_its_own_reads():
    """``A() if not c.x else B(c.x)``: the test and the ``else`` read ``c.x`` with no fix
    between, and the fix in the other branch comes after the test's read alone: it is
    safe. ``(A(), c.x) if c.x else None`` reads it in the test and again after the fix."""
    case = CASES / "conditional_reads.py"
    (exclusive,), (between,) = on("# exclusive", case), on("# between", case)
    assert exclusive.safe_fix
    assert not between.safe_fix
    assert "read `configuration.working_dir` twice" in between.declined


def test_a_parameter_read_only_as_text_is_steady_beside_counts_its_text_never_shows():
    """``str(part)``, ``repr(part)`` and ``f"{part}"`` twice around a fix, in a module whose
    only change is a manager's count (a number) on an instance of a class with ``object``'s
    text: the fix stands. ``len(part)`` and ``f"{part:>8}"`` (a format spec) read more; a
    class that shows the count (its ``__repr__``, a ``@dataclass``'s) or a count that may be
    an object ``+=`` changes in place keep the decline."""
    case = CASES / "text_parameters.py"
    (text,), (measured,), (formatted,) = (
        on("# as text", case),
        on("# measured", case),
        on("# formatted", case),
    )
    assert text.safe_fix
    assert "`part` may be an object `__enter__` changes" in measured.declined
    assert "`part` may be an object `__enter__` changes" in formatted.declined
    (shown,) = on("# shown", CASES / "text_parameters_shown.py")
    (held,) = on("# held", CASES / "text_parameters_held.py")
    assert "`part` may be an object `__enter__` changes" in shown.declined
    assert "`part` may be an object `__enter__` changes" in held.declined


UNSHARED = CASES / "sections_unshared.py"


def test_a_section_making_and_using_only_its_own_handles_is_unshared():
    """Its callers need not take turns: each makes its own client or database in memory."""
    for mark in ("# own client", "# own database"):
        start = line_of(mark, UNSHARED)
        moved = on_lines(UNSHARED, start, start + 2)
        assert len(moved) > 1
        assert {(f.strategy, f.unshared) for f in moved} == {("thread-section", True)}


def test_a_section_with_other_calls_or_reads_takes_the_lock():
    """A call of no finding may touch anything; an attribute of a parameter is read in the
    thread, where a lone bridge reads it on the loop."""
    for mark in ("# a call of no finding between", "# reads an attribute in the thread"):
        start = line_of(mark, UNSHARED)
        moved = on_lines(UNSHARED, start, start + 1)
        assert {(f.strategy, f.unshared) for f in moved} == {("thread-section", False)}


def test_a_temporary_file_made_and_used_alone_is_unshared():
    span = (line_of("# made"), line_of("# last used"))
    assert {f.unshared for f in FINDINGS if span[0] <= f.line <= span[1]} == {True}


def test_a_fix_in_a_first_run_is_weighed_against_other_coroutines_first_runs():
    """``one_listener``'s ``on_next`` appends to the list ``on_error`` appends to in its
    first run: an await before the append lets the tasks started after it append first;
    ``second_listener``'s appends to its own list (each function call makes one), which
    ``first_listener``'s callback does not touch: swapped."""
    apart = on("# its own list", FIRST_RUNS)
    assert [(f.strategy, f.declined) for f in apart] == [("sleep", None)]
    (shared,) = on("# one list with on_error", FIRST_RUNS)
    assert shared.strategy is None
    assert shared.declined.startswith(
        "the statements after it touch `tokens`, which `on_error` (line "
        f"{line_of('tokens.append(error)', FIRST_RUNS)}) touches too in its first run"
    )


def test_a_fix_after_a_task_start_is_weighed_against_the_started_coroutine():
    """A task started in the run before a fix (``create_task``, ``ensure_future``,
    ``gather``, a ``TaskGroup``'s ``create_task``, anyio's ``start_soon``) runs only when
    its starter suspends: the fix's await would let ``note`` append to ``LOG`` before the
    starter's own append. ``apart``'s task counts into ``COUNT``, which the starter's
    statements after the sleep do not touch: swapped."""
    started = STARTED_TASKS
    for text in ("create_task", "ensure_future", "gather", "a task group's", "start_soon"):
        (finding,) = on(f"# after {text}", started)
        assert finding.strategy is None, text
        assert finding.declined.startswith(
            "the statements after it touch `LOG`, which `note` (line "
            f"{line_of('async def note', started)}) touches too, in a task started at line "
            f"{finding.line - 1} before them"
        ), text
    assert [(f.strategy, f.declined) for f in on("# a task touching other", started)] == [
        ("sleep", None)
    ]
