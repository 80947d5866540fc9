"""`deblock fix` does what `deblock check --format json` says: it fixes every finding check
gives a safe fix, and leaves every other one, a declined one with check's reason.

``analysis/fixtures/cases/lazy_results.py``'s lazy results (listed in the thread, or
declined where the coroutine does not take them whole) and
``fixtures/blocks_that_stay/blocks.py``'s temporary-file blocks too.

``fixtures/open_blocks/blocks.py``'s ``with open(...)`` blocks (one awaits, one hands its
handle to sync code, one is read after it, ...) in a project that depends on aiofiles and
in one that does not: their form (``aiofiles.open``, a thread, declined) differs by project.

``fixtures/common_lock``'s packages: the modules check gives a common lock are fixed, the
others left with check's reason.

``fixtures/agree`` (and its project across modules): fixes a codemod once declined as it
rewrote (a bridge it could not write out, an ``await`` its thread would take, a breaker
call whose protected function is not first): check gives them none, with the reason fix
prints, with and without ``--unsafe-fixes``; ``fixtures/agree/swept``: what a section
could take along; ``fixtures/agree/bridge_result``: what the project's own bridge
gives; ``fixtures/agree/lines``: sections that share
their lines with code that stays; ``fixtures/agree/generators``: returns from async generators;
``fixtures/agree/iterated_files.py``: files iterated where no section takes the loop;
``fixtures/runtime/split_section_unsafe.py``: what is left of a declined section between its
calls' own fixes;
``fixtures/agree/entered``: ``with`` blocks whose context manager a project call makes;
``fixtures/agree/rewritten``: a call with no fix whose arguments another fix rewrites;
``fixtures/agree/rewritten_receiver``: a method call with no fix whose receiver another fix
rewrites; ``fixtures/agree/rewritten_beside``: a project call on a line another fix rewrites;
``fixtures/agree/carried``: ``input()`` among the arguments a fix would move into its thread.

``ROUNDS``, programs of ``fixtures/runtime_partial`` and of the analysis cases, in one
project: fix makes no safe fix check declined (its later rounds judge the module its first
rewrote, and once did).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from common_lock_projects import common_lock_project

BLOCKS = Path(__file__).parent / "fixtures" / "open_blocks" / "blocks.py"
LAZY = Path(__file__).parents[1] / "analysis" / "fixtures" / "cases" / "lazy_results.py"
STAYING = Path(__file__).parent / "fixtures" / "blocks_that_stay" / "blocks.py"
AGREE = Path(__file__).parent / "fixtures" / "agree"
SPLIT = Path(__file__).parent / "fixtures" / "runtime" / "split_section_unsafe.py"
PARTIAL = Path(__file__).parent / "fixtures" / "runtime_partial"
ROUNDS = [
    *(LAZY.parent / f"{name}.py" for name in ("own_files", "sections_reconnect_maybe")),
    *(PARTIAL / f"{name}.py" for name in ("sleep_before_sections", "lazy_listing_in_section")),
]
LEFT = re.compile(r"^(\S+):(\d+):(\d+): (\w+) .* \(not fixed: (.*)\)$", re.M)
UNSAFE_OFFER = "; an unsafe fix with --unsafe-fixes"


def _checked(deblock, project: Path) -> list[dict]:
    return json.loads(deblock("check", "--no-cache", "--format", "json", ".", cwd=project).stdout)


@pytest.fixture(params=['["aiofiles>=23"]', "[]"], ids=["aiofiles", "no-aiofiles"])
def project(request, tmp_path) -> Path:
    shutil.copyfile(BLOCKS, tmp_path / BLOCKS.name)
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "blocks"\ndependencies = {request.param}\n'
    )
    return tmp_path


def test_fix_leaves_exactly_what_check_does_not_call_fixable(deblock, project):
    _assert_fix_does_what_check_says(deblock, project)


@pytest.mark.parametrize("case", [LAZY, STAYING], ids=["lazy_results", "blocks_that_stay"])
def test_fix_does_what_check_says_beyond_open_blocks(deblock, tmp_path, case):
    """A walk, glob or scan used as an iterator, or a walk a loop prunes; a temporary
    directory's block that awaits, breaks out of a loop or whose handle is read after it:
    check gives no fix and fix leaves it, with check's reason (the analyzer decides, not
    the codemod)."""
    shutil.copyfile(case, tmp_path / case.name)
    _assert_fix_does_what_check_says(deblock, tmp_path)


@pytest.mark.parametrize("name", ["notes", "held", "foreign", "torn"])
def test_fix_does_what_check_says_of_a_common_lock(deblock, tmp_path, name):
    project = common_lock_project(name, tmp_path)
    _assert_fix_does_what_check_says(deblock, project)


@pytest.mark.parametrize("case", sorted(AGREE.glob("*.py")), ids=lambda p: p.stem)
@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fix_does_what_check_says_of_a_fix_it_cannot_write(deblock, tmp_path, case, unsafe):
    """Each case leaves one finding fixable and the others not, each with check's reason."""
    shutil.copyfile(case, tmp_path / case.name)
    checked = _assert_fix_does_what_check_says(deblock, tmp_path, unsafe)
    assert sum(f["fixable"] for f in checked) == 1
    assert all(f["fixable"] or f["declined"] or f["unfixable"] for f in checked)


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fix_does_what_check_says_of_sections_sharing_their_lines(deblock, tmp_path, unsafe):
    """``fixtures/agree/lines``: a section on a line it shares with an ``await``, and one
    on the line of its ``async def``, get no safe fix (a section moves whole lines); the
    unsafe fix bridges each call on its own."""
    case = AGREE / "lines" / "shared_lines.py"
    shutil.copyfile(case, tmp_path / case.name)
    checked = _assert_fix_does_what_check_says(deblock, tmp_path, unsafe)
    assert all("share their lines" in f["declined"] for f in checked)
    assert all(f["fixable"] and f["unsafe_strategy"] for f in checked)


