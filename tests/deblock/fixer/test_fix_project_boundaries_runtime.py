"""Runtime proof for fixes given back at a project boundary
(``tests/deblock/project/fixtures``): ``notes``' program reads its parameter before a sleep
and after it, and ``tally``'s ``bump`` changes an object on the event loop
(``state_boundaries``); ``reader``'s duck-typed ``await counter.peek(...)`` would run
``ledger``'s ``peek`` (``duck_boundaries``); ``books``' ``box.log.write`` would run
``keeper``'s ``Journal.write`` (``sync_duck_boundaries``); ``brokered`` holds a call on a
pika channel on the loop, beside ``taker``'s thread section (``held_boundaries``);
``keeper``'s program reads its ``store``'s global around a sleep, or moves it with a file's
read, and the other project loads ``store`` and writes it on the loop
(``name_pairs/state_apart``, ``section_apart``); but no process of either pair loads both.
Fixed in one run over a pair, as in a run over the first alone, the first's 20 concurrent
calls on a busy thread pool (``runtime_harness``) return what the original's do and leave
the same files."""

import shutil
from pathlib import Path

import pytest
from runtime_harness import run_project, tree

FIXTURES = Path(__file__).parents[1] / "project" / "fixtures"


@pytest.mark.parametrize(
    ("projects", "fixed_one"),
    [
        ("state_boundaries", "notes"),
        ("duck_boundaries", "ledger"),
        ("sync_duck_boundaries", "books"),
        ("held_boundaries", "taker"),
        ("name_pairs/state_apart", "keeper"),
        ("name_pairs/section_apart", "keeper"),
    ],
)
def test_a_fix_given_back_at_a_project_boundary_behaves_as_the_original(
    deblock, tmp_path, projects, fixed_one
):
    original, fixed = tmp_path / "original", tmp_path / "fixed"
    shutil.copytree(FIXTURES / projects, original)
    shutil.copytree(FIXTURES / projects, fixed)
    program = fixed / fixed_one / "program.py"
    done = deblock("fix", "--no-cache", ".", cwd=fixed)
    left = [line for line in done.stdout.splitlines() if line.startswith(f"{fixed_one}/")]
    assert done.returncode in (0, 1) and not left, done.stdout + done.stderr  # all fixed
    assert program.read_text() != (original / fixed_one / "program.py").read_text()
    expected = run_project(original / fixed_one, tmp_path / "original-run")
    actual = run_project(fixed / fixed_one, tmp_path / "fixed-run", "--blockbuster")
    assert actual == expected
    assert tree(tmp_path / "fixed-run") == tree(tmp_path / "original-run")
