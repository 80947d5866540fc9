"""Gitignore-style patterns: the joined pre-filter never changes pathspec's answer."""

from __future__ import annotations

import pathspec
import pytest

from deblock.path_patterns import PathPatterns

LINES = [
    "# a comment",
    "",
    "*.pyc",
    "build/",
    "/dist",
    "docs/**/generated",
    "!docs/**/generated/keep.py",
    "tests/**/fixtures",
    "[Tt]emp?.py",
    "a\\ b.py",
    "!important.pyc",
]
PATHS = [
    "x.pyc",
    "important.pyc",
    "pkg/important.pyc",
    "build/",
    "pkg/build/",
    "pkg/build/x.py",
    "dist",
    "pkg/dist",
    "docs/api/generated/",
    "docs/api/generated/x.py",
    "docs/api/generated/keep.py",
    "tests/unit/fixtures/",
    "tests/fixtures/",
    "temp1.py",
    "Temp2.py",
    "temp12.py",
    "a b.py",
    "src/app/main.py",
    "./build/",
]


@pytest.mark.parametrize("path", PATHS)
def test_the_same_answer_as_pathspec(path):
    expected = pathspec.GitIgnoreSpec.from_lines(LINES).match_file(path)
    assert PathPatterns(LINES).match(path) is expected


def test_what_matches_and_what_a_negation_takes_back():
    patterns = PathPatterns(LINES)
    assert patterns.match("pkg/build/")
    assert patterns.match("docs/api/generated/x.py")
    assert not patterns.match("docs/api/generated/keep.py")
    assert not patterns.match("src/app/main.py")


def test_only_comments_and_blank_lines_match_nothing():
    assert not PathPatterns(["# nothing", ""]).match("anything.py")
