"""Lone tests: the lines of the coroutines pytest runs one at a time, and only as tests."""

import ast
from pathlib import Path

import pytest

from deblock.analysis.lone_tests import in_lines, lone_test_lines
from deblock.analysis.walker import walk_module

CASE = Path(__file__).parent / "fixtures" / "cases" / "lone_tests.py"
SOURCE = CASE.read_text()


def _lines(path: str):
    tree = ast.parse(SOURCE)
    return lone_test_lines(tree, path, SOURCE, walk_module(tree, "tests.test_cases").functions)


def _marked(mark: str) -> list[int]:
    return [n for n, text in enumerate(SOURCE.splitlines(), 1) if text.endswith(f"# {mark}")]


@pytest.mark.parametrize("mark", ["own", "beside"])
def test_only_the_own_statements_of_lone_tests_are_their_lines(mark):
    lines = _lines("tests/test_cases.py")
    assert _marked(mark)
    assert all(in_lines(line, lines) == (mark == "own") for line in _marked(mark))


def test_a_module_pytest_collects_no_tests_from_has_none():
    assert _lines("tests/cases.py") == ()
