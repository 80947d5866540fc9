"""Another module's writes of a standard stream decline a section that writes it in a
thread whatever name the writer knows the stream by (``analysis.standard_streams``: ``from
sys import stderr``, an alias, ``sys.__stderr__``, ``import sys as system``, a name bound to
one or the other), and only its writes: a look (``isatty()``) or a function's own ``sys``
writes none. Each ``writers`` module says which streams it writes (``WRITES``)."""

import ast
import shutil
from pathlib import Path

import pytest

from deblock.config import load_settings
from deblock.runner import analyze_paths

STREAM_NAMES = Path(__file__).parent / "fixtures" / "stream_names"
WRITERS = sorted((STREAM_NAMES / "writers").glob("*.py"))


def _writes(writer: Path) -> set[str]:
    """The streams ``writer`` says it writes (its ``WRITES``)."""
    (value,) = [
        node.value
        for node in ast.parse(writer.read_text()).body
        if node.__class__ is ast.Assign and node.targets[0].id == "WRITES"
    ]
    return set(ast.literal_eval(value))


@pytest.mark.parametrize("writer", WRITERS, ids=lambda p: p.stem)
def test_a_stream_written_by_any_name_declines_another_module_s_section_on_it(tmp_path, writer):
    shutil.copy(STREAM_NAMES / "program.py", tmp_path)
    shutil.copy(writer, tmp_path / "chatter.py")
    files = analyze_paths([str(tmp_path)], load_settings([str(tmp_path)]), jobs=1).files
    found = files[str(tmp_path / "program.py")]
    assert found
    named = {f.declined.split("`")[1] for f in found if f.declined and "`chatter" in f.declined}
    assert named == {f"sys.{stream}" for stream in _writes(writer)}
    assert all(f.strategy for f in found) == (not named)
