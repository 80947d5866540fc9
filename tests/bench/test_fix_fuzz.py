"""The fix fuzzer (``bench/fix_fuzz.py``) on a few fixed seeds: the safe fixes of its programs
keep every outcome the originals allow (a counterexample fails the test, its report shown)."""

from __future__ import annotations

import ast
import asyncio
import collections
import json
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(BENCH))

import fuzz_brokers  # noqa: E402
import fuzz_drivers  # noqa: E402
import fuzz_foreign  # noqa: E402
import fuzz_proxies  # noqa: E402
from fuzz_managers import KINDS  # noqa: E402
from fuzz_programs import generate  # noqa: E402

# Seeds whose programs get safe fixes, among them sections (a read-modify-write of a shared
# file or a table moved into a thread under the module's lock) that concurrent calls run.
SEEDS = ("--start", "28", "--seeds", "12")


def _fuzz(*args: str, runs: int = 20) -> tuple[int, dict]:
    done = subprocess.run(
        [sys.executable, str(BENCH / "fix_fuzz.py"), *args, "--runs", str(runs), "--json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout)


def test_programs_are_drawn_from_their_seed_and_compile():
    assert generate(3).source() == generate(3).source() != generate(4).source()
    for seed in range(30):
        compile(generate(seed).source(), f"seed-{seed}", "exec")


def _defined(source: str) -> set[str]:
    return {
        node.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }


# the functions and methods the drawn managers define
MANAGING = _defined("\n".join(line for _, definition in KINDS.values() for line in definition))


def test_two_module_programs_move_helpers_of_the_same_program_to_a_module_they_import():
    split = 0
    for seed in range(40):
        files = generate(seed, modules=2).files()
        for name, text in files.items():
            compile(text, f"seed-{seed}-{name}", "exec")
        one = generate(seed).files()["program.py"]
        if len(files) == 1:
            assert files["program.py"] == one
            continue
        split += 1
        main, helpers = files["program.py"], files["helpers.py"]
        assert "import helpers" in main.splitlines()
        assert _defined(main) | _defined(helpers) == _defined(one)
        assert not _defined(main) & _defined(helpers)
        assert "import program" not in helpers
    assert split >= 10


def test_programs_with_objects_share_one_of_ledgers_py_and_keep_the_seed_s_other_code():
    """``objects=True`` adds ``ledgers.py`` and uses of its object, drawn apart: without
    them the program is the seed's (``objects`` off draws what it did before)."""
    reaches = set()
    for seed in range(40):
        for modules in (1, 2):
            plain, files = generate(seed, modules).files(), generate(seed, modules, True).files()
            assert "ledgers" not in "".join(plain.values())
            assert files.keys() == {*plain, "ledgers.py"}
            for name, text in files.items():
                compile(text, f"seed-{seed}-{name}", "exec")
            main = files["program.py"]
            assert _defined(main) - {"look", "peek_of", "tally"} == _defined(plain["program.py"])
            reaches |= {
                r
                for r in ("ledgers.LEDGER.", "from ledgers import", "self.ledger.")
                if r in "".join(files.values())
            }
    assert len(reaches) == 3


def test_programs_with_writes_write_the_object_s_count_themselves():
    """``writes=True`` also draws the functions' own writes of the object's count, an
    attribute of another module's global (``ledgers.LEDGER.count += 1``); ``objects`` alone
    draws none."""
    own = re.compile(r"(LEDGER|self\.ledger)\.count (\+= 1|= n \+ 1)$")
    writing = 0
    for seed in range(40):
        for modules in (1, 2):
            plain = generate(seed, modules, objects=True).files()
            files = generate(seed, modules, objects=True, writes=True).files()
            assert files.keys() == plain.keys()
            for name, text in files.items():
                compile(text, f"seed-{seed}-{name}", "exec")
            lines = [line.strip() for name in files for line in files[name].splitlines()]
            assert not [line for p in plain.values() for line in p.splitlines() if own.search(line)]
            writing += any(own.search(line) for line in lines)
    assert writing >= 20


def test_programs_with_managers_run_blocking_steps_in_blocks_of_a_counting_manager():
    """``managers=True`` gives ``program.py`` a context manager (``GAUGE`` or ``busy()``), of
    its own or, with two modules, maybe of ``gauges.py``, imported by name or not; blocks of
    it around blocking steps and reads of its count, drawn apart: without it the program is
    the seed's."""
    drawn, managed = set(), 0
    for seed in range(40):
        for modules in (1, 2):
            plain = generate(seed, modules).files()
            files = generate(seed, modules, managers=True).files()
            assert files.keys() - {"gauges.py"} == plain.keys()
            assert modules == 2 or files.keys() == plain.keys()
            for name, text in files.items():
                compile(text, f"seed-{seed}-{name}", "exec")
            main = files["program.py"]
            entered = re.findall(
                r"^\s*with ((?:gauges\.)?(?:GAUGE|busy\(\))):$", main, re.MULTILINE
            )
            assert "with GAUGE" not in plain["program.py"] and "busy()" not in plain["program.py"]
            managed += bool(entered)
            drawn |= {(modules, "gauges.py" in files, e) for e in entered}
    homes = {(1, False), (2, False), (2, True)}
    assert {(m, apart) for m, apart, _ in drawn} == homes
    assert {e for *_, e in drawn} == {"GAUGE", "busy()", "gauges.GAUGE", "gauges.busy()"}
    assert managed >= 60


@pytest.mark.parametrize(
    "drawn, shape",
    [
        ("made", r"^\s*with ((?:gauges\.)?(?:make|meter)\(\)):$"),
        ("async_managers", r"^\s*async with ((?:gauges\.)?(?:AGAUGE|abusy\(\))):$"),
        ("semaphores", r"^\s*async with ((?:helpers\.|self\.)?(?:SEM|sem)):$"),
        ("class_state", r"((?:helpers\.)?(?:Counter|Service)\.total|type\(self\)\.total)"),
        ("instance_state", r"((?:helpers\.)?STATE)\.count\b"),
    ],
)
def test_the_shapes_drawn_apart_keep_the_seed_s_functions_and_appear(drawn, shape):
    """``made`` (a manager a call returns), ``async_managers`` (one entered by ``async
    with``), ``semaphores`` (the locks as semaphores, single steps in blocks of ``SEM``) and
    ``class_state`` (the count a class attribute), ``instance_state`` (an attribute of a module
    global, ``STATE.count``, in ``program.py`` or ``helpers.py``): each keeps the seed's
    functions, calls and files, and shows up, in every form, in most programs."""
    forms, shown = set(), 0
    for seed in range(40):
        for modules in (1, 2):
            plain = generate(seed, modules).files()
            files = generate(seed, modules, **{drawn: True}).files()
            assert files.keys() - {"gauges.py"} == plain.keys()
            text = "\n".join(files.values())
            for name, module in files.items():
                compile(module, f"seed-{seed}-{name}", "exec")
            assert (
                _defined(files["program.py"]) - MANAGING == _defined(plain["program.py"]) - MANAGING
            )
            found = re.findall(shape, text, re.MULTILINE)
            shown += bool(found)
            forms |= set(found)
    assert shown >= 30 if drawn not in ("class_state", "instance_state") else shown >= 20
    assert len(forms) >= 2


def _unstacked(block: re.Match) -> str:
    """An exit stack's block entering its manager first, as a block of the manager."""
    entered = "async with" if block[4].startswith("await") else "with"
    return f"{block[1]}{entered} {block[5]}:\n"


@pytest.mark.parametrize("drawn", ["managers", "made", "async_managers"])
def test_exit_stacks_enter_the_drawn_manager_in_some_of_its_blocks(drawn):
    """``exit_stacks`` turns some blocks of the drawn manager into an exit stack's block
    entering it first (``with contextlib.ExitStack() as stack:`` then
    ``stack.enter_context(GAUGE)``, or ``async with contextlib.AsyncExitStack() as stack:``
    in a coroutine; ``await stack.enter_async_context(AGAUGE)`` for an ``async with``
    manager): the rest of the program is the one drawn without it; with no manager it
    changes nothing."""
    stacked, forms = 0, set()
    stack = re.compile(
        r"^( *)(async )?with contextlib\.(Async)?ExitStack\(\) as stack:\n"
        r"\1    (await stack\.enter_async_context|stack\.enter_context)\((.+)\)\n",
        re.MULTILINE,
    )
    for seed in range(40):
        for modules in (1, 2):
            plain = generate(seed, modules, **{drawn: True}).files()
            files = generate(seed, modules, exit_stacks=True, **{drawn: True}).files()
            assert (
                generate(seed, modules, exit_stacks=True).files() == generate(seed, modules).files()
            )
            assert files.keys() == plain.keys()
            for name, text in files.items():
                compile(text, f"seed-{seed}-{name}", "exec")
                undone = stack.sub(_unstacked, text)
                assert undone.replace("import contextlib\n", "") == plain[name].replace(
                    "import contextlib\n", ""
                )
                stacked += bool(stack.search(text))
                forms |= {(m[2], m[4]) for m in stack.finditer(text)}
    assert stacked >= 20
    assert len(forms) == (1 if drawn == "async_managers" else 2)


def _restacked(text: str) -> str:
    """A program's exit stacks' entries made in another form (``stack_forms``) as calls."""
    text = re.sub(r"^( *)if i >= 0:\n\1    (.*stack\.enter)", r"\1\2", text, flags=re.MULTILINE)
    for holder, named in (
        ("stack", "held"),
        (r"\[stack\]", r"held\[0\]"),
        ('{"s": stack}', 'held\\["s"\\]'),
    ):
        text = re.sub(
            rf"^( *)held = {holder}\n\1(.*){named}\.", r"\1\2stack.", text, flags=re.MULTILINE
        )
    bound = r"^( *)enter = (stack\.enter_\w+)\n\1(await )?enter\("
    return re.sub(bound, r"\1\3\2(", text, flags=re.MULTILINE)


@pytest.mark.parametrize("drawn", ["managers", "made", "async_managers"])
def test_stack_forms_make_some_entries_nested_or_through_another_name(drawn):
    """``stack_forms`` makes some exit stacks' entries in a nested statement (``if i >=
    0:``), through another name of the stack (``held = stack``) or its bound method
    (``enter = stack.enter_context``): undone, the program is the one drawn without it;
    without ``exit_stacks`` it changes nothing."""
    forms = collections.Counter()
    for seed in range(40):
        for modules in (1, 2):
            plain = generate(seed, modules, exit_stacks=True, **{drawn: True}).files()
            files = generate(seed, modules, exit_stacks=True, stack_forms=True, **{drawn: True})
            alone = generate(seed, modules, stack_forms=True, **{drawn: True}).files()
            assert alone == generate(seed, modules, **{drawn: True}).files()
            for name, text in files.files().items():
                compile(text, f"seed-{seed}-{name}", "exec")
                assert _restacked(text) == plain[name]
                forms["nested"] += len(re.findall(r"if i >= 0:\n\s+(await )?stack\.", text))
                forms["alias"] += text.count("held = stack\n")
                forms["bound"] += text.count("enter = stack.enter_")
    assert min(forms.values()) >= 5 and len(forms) == 3


@pytest.mark.parametrize("drawn", ["managers", "async_managers"])
def test_stack_held_makes_some_entries_through_a_list_or_a_dict_holding_the_stack(drawn):
    """``stack_held`` (with ``stack_forms``) also makes some entries through a list or a dict
    holding the stack (``held = [stack]``, ``held[0].enter_context(...)``; ``held = {"s":
    stack}``): undone, the program is the one drawn with exit stacks alone; without
    ``stack_forms`` it changes nothing."""
    forms = collections.Counter()
    for seed in range(40):
        for modules in (1, 2):
            plain = generate(seed, modules, exit_stacks=True, **{drawn: True}).files()
            files = generate(
                seed, modules, exit_stacks=True, stack_forms=True, stack_held=True, **{drawn: True}
            ).files()
            alone = generate(seed, modules, exit_stacks=True, stack_held=True, **{drawn: True})
            assert alone.files() == plain
            for name, text in files.items():
                compile(text, f"seed-{seed}-{name}", "exec")
                assert _restacked(text) == plain[name]
                forms["listed"] += text.count("held = [stack]\n")
                forms["keyed"] += text.count('held = {"s": stack}\n')
    assert min(forms.values()) >= 5 and len(forms) == 2


def _run_once(files: dict[str, str], work: Path, runs: int = 1, seed: int = 0) -> list[str]:
    """The outcomes of ``runs`` runs of a program (its modules by file name), by ``fuzz_run``
    (the first run's ``seed``)."""
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text)
    command = [sys.executable, str(BENCH / "fuzz_run.py"), str(work / "program.py")]
    command += [str(work / "runs"), "--runs", str(runs), "--seed", str(seed)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_turns_await_coroutines_that_take_no_lock_in_blocks_of_the_lock(tmp_path):
    """``turns`` adds to tasks and coroutines blocks of the lock awaiting a coroutine, some
    followed at once by another block of it, and with methods hands some programs' lock to
    ``Service`` from its maker (``Service(asyncio.Lock())``): the seed's functions stay, and
    no block of the lock runs a coroutine that takes it again (not reentrant, it would wait
    on itself): each program runs to its end."""
    forms = collections.Counter()
    awaited = re.compile(
        r"^( *)async with (\S*)(LOCK|lock):\n(?:\1    .*\n)*?\1    out\.extend\(await ",
        re.MULTILINE,
    )
    for seed in range(30):
        for modules in (1, 2):
            plain = generate(seed, modules).files()
            files = generate(seed, modules, turns=True).files()
            text = "\n".join(files.values())
            assert _defined(text) >= _defined("\n".join(plain.values()))
            forms["awaited"] += bool(awaited.search(text))
            forms["again"] += bool(
                re.search(r"\n( *)async with (\S+):\n(\1    .*\n)+\1async with \2:", text)
            )
            forms["handed"] += "def __init__(self, lock):" in text
            work = tmp_path / f"{seed}-{modules}"
            work.mkdir()
            assert len(_run_once(files, work)) == 1
    assert forms["awaited"] == 60 and min(forms.values()) >= 5


def test_chains_use_a_database_client_of_the_program_s_own_site_packages(tmp_path):
    """``chains`` puts among the steps uses of a database client, a stand-in for pymongo that
    the program's ``site-packages`` holds (a handle one call makes and its command, cursors,
    a count then an insert): ``deblock check`` finds them (DBK503), and the programs run,
    leaving the collection's file beside the run's directory, which the program lists
    (seed 263480's listings held it), in the outcome's ``server``, removed after the run."""
    found = 0
    for seed in range(6):
        files = generate(seed, chains=True).files()
        assert "site-packages/pymongo/__init__.py" in files
        work = tmp_path / str(seed)
        work.mkdir()
        ran = ast.literal_eval(_run_once(files, work)[0])
        assert "app.users.json" not in repr((ran["results"], ran["files"]))
        assert "app.users.json" in ran.get("server", {}) or "find" in files["program.py"]
        assert list((work / "runs").iterdir()) == []
        check = [sys.executable, "-m", "deblock", "check", "--no-cache", "--format", "json"]
        done = subprocess.run([*check, str(work)], capture_output=True, text=True, timeout=120)
        found += sum(f["code"] == "DBK503" for f in json.loads(done.stdout))
    assert found >= 6


def _findings(work: Path) -> list[dict]:
    """``deblock check``'s findings in the program under ``work`` (JSON)."""
    check = [sys.executable, "-m", "deblock", "check", "--no-cache", "--format", "json"]
    done = subprocess.run([*check, str(work)], capture_output=True, text=True, timeout=120)
    return json.loads(done.stdout)


def test_archives_open_zip_archives_over_files_and_over_in_memory_buffers(tmp_path):
    """``archives`` puts among the steps ``zipfile.ZipFile`` opened over ``box.zip`` (which
    ``setup`` makes) and over ``io.BytesIO`` buffers, drawn apart: the seed's functions stay.
    ``deblock check`` finds the archives opened over the file and none over a buffer, and
    the programs run, leaving the archive's entries with their fixed date."""
    forms, opened = collections.Counter(), {"file": set(), "buffer": set()}
    for seed in range(12):
        plain = generate(seed).files()
        files = generate(seed, archives=True).files()
        assert _defined(files["program.py"]) == _defined(plain["program.py"])
        text = files["program.py"]
        forms["file"] += 'zipfile.ZipFile(os.path.join(root, "box.zip")' in text
        forms["buffer"] += "zipfile.ZipFile(io.BytesIO(data))" in text
        forms["buffer"] += "zipfile.ZipFile(buf," in text
        work = tmp_path / str(seed)
        work.mkdir()
        outcome = _run_once(files, work)[0]
        assert "'box.zip': 'PK" in outcome and "Error" not in outcome
        for line, finding in ((text.splitlines()[f["line"] - 1], f) for f in _findings(work)):
            if "zipfile.ZipFile(" in line:
                kind = "buffer" if "io.BytesIO" in line or "(buf," in line else "file"
                opened[kind].add((seed, finding["line"]))
    assert min(forms.values()) >= 3
    assert len(opened["file"]) >= 5 and not opened["buffer"]


def test_drivers_share_a_db_api_connection_of_the_program_s_own_site_packages(tmp_path):
    """``drivers`` gives programs a DB-API driver of their ``site-packages``, a stand-in for
    PyMySQL (threadsafety 1) or oracledb (2), and puts among the steps uses of a connection
    the functions share (``DB``, ``self.db``) or make: ``deblock check`` finds them (DBK503),
    and the programs run, leaving the table's rows beside the run's directory, which the
    program lists (seeds 323023 and 332992 listed it), in the outcome's ``server``; two
    threads sending on one PyMySQL connection at once break it, on an oracledb one the
    second waits."""
    drivers, found = collections.Counter(), 0
    for seed in range(8):
        program = generate(seed, drivers=True)
        files = program.files()
        drivers[program.driver] += 1
        assert f"site-packages/{program.driver}/__init__.py" in files
        work = tmp_path / str(seed)
        work.mkdir()
        outcome = _run_once(files, work)[0]
        assert "Error" not in outcome
        ran = ast.literal_eval(outcome)
        assert "rows.json" not in repr((ran["results"], ran["files"]))
        assert "rows.json" in ran.get("server", {}) or '"insert"' not in files["program.py"]
        found += sum(f["code"] == "DBK503" for f in _findings(work))
    assert found >= 8 and set(drivers) == {"pymysql", "oracledb"}
    shared = {}
    site = tmp_path / "site-packages"
    for name in fuzz_drivers.NAMES:
        (site / name).mkdir(parents=True)
        (site / name / "__init__.py").write_text(fuzz_drivers.source(name))
        probe = [sys.executable, str(FIXTURES / "drivers" / "send_at_once.py"), str(site)]
        done = subprocess.run([*probe, name, str(tmp_path)], capture_output=True, text=True)
        shared[name] = done.stdout.split()
    assert shared["oracledb"] == ["2", "0"]
    assert shared["pymysql"][0] == "1" and int(shared["pymysql"][1]) >= 1


def test_proxies_call_a_stand_in_xmlrpc_server_proxy_of_the_program_s_own_site_packages(
    tmp_path,
):
    """``proxies`` gives programs a stand-in ``xmlrpc.client`` of their ``site-packages``
    (ahead of the standard library's) and puts among the steps calls through a
    ``ServerProxy`` the functions share (``DB``, ``self.db``) or make, and ``MultiCall``s:
    ``deblock check`` finds them (DBK505), and the programs run, leaving the server's values
    beside the run's directory, in the outcome's ``server``; two threads calling at once
    through one proxy break it, through proxies of their own they do not."""
    found = 0
    for seed in range(6):
        program = generate(seed, proxies=True)
        files = program.files()
        assert program.driver == "xmlrpc.client" and "site-packages/xmlrpc/client.py" in files
        work = tmp_path / str(seed)
        work.mkdir()
        outcome = _run_once(files, work)[0]
        assert "Error" not in outcome and "Request-sent" not in outcome
        ran = ast.literal_eval(outcome)
        assert "values.json" not in repr((ran["results"], ran["files"]))
        assert "values.json" in ran["server"]
        found += sum(f["code"] == "DBK505" for f in _findings(work))
    assert found >= 6
    site = tmp_path / "site-packages"
    for path, text in fuzz_proxies.packages(fuzz_proxies.NAME).items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    probe = [sys.executable, str(FIXTURES / "proxies" / "call_at_once.py"), str(site)]
    data = str(tmp_path / "data")  # the values lie beside it, in the test's directory
    done = subprocess.run([*probe, data], capture_output=True, text=True, timeout=60)
    shared, own = map(int, done.stdout.split())
    assert shared >= 1 and own == 0


def _ranks_kept(outcome: str) -> bool:
    """Whether a run of ``fixtures/zero_order`` (``fuzz_run``'s outcome) put its calls in
    ``ORDER`` as in ``TAKEN``."""
    state = ast.literal_eval(outcome)["state"]
    return state["order"] == state["taken"]


def test_zero_sleeps_resume_tasks_in_the_order_they_slept_where_the_program_says_so(tmp_path):
    """asyncio's ready queue runs first in, first out: tasks come back from ``await
    asyncio.sleep(0)`` in the order they slept, which the analyzer counts on. A program
    setting ``ZERO_SLEEPS_IN_ORDER`` (``zero_order``) runs so under ``fuzz_run``: every run of
    ``fixtures/zero_order`` keeps its calls' order, while its fix as main makes it (the even
    places' sleep awaited: a timer) and the program without the setting (each ready task
    picked freely) do not. The fixed program breaks the order on asyncio's own loop too."""
    original = (FIXTURES / "zero_order" / "program.py").read_text()
    programs = {
        "ordered": original,
        "swapped": original.replace("time.sleep(0.001)", "await asyncio.sleep(0.001)"),
        "free": original.replace("ORDER = True", "ORDER = False"),
    }
    runs = {
        name: _run_once({"program.py": text}, tmp_path / name, runs=40)
        for name, text in programs.items()
    }
    assert all(map(_ranks_kept, runs["ordered"]))
    assert not all(map(_ranks_kept, runs["swapped"]))
    assert not all(map(_ranks_kept, runs["free"]))
    real = "import asyncio, program; print(repr({'state': asyncio.run(program.main(0))[1]}))"
    done = subprocess.run(
        [sys.executable, "-c", real], cwd=tmp_path / "swapped", capture_output=True, text=True
    )
    assert not _ranks_kept(done.stdout), done.stderr


# ``zero_order``'s piece: a blocking step on even places only, then what follows it
TAKEN = r"if k % 2 == 0:\n *time\.sleep\(0\.001\)\n *"


def test_zero_order_puts_pieces_showing_the_order_of_zero_sleeps(tmp_path):
    """``zero_order`` sets ``ZERO_SLEEPS_IN_ORDER`` in ``program.py`` and puts a call's place
    taken, a sleep on even places and a zero sleep among the steps, in one body or with the
    sleep first in a coroutine the next step awaits; the programs run to their end."""
    forms = collections.Counter()
    for seed in range(30):
        assert "ZERO_SLEEPS_IN_ORDER" not in generate(seed).files()["program.py"]
        files = generate(seed, zero_order=True).files()
        text = files["program.py"]
        assert "ZERO_SLEEPS_IN_ORDER = True" in text
        for form, after in (("body", r"await asyncio\.sleep\(0\)\n"), ("callee", r"out\.extend")):
            forms[form] += len(re.findall(TAKEN + after, text))
        if seed < 6:
            work = tmp_path / str(seed)
            work.mkdir()
            assert "Error" not in _run_once(files, work)[0]
    assert min(forms.values()) >= 3 and len(forms) == 2


def test_relayed_blocks_get_the_lock_from_a_getter_returning_another_module_s_getter(tmp_path):
    """``relayed`` makes every block of the lock take it from ``lock_for()``, a getter of
    its module returning ``locks.lock_for("lock")`` (``locks.py`` keeps the lock by key): as
    many blocks as the program had, each module using them defining the getter; the
    programs run to their end."""
    relayed = 0
    for seed in range(30):
        for modules in (1, 2):
            plain = "\n".join(generate(seed, modules).files().values())
            files = generate(seed, modules, relayed=True).files()
            blocks = sum(text.count("async with lock_for():") for text in files.values())
            assert blocks == len(re.findall(r"async with (self\.lock|(helpers\.)?LOCK):", plain))
            for text in files.values():
                assert ("lock_for()" in text) == ("def lock_for():" in text)
            relayed += blocks > 0
            assert (blocks > 0) == ("locks.py" in files)
            if blocks and seed < 8:
                work = tmp_path / f"{seed}-{modules}"
                work.mkdir()
                assert "Error" not in _run_once(files, work)[0]
    assert relayed >= 10


def _proxy_uses(files: dict[str, str]) -> int:
    """How many times the program's modules use the proxy their functions share."""
    text = "\n".join(t for name, t in files.items() if not name.startswith("site-packages"))
    return text.count("DB.") + text.count("self.db.")


def test_ssh_steps_make_clients_of_their_own_whose_commands_reach_the_proxies_server(tmp_path):
    """``ssh`` gives ``proxies``' programs (the same uses of the shared proxy) steps making
    SSH clients of their own, a stand-in paramiko's in ``site-packages``: ``deblock check``
    finds their connects, commands and reads (DBK505), and the programs run, the commands'
    inserts joining the proxies' in the server's values."""
    found = 0
    for seed in range(6):
        files = generate(seed, ssh=True).files()
        assert "site-packages/paramiko/__init__.py" in files
        assert files["program.py"].count("paramiko.SSHClient()") >= 2
        assert _proxy_uses(files) == _proxy_uses(generate(seed, proxies=True).files())
        work = tmp_path / str(seed)
        work.mkdir()
        ran = ast.literal_eval(_run_once(files, work)[0])
        assert "Error" not in repr(ran["results"]) and "values.json" in ran["server"]
        lines = files["program.py"].splitlines()
        for finding in _findings(work):
            line = lines[finding["line"] - 1] if finding["path"].endswith("program.py") else ""
            found += finding["code"] == "DBK505" and ("ssh." in line or "stdout." in line)
    assert found >= 12


def test_brokers_hand_kafka_and_pika_clients_to_sync_helpers_and_make_them_there(tmp_path):
    """``brokers`` gives ``proxies``' programs (the same uses of the shared proxy) stand-ins
    for kafka-python and pika in ``site-packages``, a producer and a channel shared in
    ``program.py`` or ``brokers.py`` beside sync helpers handed a client or making one, and
    steps calling them: ``deblock check`` finds the calls of the helpers making a client
    (DBK801), and the programs
    run, the records and messages joining the proxies' values on the server. Two threads
    publishing through one pika channel at once break it; through their own, or sending
    through one Kafka producer, they do not."""
    homes, found = set(), 0
    for seed in range(8):
        modules = 1 + seed % 2
        files = generate(seed, modules, brokers=True).files()
        assert {"site-packages/kafka/__init__.py", "site-packages/pika/__init__.py"} <= {*files}
        proxied = generate(seed, modules, proxies=True).files()
        assert _proxy_uses(files) == _proxy_uses(proxied)
        home = "brokers.py" if "brokers.py" in files else "program.py"
        homes.add(home)
        assert "def send_count(producer, n):" in files[home]
        assert "def count_records():" in files[home]
        work = tmp_path / str(seed)
        work.mkdir()
        ran = ast.literal_eval(_run_once(files, work)[0])
        assert "Error" not in repr(ran["results"]) and "values.json" in ran["server"]
        for finding in _findings(work):
            line = files[Path(finding["path"]).name].splitlines()[finding["line"] - 1]
            made = "count_records()" in line or "publish_own(" in line
            found += finding["code"] == "DBK801" and made
    assert homes == {"brokers.py", "program.py"} and found >= 8
    packages = {**fuzz_brokers.PACKAGES, **fuzz_proxies.packages(fuzz_proxies.NAME)}
    for path, text in packages.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    probe = [sys.executable, str(FIXTURES / "brokers" / "send_at_once.py")]
    probe += [str(tmp_path / "site-packages"), str(tmp_path / "data")]
    done = subprocess.run(probe, capture_output=True, text=True, timeout=60)
    shared, own, producer = map(int, done.stdout.split())
    assert shared >= 1 and own == producer == 0


def test_handed_methods_make_tally_change_the_object_by_another_module_s_method(tmp_path):
    """``handed_methods`` draws ``objects``' programs with ``tally``, in ``program.py``,
    calling ``add`` on the object it is handed (``ledgers.py``'s class's method, changing
    ``self.count``) in place of writing its count, and calls of it more often: the seed's
    other functions stay, the programs run, and the calls move the count on."""
    called = moved = 0
    for seed in range(8):
        files = generate(seed, handed_methods=True).files()
        plain = generate(seed, objects=True).files()
        main = files["program.py"]
        assert "def tally(ledger" in main and "\n    ledger.add()\n" in main
        assert "def add(self):" in files["ledgers.py"] or "class Sub(ledgers.Base)" in main
        handed = {"look", "peek_of", "tally"}
        assert _defined(main) - handed == _defined(plain["program.py"]) - handed
        work = tmp_path / str(seed)
        work.mkdir()
        ran = ast.literal_eval(_run_once(files, work)[0])
        assert "Error" not in repr(ran["results"])
        called += main.count("tally(") > 1  # beside its definition
        moved += ran["state"]["ledger"] > 0
    assert called >= 6 and moved >= 4


def test_foreign_state_is_another_module_s_reached_in_every_form(tmp_path):
    """``foreign_state`` puts among the seed's steps (its functions stay) steps reading,
    blocking, then writing ``store.py``'s state, reached in each of ``fuzz_foreign.FORMS``
    (through a package re-exporting it too) or through ``ops.py``'s helpers, and ``main``
    returns that state: the programs run, and each run imports the state afresh, a
    package's too: a process's second run ends as that run alone does."""
    forms = set()
    for seed in range(16):
        program = generate(seed, foreign_state=True)
        files = program.files()
        forms.add(program.foreign)
        assert _defined(files["program.py"]) == _defined(generate(seed).files()["program.py"])
        assert "ops.py" in files and "{st}" not in files["program.py"]
        (tmp_path / f"{seed}-2").mkdir()
        (tmp_path / f"{seed}-1").mkdir()
        first, second = _run_once(files, tmp_path / f"{seed}-2", runs=2)
        assert _run_once(files, tmp_path / f"{seed}-1", seed=1) == [second]
        for ran in map(ast.literal_eval, (first, second)):
            assert "Error" not in repr(ran["results"]) and "foreign" in ran["state"]
    assert forms == set(fuzz_foreign.FORMS)


def test_readers_and_aliases_reach_that_state_through_a_read_only_module_and_other_names(
    tmp_path,
):
    """``readers`` and ``aliases`` give the seed's program ``store.py``'s state without
    ``foreign_state``'s steps (its functions stay): steps reading it through ``peek.py``,
    which only reads it (imported whole or by name, from a package too), or writing it
    through another name of it and ``hands.py``'s helpers; the programs run and the steps
    move the state on."""
    reads, moved, aliased = set(), 0, 0
    for seed in range(12):
        program = generate(seed, readers=True, aliases=True)
        files = program.files()
        reads.add((program.reader, program.foreign.startswith("package")))
        assert _defined(files["program.py"]) == _defined(generate(seed).files()["program.py"])
        assert "peek." in files["program.py"] and "hands.py" in files
        aliased += "hands." in files["program.py"]
        assert "=" not in files["peek.py"].partition("def ")[2]  # it only reads
        work = tmp_path / str(seed)
        work.mkdir()
        ran = ast.literal_eval(_run_once(files, work)[0])
        assert "Error" not in repr(ran["results"])
        items, _, count, _ = ran["state"]["foreign"]
        moved += bool(items) and count > 0
    assert {reader for reader, _ in reads} == set(fuzz_foreign.READER_FORMS) and len(reads) > 2
    assert moved >= 6 and aliased >= 6


def test_lock_locals_take_some_blocks_of_a_lock_through_a_local_bound_to_it(tmp_path):
    """``lock_locals`` makes some blocks of the program's locks take it through a local bound
    to it first (``lock = self.lock``, ``sem = SEM``), and changes nothing else (the local
    undone); with ``turns`` too, the programs run to their end."""
    forms = collections.Counter()
    bound = re.compile(r"^( *)(lock|sem|limit) = (\S+)\n\1async with \2:$", re.MULTILINE)
    for seed in range(40):
        for modules in (1, 2):
            flags = {"turns": True, "semaphores": seed % 2 == 0, "limits": seed % 3 == 0}
            plain = generate(seed, modules, **flags).files()
            files = generate(seed, modules, lock_locals=True, **flags).files()
            assert files.keys() == plain.keys()
            for name, text in files.items():
                forms.update(m[3] for m in bound.finditer(text))
                assert bound.sub(r"\1async with \3:", text) == plain[name]
            if seed < 10:
                work = tmp_path / f"{seed}-{modules}"
                work.mkdir()
                assert len(_run_once(files, work)) == 1
    assert {"LOCK", "self.lock", "SEM", "LIMIT"} <= set(forms)


def test_kin_makes_the_shared_object_a_subclass_of_another_module_s_base(tmp_path):
    """``kin`` (with ``objects``) makes the shared object a ``Sub`` of ``program.py`` whose
    base, ``ledgers.Base``, makes and reads the count that ``Sub``'s methods write; the
    parameters annotated name ``Base``. The seed's functions stay, and the programs run."""
    forms = collections.Counter()
    for seed in range(60):
        for modules in (1, 2):
            plain = generate(seed, modules, objects=True).files()
            files = generate(seed, modules, objects=True, kin=True).files()
            assert files.keys() == plain.keys()
            main, ledgers = files["program.py"], files["ledgers.py"]
            assert _defined(main) == _defined(plain["program.py"]) | {"bump", "add"}
            assert "class Sub(ledgers.Base):" in main and "class Sub" not in ledgers
            assert "self.count = 0" in ledgers and "self.count += 1" not in ledgers
            forms["global"] += "LEDGER = Sub()" in main
            forms["attr"] += "self.ledger = Sub()" in main
            forms["annotated"] += "ledger: ledgers.Base" in main or "ledger: Base" in ledgers
            if seed < 6:
                work = tmp_path / f"{seed}-{modules}"
                work.mkdir()
                assert "Error" not in _run_once(files, work)[0]
    assert min(forms.values()) >= 3 and len(forms) == 3


def test_shelves_open_shelve_and_dbm_databases_over_one_file(tmp_path):
    """``shelves`` puts among the steps ``shelve.open`` and ``dbm.open`` over ``shelf`` (which
    ``setup`` makes), in ``with`` blocks, with none, and kept open across an await, drawn
    apart: the seed's functions stay. ``deblock check`` finds the openings, and the programs
    run, leaving the shelf's files."""
    forms, found = collections.Counter(), set()
    for seed in range(12):
        plain = generate(seed).files()
        files = generate(seed, shelves=True).files()
        assert _defined(files["program.py"]) == _defined(plain["program.py"])
        text = files["program.py"]
        forms["with"] += 'with shelve.open(os.path.join(root, "shelf")) as db:' in text
        forms["dbm"] += 'with dbm.open(os.path.join(root, "shelf"), "c") as db:' in text
        forms["kept"] += 'db = shelve.open(os.path.join(root, "shelf"))' in text
        work = tmp_path / str(seed)
        work.mkdir()
        outcome = _run_once(files, work)[0]
        assert "'shelf" in outcome and "Error" not in outcome
        lines = text.splitlines()
        found |= {(seed, f["line"]) for f in _findings(work) if ".open(" in lines[f["line"] - 1]}
    assert min(forms.values()) >= 2
    assert len(found) >= 5


def test_sessions_enter_sessions_of_an_orm_of_the_program_s_own_site_packages(tmp_path):
    """``sessions`` puts among the steps sessions of a stand-in for SQLAlchemy's ORM (the
    program's ``site-packages``) entered by ``with``, some with ``session.begin()``, and in
    tasks and coroutines rows read before an await, drawn apart: the seed's functions stay.
    ``deblock check`` finds them (DBK604), and the programs run, leaving the committed rows."""
    forms, found = collections.Counter(), set()
    for seed in range(12):
        plain = generate(seed).files()
        files = generate(seed, sessions=True).files()
        assert _defined(files["program.py"]) == _defined(plain["program.py"])
        assert "site-packages/sqlalchemy/orm/__init__.py" in files
        text = files["program.py"]
        forms["with"] += 'with Session(create_engine("json://")) as session:' in text
        forms["begin"] += "as session, session.begin():" in text
        forms["later"] += 'session = Session(create_engine("json://"))' in text
        work = tmp_path / str(seed)
        work.mkdir()
        outcome = _run_once(files, work)[0]
        assert "'orm.json'" in outcome and "Error" not in outcome
        found |= {(seed, f["line"]) for f in _findings(work) if f["code"] == "DBK604"}
    assert min(forms.values()) >= 2
    assert len(found) >= 10


def test_environ_sets_an_environment_variable_in_setup_and_changes_nothing_else():
    """``environ`` adds ``os.environ["FUZZ_ROOT"] = root`` at the end of ``setup`` (as
    ``chains`` names the database client's directory); the rest is the seed's program."""
    line = '    os.environ["FUZZ_ROOT"] = root\n'
    for seed in range(20):
        for modules in (1, 2):
            plain = generate(seed, modules).files()
            files = generate(seed, modules, environ=True).files()
            assert files["program.py"].count(line) == 1
            assert files["program.py"].replace(line, "") == plain["program.py"]
            assert {n: t for n, t in files.items() if n != "program.py"} == {
                n: t for n, t in plain.items() if n != "program.py"
            }


def test_supers_define_some_methods_in_a_base_class_overridden_through_super():
    """``supers`` defines some of the methods ``program.py`` holds (not the tasks) in ``Base``,
    each overridden in ``Service(Base)`` by a call of ``super()``'s, maybe with reads of the
    count around it; the functions keep their names, and programs without methods are the
    seed's."""
    forms = collections.Counter()
    for seed in range(200):
        for modules in (1, 2):
            plain = generate(seed, modules).files()
            program = generate(seed, modules, supers=True)
            files = program.files()
            assert files.keys() == plain.keys()
            if not program.methods or not program.based:
                assert files == plain
                continue
            main = files["program.py"]
            compile(main, f"seed-{seed}", "exec")
            assert "class Service(Base):" in main and _defined(main) == _defined(
                plain["program.py"]
            )
            for name, around in program.based.items():
                call = rf"(await )?super\(\)\.{name}\(root, i\)"
                shape = (
                    rf"seen = .*\n +out = {call}\n +out\.append\(.* - seen\)" if around else call
                )
                assert re.search(rf"def {name}\(self, root, i\):\n +(return )?{shape}", main)
                forms["around" if around else "plain"] += 1
    assert min(forms.values()) >= 5 and len(forms) == 2


def test_carried_loops_write_later_what_a_blocking_step_before_reads():
    """``carried`` adds to some tasks and coroutines loops (``for j in range(2):``) whose last
    step writes what their first, blocking, step reads (a file, the listing, the count handed
    to a call, the log's length); without the loops the program is the seed's."""
    kinds = collections.Counter()
    loop = re.compile(r"^( *)for j in range\(2\):\n((?:\1    .*\n)+)", re.MULTILINE)
    for seed in range(80):
        for modules in (1, 2):
            plain = generate(seed, modules).files()
            files = generate(seed, modules, carried=True).files()
            assert files.keys() == plain.keys()
            for name, text in files.items():
                compile(text, f"seed-{seed}-{name}", "exec")
                added = [m for m in loop.finditer(text) if m[0] not in plain[name]]
                for match in added:
                    body = match[2]
                    kinds["file"] += 'f.write(f"{i}{j}' in body
                    kinds["listing"] += "turn-{i}-{j}.txt" in body
                    kinds["count"] += "write_text(str(" in body
                    kinds["log"] += "time.sleep(0.001)" in body and ".append(i)" in body
    assert min(kinds.values()) >= 5 and len(kinds) == 4


def test_limits_hold_runs_of_task_steps_in_a_semaphore_of_two():
    """``limits`` puts runs of some tasks' top-level steps in blocks of ``LIMIT``, an
    ``asyncio.Semaphore(2)``, and changes nothing else (the block undone)."""
    held = 0
    for seed in range(40):
        for modules in (1, 2):
            plain = generate(seed, modules).files()
            files = generate(seed, modules, limits=True).files()
            assert files.keys() == plain.keys()
            for name, text in files.items():
                compile(text, f"seed-{seed}-{name}", "exec")
            text = files["program.py"]
            held += bool(re.search(r"async with (helpers\.|self\.)?(LIMIT|limit):", text))
            assert _defined(text) == _defined(plain["program.py"])
            assert "Semaphore(3)" not in text
    assert held >= 30


def test_semaphores_never_nest_a_block_of_sem_in_itself():
    """A step in two blocks of ``SEM`` (a semaphore of one) would wait on itself."""
    for seed in range(200):
        for modules in (1, 2):
            text = "\n".join(generate(seed, modules, semaphores=True).files().values())
            assert not re.search(r"async with (\S*)(SEM|sem):\n\s*async with \1\2:", text)


def test_each_run_of_a_two_module_program_imports_its_helpers_module_afresh(tmp_path):
    """Three runs in one process give what three processes give, run by run (same seeds,
    same schedules): the helpers module's globals start anew each run."""
    seed = next(
        s for s in range(100) if "COUNT = 0" in generate(s, modules=2).files().get("helpers.py", "")
    )
    for name, text in generate(seed, modules=2).files().items():
        (tmp_path / name).write_text(text)

    def runs(count: int, first: int) -> list[str]:
        command = [sys.executable, str(BENCH / "fuzz_run.py"), str(tmp_path / "program.py")]
        command += [str(tmp_path / f"runs-{count}-{first}"), "--runs", str(count)]
        done = subprocess.run([*command, "--seed", str(first)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    assert runs(3, 0) == [outcome for k in range(3) for outcome in runs(1, k)]


class _RacedQueue(collections.deque):
    """A loop's queue of ready callbacks into which another thread's ``call_soon_threadsafe``
    appends ``late`` right after the loop begins to take them: at its first ``popleft``, or
    as it clears the queue it copied."""

    late: asyncio.Handle | None = None

    def _arrive(self) -> None:
        if self.late is not None:
            late, self.late = self.late, None
            self.append(late)

    def popleft(self):
        taken = super().popleft()
        self._arrive()
        return taken

    def clear(self) -> None:
        self._arrive()
        super().clear()


def test_a_callback_a_worker_thread_hands_the_shuffled_loop_meanwhile_runs():
    """Seed 88368 (two modules): once, the fixed program's 40 runs did not end within 120 s.
    ``ShuffledLoop`` copied its ready callbacks and then cleared its queue: a worker thread's
    callback appended between the two (a ``to_thread`` job's result) was lost, and its task
    never resumed. With a sleep put between them, 2 of 2 sets of 40 runs of the fixed
    program hung; the original, which uses no threads, never."""
    from fuzz_run import ShuffledLoop

    loop = ShuffledLoop(random.Random(0), ranked=False)
    ran: list[str] = []

    def run(name: str) -> None:
        ran.append(name)
        if len(ran) == 2:
            loop.stop()

    loop._ready = _RacedQueue()
    loop._ready.late = asyncio.Handle(run, ("late",), loop)
    loop.call_soon(run, "first")
    loop.call_later(5, loop.stop)  # a lost callback: the loop would wait for ever
    try:
        loop.run_forever()
    finally:
        loop.close()
    assert sorted(ran) == ["first", "late"]


def test_safe_fixes_of_the_seeds_programs_keep_their_outcomes():
    status, report = _fuzz(*SEEDS)
    assert report["counterexamples"] == [], report
    assert status == 0
    assert report["fixed"] >= 8  # the seeds' programs do get fixed


def test_safe_fixes_of_two_module_programs_keep_their_outcomes():
    """Seeds 480 and 501 were counterexamples: another module's helper removing a flag after a
    coroutine's tail, and one bumping ``self.count`` while a section did. Seed 489's thread
    section after a zero sleep is declined since thread39: on asyncio's loop the calls reach
    it in the order they came, and its threads take the lock in any order."""
    status, report = _fuzz("--start", "480", "--seeds", "22", "--modules", "2")
    assert report["counterexamples"] == [], report
    assert status == 0
    assert report["fixed"] >= 2


@pytest.mark.parametrize("modules", ["1", "2"])
def test_a_section_sharing_state_with_a_section_left_on_the_loop_keeps_its_outcomes(modules):
    """Seed 20363 was a counterexample: a section appending to ``self.log`` moved into a
    thread under the module's lock while another on the same list, declined by the project
    pass, stayed on the loop: two entries counted the same length. With two modules the
    coroutines take the object as a parameter (``self.log`` of a parameter ``self``), and
    the other section is declined for the file system another module's fixes share."""
    status, report = _fuzz("--start", "20363", "--seeds", "1", "--modules", modules)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_a_write_at_the_end_of_a_lock_before_another_module_s_helper_keeps_its_outcomes():
    """Seed 60283 (two modules) was a counterexample: a file written at the end of an
    ``async with`` on an ``asyncio.Lock``, then a sleep and another module's helper
    appending to its own log. The write's and the sleep's fixes let the calls append in
    another order than they wrote: the helper's write of its global was unknown to the
    project pass, and the end of the lock's body was not joined with what follows it."""
    status, report = _fuzz("--start", "60283", "--seeds", "1", "--modules", "2", runs=40)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_an_outcome_outside_is_confirmed_by_rounds_of_runs_while_it_stays_outside(tmp_path):
    """Seed 60164's fix (two modules: a check and a rename moved into a thread after an
    awaited call) let the third task rename the file though it logged last: an
    interleaving of the original's three tasks that ~0.6 % of its runs reach. One round of
    ten times more runs of the original missed it, and the fuzzer reported a counterexample;
    now rounds go on while an outcome stays outside. The original's runs are the same for
    the same seeds, so each round must run new ones. ``fixtures/rare_order``'s outcomes
    depend on the scheduler's seeded picks alone: which orders the first round misses and
    the later rounds find is the same in every run of the test (with seed 60164's program,
    whose runs make files, a run that failed, a timeout under load, read as no outcome)."""
    from fix_fuzz import CONFIRM, CONFIRM_LONGER, CONFIRM_ROUNDS, Verdict, _confirmed, _run

    (tmp_path / "original").mkdir()
    program, runs = tmp_path / "original" / "program.py", 40
    program.write_text((FIXTURES / "rare_order" / "program.py").read_text())
    original, error = _run(program, tmp_path / "runs", runs, 0)
    assert not error and _run(program, tmp_path / "runs", runs, 0) == (original, "")
    more, error = _run(program, tmp_path / "runs", CONFIRM * runs * CONFIRM_ROUNDS, runs)
    assert not error
    # one round goes on while the original's set is not known, up to CONFIRM_LONGER rounds
    known = {*original, *more[: CONFIRM * runs * CONFIRM_LONGER]}
    rare = [o for o in dict.fromkeys(more) if o not in known]
    assert rare  # what one round and those after it miss and all the rounds find
    references = [(program, ())]
    assert _confirmed(Verdict(0, True), rare, original, references, runs, 1) == rare
    assert not _confirmed(Verdict(0, True), rare, original, references, runs, CONFIRM_ROUNDS)


def test_a_confirming_round_that_fails_leaves_no_counterexample(tmp_path):
    """Seed 148095 (``--objects``) was reported a counterexample with outcomes its original
    has: under load a round of 400 confirming runs of the original did not end within the
    timeout, was read as no outcome, and so as a last round finding nothing new. A round
    that fails now leaves the original's outcomes not all known: inconclusive."""
    from fix_fuzz import Verdict, _confirmed, _run

    (tmp_path / "original").mkdir()
    program = tmp_path / "original" / "program.py"
    program.write_text((FIXTURES / "failing_rounds" / "program.py").read_text())
    original, error = _run(program, tmp_path / "runs", 40, 0)
    assert not error
    verdict = Verdict(0, True, set(original))
    outside = ["an outcome the original's runs never had"]
    verdict.outside = _confirmed(verdict, outside, original, [(program, ())], 40, 2)
    assert verdict.outside == outside
    assert not verdict.counterexample


@pytest.mark.timeout(900)
def test_confirming_rounds_go_on_while_an_outcome_of_the_original_was_found_once():
    """Seed 320686 (``--modules 2``) was reported a counterexample with an outcome its
    original has: ten rounds of 400 runs ended with one finding nothing new, while four of
    the original's 107 outcomes had been found once only, and the fixed program's outcome
    came at the original's 6,072nd run. Rounds now go on while an outcome was found once
    (16 rounds; the runs make files and a database: in RAM where there is some)."""
    from fix_fuzz import CONFIRM_ROUNDS, Verdict, _confirmed, _run, _work_base

    with tempfile.TemporaryDirectory(dir=_work_base()) as tmp:
        (Path(tmp) / "original").mkdir()
        for name in ("program.py", "helpers.py"):
            text = (FIXTURES / "long_tail" / name).read_text()
            (Path(tmp) / "original" / name).write_text(text)
        program = Path(tmp) / "original" / "program.py"
        original, error = _run(program, Path(tmp) / "runs", 40, 0)
        assert not error
        verdict = Verdict(0, True, set(original))
        outside = [(FIXTURES / "long_tail" / "outcome.txt").read_text().strip()]
        references = [(program, ())]
        verdict.outside = _confirmed(verdict, outside, original, references, 40, CONFIRM_ROUNDS)
    assert verdict.outside == []
    assert not verdict.counterexample


def test_a_bound_method_of_an_exit_stack_enters_its_manager():
    """Seed 170444 (``--stack-forms``) was a counterexample: ``enter =
    stack.enter_context; enter(busy())`` in a coroutine's ``AsyncExitStack`` block, then a
    child process run in a thread: the other calls read ``ACTIVE`` 1 and 2."""
    flags = ("--managers", "--exit-stacks", "--stack-forms")
    status, report = _fuzz("--start", "170444", "--seeds", "1", *flags)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_a_method_only_a_subclass_defines_is_called_duck_typed():
    """Seed 195349 (``--supers``) was a counterexample: ``Base.coroutine_0`` awaits
    ``self.coroutine_1(...)``, which only ``Service`` defines, between reads of the count
    (through ``super()``); the child process of ``coroutine_1`` ran in a thread."""
    status, report = _fuzz("--start", "195349", "--seeds", "1", "--supers")
    assert report["counterexamples"] == [], report
    assert status == 0


@pytest.mark.parametrize("seed", ["195625", "196125", "225281"])
def test_a_base_s_state_and_lock_order_hold_across_super(seed):
    """Seeds 195625 and 225281 (``--supers``) were counterexamples: a base's method wrote
    ``self.log`` (through an override's ``super()`` call; or read and wrote ``self.count``
    in a section while the subclass's code wrote it on the loop), which were not the
    subclass's state. Seed 196125: a sleep in ``async with self.lock:`` in a ``try`` whose
    ``finally`` takes the lock again across awaits, which its swap let other tasks take
    first."""
    status, report = _fuzz("--start", seed, "--seeds", "1", "--supers")
    assert report["counterexamples"] == [], report
    assert status == 0


def test_a_sync_method_s_writes_through_super_keep_a_section_beside_them_on_the_loop():
    """Seed 253100 (``--supers``) was a counterexample: a task's section lists the folder,
    bumps ``self.count`` and makes a folder, then calls ``self.helper_0``, whose override
    calls ``super().helper_0``, which writes ``self.table``; the section moved into a thread,
    and the table's order parted from the sections'. A sync method's effects stopped at its
    own body."""
    status, report = _fuzz("--start", "253100", "--seeds", "1", "--supers", runs=40)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_a_helper_s_call_left_reported_is_no_claimed_fix_blocking_on_the_loop():
    """Seed 167976 (``--blockbuster``) was a false counterexample: blockbuster stopped a task
    at a helper's ``time.sleep(0.001)``, reached through ``self.helper_0(...)``, still
    reported (unsafe only); a ``time.sleep(0.001)`` of the coroutine itself, the same text,
    was fixed, and the line was taken for it."""
    flags = ("--blockbuster", "--async-managers", "--semaphores")
    status, report = _fuzz("--start", "167976", "--seeds", "1", *flags, runs=10)
    assert report["counterexamples"] == [], report
    assert report["fixed"] == 1 and status == 0


def test_the_end_of_a_finally_and_an_awaited_callee_keep_their_order():
    """Seed 40108 was a counterexample: a log's append at the end of a ``finally``, then an
    await of a coroutine that never suspends and reads then writes ``self.table`` around an
    ``os.path.exists``: on the loop the two run with no task between, so the log and the
    table list the tasks in one order; the section moved into a thread split them."""
    status, report = _fuzz("--start", "40108", "--seeds", "1")
    assert report["counterexamples"] == [], report
    assert status == 0


@pytest.mark.parametrize("modules", ["1", "2"])
def test_a_callee_s_tail_and_the_caller_s_append_past_a_lock_keep_their_order(modules):
    """Seed 40070: a coroutine that sleeps and then writes ``self.table``, awaited; then an
    ``async with self.lock`` whose body sleeps; then a file append. The table write and the
    lock's request run as one, and the lock hands itself on in the order it was asked, its
    release and the append run as one: the table and the file list the tasks in one order.
    The append moved into a thread let the threads write in another. With two modules the
    coroutine is another module's, handed the instance as a parameter (``self.table`` of a
    parameter ``self``): its write is the caller's ``self.table``."""
    status, report = _fuzz("--start", "40070", "--seeds", "1", "--modules", modules)
    assert report["counterexamples"] == [], report
    assert status == 0


@pytest.mark.parametrize("seed", ["80494", "80953"])
def test_what_runs_before_a_lock_and_its_body_s_start_keep_their_order(seed):
    """Seeds 80494 and 80953 were counterexamples: a file appended to (80494) or listed and
    removed from (80953) right before an ``async with`` on an ``asyncio.Lock`` whose body
    renames it (or writes ``self.table``), the lock held across a sleep elsewhere. A task
    finding the lock free takes it without suspending: the file's change and the body's run
    as one, or in the order the tasks asked. Moved into a thread, the change came between
    another task's two."""
    status, report = _fuzz("--start", seed, "--seeds", "1", runs=40)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_a_callee_s_tail_and_its_caller_s_read_of_the_instance_it_was_handed_keep_their_order():
    """Seed 81251 (two modules) was a counterexample: another module's coroutine, handed the
    instance, reads and writes ``self.count`` around a file's removal after its last
    suspension, and its caller reads ``self.count`` right after the await: on the loop each
    caller reads its own count. The tail moved into a thread let both threads count before
    either caller read."""
    status, report = _fuzz("--start", "81251", "--seeds", "1", "--modules", "2", runs=40)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_a_section_on_the_count_of_a_handed_instance_loses_no_update_its_caller_makes():
    """Seed 30299 (two modules) was a counterexample: another module's coroutine, handed the
    instance, reads ``self.count``, appends to a file and writes the count back before its
    first suspension, while its caller's class bumps ``self.count`` on the loop. The
    callee's section moved into a thread let a bump come between its read and its write,
    and the bump was lost (in about half the runs of 40; in 4 of 4 runs of 100)."""
    status, report = _fuzz("--start", "30299", "--seeds", "1", "--modules", "2", runs=100)
    assert report["counterexamples"] == [], report
    assert status == 0


@pytest.mark.parametrize("modules", ["1", "2"])
def test_a_write_at_the_end_of_another_module_s_lock_and_a_rename_after_it_keep_their_order(
    modules,
):
    """Seed 30005 was a counterexample: a file written at the end of an ``async with`` on an
    ``asyncio.Lock``, then a sleep, then a check and a rename of the file. Leaving the lock
    does not suspend: the write, the sleep and the rename run as one, and each task renames
    its own write. The sleep's ``asyncio.sleep`` let another task write between. With two
    modules the lock is another module's (``async with helpers.LOCK:``), which the module
    alone does not know for an ``asyncio.Lock``."""
    status, report = _fuzz("--start", "30005", "--seeds", "1", "--modules", modules, runs=40)
    assert report["counterexamples"] == [], report
    assert status == 0


@pytest.mark.parametrize("seed", ["85168", "86031"])
def test_another_module_s_lock_no_holder_waits_on_keeps_its_callers_whole(seed):
    """Seeds 85168 and 86031 (two modules) were counterexamples: ``async with helpers.LOCK``,
    whose body never suspends, between a listing (or another module's counter) and a
    rename (or a table written after it). On the loop each call runs whole; a subprocess in
    the body (or the rename after it) moved into a thread let the other call in between.
    Another module's lock is now known as an ``asyncio.Lock``, with the runs around it joined."""
    status, report = _fuzz("--start", seed, "--seeds", "1", "--modules", "2", runs=40)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_a_read_right_after_a_lock_whose_body_ends_with_its_await_keeps_what_the_holder_left():
    """Seed 87004 was a counterexample: ``async with self.lock:`` whose body appends to
    ``self.log`` and ends with an await, then a subprocess and ``len(self.log)``. No other
    holder appends while a task holds the lock, and releasing it does not suspend: the read
    sees the log as the holder left it. The subprocess awaited in a thread let the next
    holder append first: the body's last run, before its await, was not joined with the
    run after the lock."""
    status, report = _fuzz("--start", "87004", "--seeds", "1", runs=40)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_a_callee_that_never_suspends_awaited_twice_by_a_loop_keeps_its_rounds_whole():
    """Seed 88671 (two modules) was a counterexample: another module's coroutine that never
    suspends (a check, a read and an append to its ``LOG``), awaited twice by a ``for`` loop.
    On the loop a call's two appends run with no other call between; the fix that made the
    callee suspend let other calls append between them. An await in a loop's rounds now
    comes again after itself."""
    status, report = _fuzz("--start", "88671", "--seeds", "1", "--modules", "2", runs=40)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_a_callee_that_never_suspends_awaited_in_a_loop_s_rounds_keeps_its_two_reads_whole():
    """Seed 250898 (``--instance-state``) was a counterexample: a loop awaits in each of its
    two rounds a coroutine that lists the folder and never suspends, while another task
    renames a file; the fix ran the listing in a thread, and the rename came between the
    rounds' listings. One statement in a loop's rounds was not taken to read twice."""
    status, report = _fuzz("--start", "250898", "--seeds", "1", "--instance-state", runs=40)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_a_read_of_another_module_s_object_and_a_callee_changing_it_stay_together():
    """Seed 109175 (``--objects --modules 2``) was a counterexample: a task reads
    ``LEDGER.count`` (``from ledgers import LEDGER``), runs a child process and awaits
    ``helpers.coroutine_0``, which calls ``LEDGER.add()`` and never suspends. On the loop a
    task's read and its callee's add run as one, so the two tasks read 0 and 1; the child
    process awaited in a thread let both read 0. A coroutine awaited only from another
    module now records what it touches, and the caller's runs what it reads of other
    modules' globals."""
    args = ("--start", "109175", "--seeds", "1", "--modules", "2", "--objects")
    status, report = _fuzz(*args, runs=40)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_two_listings_around_another_module_s_coroutine_that_never_suspends_stay_together():
    """Seed 91139 (two modules) was a counterexample: a caller lists a folder right after
    awaiting another module's coroutine that lists it and runs a child process, never
    suspending, while another task removes a file. On the loop the two listings always
    agreed; the child process awaited in a thread let the removal in between. Two reads of a
    resource the project's blocking calls write now count across such an await."""
    status, report = _fuzz("--start", "91139", "--seeds", "1", "--modules", "2", runs=40)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_two_reads_of_a_handed_object_s_count_around_a_child_process_stay_together():
    """Seed 115685 (``--objects --writes --modules 2``) was a counterexample: ``peek_of``,
    handed ``ledgers.LEDGER``, reads ``ledger.count``, runs a child process and reads it
    again, never suspending, while other tasks' ``bump`` and ``helper_0`` move the count on.
    On the loop the two reads agree; the child process awaited in a thread let other calls
    move it on between. Two reads of a parameter's attribute now count: against the
    module's writes of that attribute (``tally``) and other modules' of instances'."""
    args = ("--start", "115685", "--seeds", "1", "--modules", "2", "--objects", "--writes")
    status, report = _fuzz(*args, runs=40)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_a_block_of_a_manager_counting_calls_stays_on_the_loop():
    """Seed 120481 (``--managers``) was a counterexample: ``with GAUGE:`` (whose
    ``__enter__`` and ``__exit__`` move ``GAUGE.active``) around a database's insert, moved
    whole into a worker thread by a section; tasks read the count on the loop and saw a
    call in progress, which on the loop none ever does. A fix in such a block, a section
    moving all of it too, is now declined."""
    status, report = _fuzz("--start", "120481", "--seeds", "1", "--managers", runs=40)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_a_block_of_another_module_s_manager_counting_calls_stays_on_the_loop():
    """Seed 122618 (``--managers --modules 2``) was a counterexample: ``with gauges.GAUGE:``
    (whose ``__enter__`` and ``__exit__``, in ``gauges.py``, move ``GAUGE.active``) around a
    child process whose fix ran it in a thread; tasks read the count on the loop and saw a
    call in progress. The module weighed only the managers it defines; the project pass
    now weighs another module's too."""
    args = ("--start", "122618", "--seeds", "1", "--managers", "--modules", "2")
    status, report = _fuzz(*args, runs=40)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_a_fix_inside_another_module_s_lock_no_holder_waits_on_is_declined():
    """Seed 119727 (``--objects``, two modules) was a counterexample: inside ``async with
    helpers.LOCK:`` (no module's holder waits on it) a helper's count moved on and a sleep,
    then ``helpers.coroutine_1`` moved it on again without suspending. On the loop the two
    moves ran as one; the sleep's await in the lock let a reader between them. The project
    pass now tells a module which of another's locks no holder waits on."""
    status, report = _fuzz(
        "--start", "119727", "--seeds", "1", "--objects", "--modules", "2", runs=40
    )
    assert report["counterexamples"] == [], report
    assert status == 0


def test_a_callee_s_tail_read_and_its_caller_s_read_of_another_stay_together():
    """Seed 121601 (``--objects --writes``) was a counterexample: ``coroutine_0``, after its
    last suspension, lists a folder (a lazy ``os.scandir`` iterated) and sleeps by
    ``time.sleep``; its caller then reads ``COUNT``. Other tasks make a folder there
    (``LEDGER.peek``) and move ``COUNT`` on, never suspending. On the loop the listing and
    the read agree; the sleep's fix let the others in between (a listing without the folder,
    the count moved on). Two reads of two things other code writes now count."""
    args = ("--start", "121601", "--seeds", "1", "--objects", "--writes")
    status, report = _fuzz(*args, runs=40)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_a_callee_s_tail_and_its_caller_s_read_of_two_states_others_write_stay_together():
    """Seed 121601 (``--objects --writes --modules 2``) was a counterexample: ``task_1``
    awaits ``helpers.coroutine_0``, whose statements after its last suspension list the
    directory (which ``peek`` writes) and sleep, then reads ``helpers.COUNT`` (which
    ``task_0`` moves on). On the loop the listing and the read see one moment; the sleep's
    await let both other tasks in between. A caller's run reading two states that other
    code writes is now torn, the callee's state named as the caller names it."""
    args = ("--start", "121601", "--seeds", "1", "--modules", "2", "--objects", "--writes")
    status, report = _fuzz(*args, runs=40)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_a_block_of_an_async_manager_counting_calls_stays_on_the_loop():
    """Seed 130015 (``--async-managers``) was a counterexample: ``async with AGAUGE:`` (whose
    ``__aenter__`` and ``__aexit__`` move ``AGAUGE.active`` and never suspend) around a
    ``time.sleep`` whose fix awaited; tasks read the count on the loop and saw a call in
    progress, which on the loop none ever does. Only ``with`` blocks were weighed."""
    status, report = _fuzz("--start", "130015", "--seeds", "1", "--async-managers", runs=40)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_a_lock_whose_holders_enter_only_a_free_semaphore_is_free_itself():
    """Seed 131284 (``--semaphores``) was a counterexample: ``async with LOCK:`` (a semaphore
    of one) around a ``time.sleep`` and a listing, the lock's other holder entering ``SEM``
    (a semaphore no holder waits in) in its body. The inner ``async with`` made the lock one
    a holder waits in; the sleep's await in it let another task's removals in between."""
    status, report = _fuzz("--start", "131284", "--seeds", "1", "--semaphores", runs=40)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_cancelled_programs_are_the_seed_s_with_main_waiting_for_the_threads():
    """``cancel=True`` adds one line to ``main`` and draws nothing: every other line is the
    seed's."""
    settle = "    await asyncio.get_running_loop().shutdown_default_executor()"
    for seed in range(40):
        for modules in (1, 2):
            plain, cancelled = (
                generate(seed, modules).files(),
                generate(seed, modules, cancel=True).files(),
            )
            assert plain.keys() == cancelled.keys()
            lines = cancelled["program.py"].splitlines()
            assert lines.count(settle) == 1
            lines.remove(settle)
            assert lines == plain["program.py"].splitlines()
            assert {n: t for n, t in cancelled.items() if n != "program.py"} == {
                n: t for n, t in plain.items() if n != "program.py"
            }


def test_a_block_entering_a_counting_manager_through_an_exit_stack_stays_on_the_loop():
    """Seed 152427 (``--managers --exit-stacks``) was a counterexample: ``with
    contextlib.ExitStack() as stack:``, ``stack.enter_context(GAUGE)`` (whose ``__enter__``
    and ``__exit__`` move ``GAUGE.active``), then a child process whose fix ran it in a
    thread; tasks read the count on the loop and saw a call in progress. Only a ``with``
    block's own items were weighed as managers entered."""
    args = ("--start", "152427", "--seeds", "1", "--managers", "--exit-stacks")
    status, report = _fuzz(*args, runs=40)
    assert report["counterexamples"] == [], report
    assert status == 0


def test_a_section_closing_a_handle_and_binding_its_name_again_reads_the_coroutine_s():
    """Seed 322021 (``--archives``) was a counterexample: ``box = zipfile.ZipFile(...)`` in
    one section, then after an await ``box.close()`` and ``with zipfile.ZipFile(...) as box:``
    in another; the second helper took ``box`` for a handle of its own, unbound at the
    close, and every call raised ``UnboundLocalError``."""
    status, report = _fuzz("--start", "322021", "--seeds", "1", "--archives", runs=20)
    assert report["fixed"] == 1 and report["counterexamples"] == [], report
    assert status == 0


@pytest.mark.parametrize(
    ("calls", "step", "first", "last"),
    [({0}, 1, [], [0] * 4), ({0, 1}, 0, [2] * 4, [])],
)
def test_a_holding_loop_runs_the_other_calls_while_it_holds_some_back(calls, step, first, last):
    """Seed 463048 (``--handles --objects --writes``) stayed inconclusive after rounds of
    the original's runs: its fixed outcomes outside came from a call left behind at an await
    while the others ran on, a schedule its runs seldom drew. ``Holding`` (``fuzz_run
    --hold``) holds the calls back after their ``step``-th step (0: before their first)
    while another callback is ready: here for good, so the others' entries come first."""
    from fuzz_run import Holding, _load

    program = _load(FIXTURES / "held_back" / "program.py", 0)
    for seed in range(5):
        program.LOG.clear()
        here = FIXTURES / "held_back"
        at = dict.fromkeys(calls, {step})
        loop = Holding(random.Random(seed), seed % 2 == 1, here, at, (10**6,))
        try:
            loop.run_until_complete(program.main(""))
        finally:
            loop.close()
        log = program.LOG
        assert log[: len(first)] == first and log[len(log) - len(last) :] == last
        assert sorted(log) == [0] * 4 + [1] * 4 + [2] * 4


@pytest.mark.parametrize("held", [False, True])
def test_rounds_holding_the_original_where_the_fix_added_awaits_settle_what_it_reaches(held):
    """Seeds 463048, 483127 and 493201 stayed inconclusive: their fixed outcomes outside
    came from a call left behind at an await a fix added while the others ran on, which the
    original allows and its free runs seldom draw. ``fixtures/held_at_added``'s fix turns
    call 0's ``time.sleep`` after its await into an awaited ``asyncio.sleep``: calls 1 and 2
    append first. Rounds of free runs of the original never reach that order and take it
    for a counterexample; every second round now holds call 0 after the steps where the
    fixed program waits at the added await (``fuzz_run --added``, ``--hold-at``), and
    finds it."""
    from fix_fuzz import judge

    program = (FIXTURES / "held_at_added" / "program.py").read_text()
    verdict = judge(0, {"program.py": program}, 10, False, rounds=2, held=held)
    late = [o for o in verdict.outside if "'order': [1, 2, 0]" in o or "'order': [2, 1, 0]" in o]
    assert verdict.fixed
    if held:
        assert verdict.outside == [] and not verdict.counterexample
    else:
        assert late and verdict.counterexample