@pytest.mark.parametrize("case", sorted((AGREE / "swept").glob("*.py")), ids=lambda p: p.stem)
@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fix_does_what_check_says_of_what_a_section_could_take(deblock, tmp_path, case, unsafe):
    """``fixtures/agree/swept``: a temporary file written in a thread helper is still the
    call's own (no section takes the ``os.remove`` of another coroutine's ``finally``); a
    ``with open`` block a section moves is fixed with it, though alone it could not move;
    a section that is an ``elif`` moves under an ``else``."""
    shutil.copyfile(case, tmp_path / case.name)
    checked = _assert_fix_does_what_check_says(deblock, tmp_path, unsafe)
    if case.stem == "temporary_cleanup":
        assert [f["target"] for f in checked if not f["strategy"]] == ["os.remove"]
    else:
        assert all(f["strategy"] == "thread-section" for f in checked)


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fix_does_what_check_says_after_the_project_s_own_bridge(deblock, tmp_path, unsafe):
    """``fixtures/agree/bridge_result``: ``proc = subprocess.Popen(argv)`` bridged by the
    project's own ``run_sync`` still gives a process, whose ``wait()`` in the ``finally``
    the fix leaves with check's reason (fastmcp 4.2.3's diagnostics server: the fix's next
    analysis lost the process, and the finding)."""
    project = shutil.copytree(AGREE / "bridge_result", tmp_path / "bridge_result")
    checked = _assert_fix_does_what_check_says(deblock, project, unsafe)
    assert [f["target"] for f in checked] == ["subprocess.Popen", "subprocess.Popen.wait"]
    deblock("fix", "--no-cache", *(["--unsafe-fixes"] if unsafe else []), ".", cwd=project)
    fixed = (project / "app" / "spawn.py").read_text()
    assert "proc = await run_sync(subprocess.Popen, argv)" in fixed


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fix_does_what_check_says_of_what_is_left_of_a_declined_section(deblock, tmp_path, unsafe):
    """``SPLIT`` (the runtime proof's program): a section declined whole, one call with an
    unsafe fix of its own; the ``open`` left between its ``await`` and the ``return`` is
    offered as unsafe, the section's reason kept (telethon 1.45.0: check gave it no fix,
    and ``fix --unsafe-fixes`` moved it). A second run changes nothing."""
    project = tmp_path
    shutil.copyfile(SPLIT, project / SPLIT.name)
    checked = _assert_fix_does_what_check_says(deblock, project, unsafe)
    offered = [(f["target"], f["strategy"], f["unsafe_strategy"]) for f in checked]
    assert offered == [
        ("os.path.getsize", None, "to-thread"),
        ("builtins.open", None, "thread-section"),
    ]
    assert all("they return midway" in f["declined"] for f in checked)
    flags = ["--unsafe-fixes"] if unsafe else []
    deblock("fix", "--no-cache", *flags, ".", cwd=project)
    again = deblock("fix", "--no-cache", "--diff", *flags, ".", cwd=project)
    assert again.stdout == ""


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fix_does_what_check_says_of_returns_from_async_generators(deblock, tmp_path, unsafe):
    """``fixtures/agree/generators``: a section and a ``with`` block that return from an
    async generator get no safe fix (its helper's result cannot be returned there)."""
    project = shutil.copytree(AGREE / "generators", tmp_path / "generators")
    checked = _assert_fix_does_what_check_says(deblock, project, unsafe)
    assert {f["path"] for f in checked if "from an async generator" in f["declined"]} == {
        "blocks.py",
        "sections.py",
    }
    assert not any(f["strategy"] for f in checked)


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fix_does_what_check_says_of_a_fix_the_project_pass_gives(deblock, tmp_path, unsafe):
    """A coroutine of another module handed to a bridge with ``*args``, a function of it
    handed to a breaker by keyword, a method with a twin called through a name, a generator
    of it iterated, its argument awaited: the project pass makes their findings from what
    the module pass saw of the call, and gives those no fix, with the reason."""
    project = shutil.copytree(AGREE / "project", tmp_path / "project")
    checked = _assert_fix_does_what_check_says(deblock, project, unsafe)
    assert [f["code"] for f in checked if f["fixable"]] == ["DBK802", "DBK601", "DBK602"]
    assert [f["unfixable"] or f["declined"] for f in checked if not f["fixable"]] == [
        "the bridge's arguments are unpacked",
        "the protected function is not the first positional argument",
        "the call is not a method call: its twin is found on the object called",
        "its arguments await: they must stay on the event loop, and its fix would move them "
        "into the worker thread",
    ]


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fix_does_what_check_says_of_blocks_a_project_call_opens(deblock, tmp_path, unsafe):
    """A project class made blocking (its ``__init__`` reads a file) as a ``with`` block's
    context manager: the fix moves the whole block into a thread, so a block that awaits
    gets no fix, with the reason (the fix wrote an ``await`` into the thread's function:
    gradio 6.31.0's ``test/test_blocks.py`` failed to fix); one that returns moves whole."""
    project = shutil.copytree(AGREE / "entered", tmp_path / "entered")
    checked = _assert_fix_does_what_check_says(deblock, project, unsafe)
    assert [(f["line"], f["fixable"]) for f in checked] == [(7, False), (14, True), (19, True)]
    assert checked[0]["declined"] == "in a thread, `asyncio.sleep` must stay on the event loop"
    fixed = deblock("fix", "--no-cache", "--unsafe-fixes", ".", cwd=project)
    assert "fix failed" not in fixed.stderr, fixed.stderr
    assert (project / "app" / "main.py").read_text().count("await asyncio.to_thread(") == 2


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fix_leaves_a_call_whose_argument_another_fix_rewrote(deblock, tmp_path, unsafe):
    """``lookup(key, whoami(request))``: the project pass gives ``lookup`` no fix (it needs
    the event loop) and ``whoami`` an unsafe one, which rewrites the statement. fix lost
    ``lookup`` with the rewritten lines (streamlit 1.67.0's ``starlette_agent_routes.py:551``):
    it is found again by its callee, and left where check reports it."""
    project = shutil.copytree(AGREE / "rewritten", tmp_path / "rewritten")
    checked = _assert_fix_does_what_check_says(deblock, project, unsafe)
    assert [(f["col"], f["fixable"]) for f in checked] == [(12, False), (24, True)]


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_a_safe_fix_carries_no_call_whose_own_fix_is_unsafe(deblock, tmp_path, unsafe):
    """``subprocess.run(cmd, input=input(...).encode())``: its safe fix took its arguments
    into its thread with ``input``, whose only fix is unsafe (a prompt in a thread ignores
    Ctrl-C). Its arguments now stay on the loop, and a bridge whose arguments hold only
    such a call is not reported (DBK806): a fix would have to move it. A directory listed
    in the thread (``os.scandir(input(...))``) takes its argument along: offered as unsafe.
    A ``with open(...)`` block holding ``input`` moved whole into a thread: it stays on the
    event loop."""
    project = shutil.copytree(AGREE / "carried", tmp_path / "carried")
    checked = _assert_fix_does_what_check_says(deblock, project, unsafe)
    assert [(f["code"], f["strategy"]) for f in checked] == [
        ("DBK401", "to-thread"),
        ("DBK701", None),
        ("DBK701", None),
        ("DBK301", None),
        ("DBK701", None),
        ("DBK201", None),
        ("DBK202", None),  # the iteration of ``fh``: unfixable, so no strategy is named
        ("DBK701", None),
    ]
    for carrying in (checked[3], checked[5]):
        assert carrying["declined"].startswith("its fix would carry into the worker thread `input`")
    if not unsafe:
        deblock("fix", "--no-cache", ".", cwd=project)
        fixed = (project / "prompts.py").read_text()
        assert "await asyncio.to_thread(subprocess.run, cmd, input=input(" in fixed
        assert "    with open(path) as fh:\n        lines = list(fh)\n" in fixed
        assert [f["code"] for f in _checked(deblock, project)].count("DBK701") == 4


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fix_keeps_a_project_call_beside_a_call_another_fix_rewrote(deblock, tmp_path, unsafe):
    """``time.sleep(0.01); settle(0.01)``, ``os.path.getsize(path) + settle(0)``: the project
    pass gives ``settle`` an unsafe fix; the module's own fix rewrites its line. fix lost
    ``settle`` with the rewritten line (neither fixed nor left, and a second check found
    it): it is found again by its callee, left, or fixed with --unsafe-fixes."""
    project = shutil.copytree(AGREE / "rewritten_beside", tmp_path / "rewritten_beside")
    checked = _assert_fix_does_what_check_says(deblock, project, unsafe)
    assert [f["code"] for f in checked] == ["DBK101", "DBK801", "DBK301", "DBK801"]
    deblock("fix", "--no-cache", *(["--unsafe-fixes"] if unsafe else []), ".", cwd=project)
    again = _checked(deblock, project)
    assert [f["code"] for f in again] == ([] if unsafe else ["DBK801", "DBK801"])


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fix_leaves_a_method_call_whose_receiver_another_fix_rewrote(deblock, tmp_path, unsafe):
    """``inbox(root).glob(...)`` iterated by ``any``: no fix (a list made in the thread would
    change what ``any`` gets), and ``inbox`` an unsafe one, which rewrites the receiver. fix
    lost the glob with the rewritten lines (red_discordbot 3.5.24's ``trivia.py:444``): it is
    found again by its method's name, and left where check reports it."""
    project = shutil.copytree(AGREE / "rewritten_receiver", tmp_path / "rewritten_receiver")
    checked = _assert_fix_does_what_check_says(deblock, project, unsafe)
    assert [(f["code"], f["fixable"]) for f in checked] == [("DBK203", False), ("DBK801", True)]


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fix_does_what_check_says_of_child_processes(deblock, tmp_path, unsafe):
    """asyncio's ``create_subprocess_exec`` is the unsafe fix check names only where fix
    applies it (a literal argument list, ``cwd``/``env`` only, ``run``'s result unused, a
    module on asyncio); elsewhere the thread is, unsafe too where the safe fix is declined."""
    project = shutil.copytree(AGREE / "processes", tmp_path / "processes")
    checked = _assert_fix_does_what_check_says(deblock, project, unsafe)
    spawned = [f for f in checked if f["unsafe_strategy"] == "create-subprocess"]
    assert [(f["path"], f["line"]) for f in spawned] == [("spawned.py", 9), ("spawned.py", 13)]
    deblock("fix", "--no-cache", *(["--unsafe-fixes"] if unsafe else []), ".", cwd=project)
    text = "".join(p.read_text() for p in sorted(project.glob("*.py")))
    assert text.count("create_subprocess_exec(") == (len(spawned) if unsafe else 0)
    threads = text.count("to_thread(") + text.count("to_thread.run_sync(")
    assert threads == sum(f["fixable"] and (unsafe or bool(f["strategy"])) for f in checked) - (
        len(spawned) if unsafe else 0
    )


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fix_does_what_check_says_of_sdk_clients(deblock, tmp_path, unsafe):
    """``async-client`` is the unsafe fix check names only for the clients fix switches
    (created in the module, used in the reported calls alone); the others' calls get the
    thread, unsafe too where the safe fix is declined."""
    project = shutil.copytree(AGREE / "clients", tmp_path / "clients")
    checked = _assert_fix_does_what_check_says(deblock, project, unsafe)
    switched = [f["line"] for f in checked if f["unsafe_strategy"] == "async-client"]
    assert switched == [23, 49]
    deblock("fix", "--no-cache", *(["--unsafe-fixes"] if unsafe else []), ".", cwd=project)
    text = (project / "clients.py").read_text()
    assert text.count("AsyncGroq()") == (len(switched) if unsafe else 0)
    threads = text.count("asyncio.to_thread(")
    fixed = sum(f["fixable"] and (unsafe or bool(f["strategy"])) for f in checked)
    assert threads == fixed - (len(switched) if unsafe else 0)


