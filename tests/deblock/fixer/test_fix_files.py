"""Reading and writing fixed modules: encoding, BOM, newlines, mode, atomic replace."""

from __future__ import annotations

import os
import signal
import stat
import tempfile

import pytest

from deblock.fixer.files import SourceFile
from deblock.source import SourceError

# The file's bytes, and its bytes after ``z = 'ü'`` is appended by the fixer.
CASES = {
    "crlf": (b"x = 1\r\n", b"x = 1\r\nz = '\xc3\xbc'\r\n"),
    "cr": (b"x = 1\r", b"x = 1\rz = '\xc3\xbc'\r"),
    "bom": (b"\xef\xbb\xbfx = 1\n", b"\xef\xbb\xbfx = 1\nz = '\xc3\xbc'\n"),
    "latin1": (b"# coding: latin-1\nx = '\xe9'\n", b"# coding: latin-1\nx = '\xe9'\nz = '\xfc'\n"),
}


@pytest.mark.parametrize("name", CASES)
def test_rewriting_keeps_encoding_bom_newlines_and_mode(tmp_path, name):
    before, after = CASES[name]
    path = tmp_path / "module.py"
    path.write_bytes(before)
    path.chmod(0o750)
    source = SourceFile.read(str(path))
    assert "\r" not in source.text and "\ufeff" not in source.text
    source.write(source.text + "z = 'ü'\n")
    assert path.read_bytes() == after
    assert stat.S_IMODE(path.stat().st_mode) == 0o750
    assert os.listdir(tmp_path) == ["module.py"]


def test_mixed_line_endings_are_not_fixed(tmp_path):
    path = tmp_path / "mixed.py"
    path.write_bytes(b"x = 1\ny = 2\r\n")
    with pytest.raises(SourceError, match="mixed line endings"):
        SourceFile.read(str(path))


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "module.py"
    path.write_bytes(b"old = 1\n")
    source = SourceFile.read(str(path))

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        source.write("new = 2\n")
    assert path.read_bytes() == b"old = 1\n"
    assert os.listdir(tmp_path) == ["module.py"]


def test_ctrl_c_as_the_temporary_is_created_waits_for_the_new_file(
    tmp_path, monkeypatch, python_sigint
):
    """SIGINT delivered as soon as the temporary exists, before any name is bound to it:
    the write ends, the new file in place and no temporary left, then Ctrl-C is raised."""
    path = tmp_path / "module.py"
    path.write_bytes(b"old = 1\n")
    source = SourceFile.read(str(path))
    real_mkstemp = tempfile.mkstemp

    def interrupted(*args, **kwargs):
        made = real_mkstemp(*args, **kwargs)
        signal.raise_signal(signal.SIGINT)
        return made

    monkeypatch.setattr(tempfile, "mkstemp", interrupted)
    with pytest.raises(KeyboardInterrupt):
        source.write("new = 2\n")
    assert path.read_bytes() == b"new = 2\n"
    assert os.listdir(tmp_path) == ["module.py"]
