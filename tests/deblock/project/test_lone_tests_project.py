"""pytest runs one test at a time: a call one test leaves on the event loop (a project
helper's, a ``while`` test's) declines no fix of another test's calls on the file system,
in the module's own analysis or across modules; a helper coroutine's, which may run beside
any test, still declines every fix of the module, and so does a project helper's inside a
section, which would ride into its thread (``fixtures/lone_tests``: ``# moves`` marks
the lines whose calls get a safe fix, ``# stays`` those whose calls stay on the loop)."""

import shutil
from pathlib import Path

import pytest

from deblock.config import load_settings
from deblock.runner import analyze_paths

PROJECT = Path(__file__).parent / "fixtures" / "lone_tests"
MODULES = (
    "tests/test_lone_notes.py",
    "tests/test_lone_saves.py",
    "tests/test_lone_helpers.py",
    "tests/test_lone_carried.py",
)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    project = tmp_path_factory.mktemp("lone") / "project"
    shutil.copytree(PROJECT, project)
    return analyze_paths([str(project)], load_settings([str(project)]), jobs=1).files, project


def _marked(module: str, mark: str) -> list[int]:
    lines = (PROJECT / module).read_text().splitlines()
    return [number for number, text in enumerate(lines, 1) if text.endswith(f"# {mark}")]


def _found(files, module: str) -> dict[int, list]:
    found, project = files
    by_line: dict[int, list] = {}
    for finding in found[str(project / module)]:
        by_line.setdefault(finding.line, []).append(finding)
    return by_line


@pytest.mark.parametrize("module", MODULES)
def test_the_calls_of_lone_tests_move_beside_what_other_tests_leave_on_the_loop(files, module):
    by_line = _found(files, module)
    assert set(by_line) == set(_marked(module, "moves")) | set(_marked(module, "stays"))
    for line in _marked(module, "moves"):
        for finding in by_line[line]:
            assert finding.strategy == "thread-section" and finding.declined is None, finding
    for line in _marked(module, "stays"):
        assert not any(f.strategy for f in by_line[line]), by_line[line]


def test_a_helper_s_call_on_the_loop_still_declines_a_test_s_fix(files):
    module = "tests/test_lone_helpers.py"
    polled = _marked(module, "stays")[0]
    (written,) = _found(files, module)[_marked(module, "stays")[-1]]
    assert written.unsafe_strategy == "thread-section"
    assert written.declined == (
        f"line {polled} touches the file system too and stays on the event loop, where the "
        "lock that serialises the threads does not reach"
    )