def test_later_rounds_make_no_safe_fix_check_declined(deblock, tmp_path):
    """A first round's fix (a section's ``await asyncio.to_thread``) ends the run of
    statements a decline weighed; the analysis of the rewritten module then found the sleep
    before it fixable, and the second round swapped it (``own_files.py``'s first-run sleeps,
    ``runtime_partial/sleep_before_sections.py``), or made a section declined for a lazy
    result iterated after it (``lazy_listing_in_section.py``) or for a connection used
    outside it (``sections_reconnect_maybe.py``). The first analysis decides: fix leaves
    what check declined, with check's reason."""
    for program in ROUNDS:
        shutil.copyfile(program, tmp_path / program.name)
    checked = _assert_fix_does_what_check_says(deblock, tmp_path)
    assert sum(bool(f["declined"]) for f in checked) > 20


def test_a_bridge_taken_whole_is_declined_with_the_call_it_would_carry(deblock, tmp_path):
    """``runtime_partial/existing_bridges`` and ``imported_bridge``: check declines the
    ``open`` in ``to_thread(json.load, open(p))`` (alone in a thread it would take no lock),
    and so the bridge, whose DBK806 fix would run that ``open`` after its await
    (``runtime_declined/bridge_carries_declined_open``); fix leaves both, as check says, and
    ``--unsafe-fixes`` takes the bridge whole."""
    for name in ("existing_bridges", "imported_bridge"):
        shutil.copyfile(PARTIAL / f"{name}.py", tmp_path / f"{name}.py")
    checked = _assert_fix_does_what_check_says(deblock, tmp_path)
    bridges = [f for f in checked if f["code"] == "DBK806" and f["target"] == "json.load"]
    assert [(f["declined"] is not None, f["unsafe_strategy"]) for f in bridges] == [
        (True, "bridge-whole"),
        (True, "bridge-whole"),
    ]
    _assert_fix_does_what_check_says(deblock, tmp_path, unsafe=True)


