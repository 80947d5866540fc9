"""Runtime proof for a fix given back at a project boundary
(``tests/deblock/project/fixtures/state_boundaries``): ``notes``' program reads its
parameter before a sleep and after it; ``tally``'s ``bump`` changes an object on the event
loop, but no process of either project loads both. Fixed in one run over the two, as in a
run over ``notes`` alone, its 20 concurrent calls on a busy thread pool (``runtime_harness``)
return what the original's do and leave the same files."""

import shutil
from pathlib import Path

from runtime_harness import run_project, tree

PROJECTS = Path(__file__).parents[1] / "project" / "fixtures" / "state_boundaries"


def test_a_fix_given_back_at_a_project_boundary_behaves_as_the_original(deblock, tmp_path):
    original, fixed = tmp_path / "original", tmp_path / "fixed"
    shutil.copytree(PROJECTS, original)
    shutil.copytree(PROJECTS, fixed)
    program = fixed / "notes" / "program.py"
    done = deblock("fix", "--no-cache", ".", cwd=fixed)
    assert done.returncode == 0, done.stdout + done.stderr  # every finding fixed
    assert "asyncio.to_thread(" in program.read_text()
    expected = run_project(original / "notes", tmp_path / "original-run")
    actual = run_project(fixed / "notes", tmp_path / "fixed-run", "--blockbuster")
    assert actual == expected
    assert tree(tmp_path / "fixed-run") == tree(tmp_path / "original-run")