def _assert_fix_does_what_check_says(deblock, project: Path, unsafe: bool = False) -> list[dict]:
    checked = _checked(deblock, project)
    flags = ("--unsafe-fixes",) if unsafe else ()
    fixed = deblock("fix", "--no-cache", "--diff", *flags, ".", cwd=project)
    assert "would be applied" in fixed.stderr, fixed.stderr
    left = {
        (path, int(line), int(col), code): why.removesuffix(UNSAFE_OFFER)
        for path, line, col, code, why in LEFT.findall(fixed.stderr)
    }
    found = {(f["path"], f["line"], f["col"], f["code"]): f for f in checked}
    assert set(left) <= set(found)
    for place, finding in found.items():
        if finding["fixable"] and (unsafe or finding["strategy"]):
            assert place not in left, (finding, left.get(place))
        else:
            assert place in left, finding
        if finding["unfixable"]:
            assert left[place] == finding["unfixable"]
        elif finding["declined"] and place in left:
            assert left[place] == f"declined for safety: {finding['declined']}"
    return checked


def test_check_shows_each_open_blocks_form_and_fix_applies_it(deblock, project):
    checked = _checked(deblock, project)
    opened = [f for f in checked if f["target"] == "builtins.open"]
    forms = [f["open_form"] for f in opened if f["strategy"]]
    declined = [f["declined"] for f in opened if not f["strategy"]]
    deblock("fix", "--no-cache", ".", cwd=project)
    text = (project / BLOCKS.name).read_text()
    assert text.count("async with aiofiles.open(") == forms.count("aiofiles.open")
    assert len(re.findall(r"def _\w+_in_thread(?:_\d+)?\(\):", text)) == forms.count("thread")
    assert forms.count("aiofiles.open") + forms.count("thread") == len(forms)
    dependent = "aiofiles" in (project / "pyproject.toml").read_text()
    # the block that awaits opens an async file, or stays as it is (a thread cannot await)
    assert (
        "    async with aiofiles.open(path) as fh:\n        text = await fh.read()\n"
        "        await asyncio.sleep(0)\n" in text
    ) is dependent
    # the blocks that await and cannot open an async file: the one handing its handle to
    # ``json.load``, and without aiofiles the one that reads
    assert sum("`asyncio.sleep` must stay" in why for why in declined) == 2 - dependent
    # ``fh.name`` after the block: an async file has it, a thread helper returns ``fh``;
    # ``fh = None`` before it: the helper would keep ``fh`` to itself
    assert sum("reads the block's handle `fh` after it" in why for why in declined) == 1
    assert "return fh.name, text" in text
