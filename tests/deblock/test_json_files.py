"""Cache files: written atomically as compact JSON, whatever their size."""

from __future__ import annotations

import errno
import json
import os

import pytest

from deblock.json_files import append, lines_of, write_json


def test_a_file_written_is_the_compact_json_of_its_data(tmp_path):
    data = {"b": [1, {"é": None}], "a": 'x"y', "": {}}
    many = {f"/file{n}.py": [n, None] for n in range(600)}  # written a few hundred at a time
    for value in (data, {}, [data], "text", many):
        write_json(tmp_path / "f.json", value)
        written = (tmp_path / "f.json").read_text(encoding="utf-8")
        assert written == json.dumps(value, separators=(",", ":"))


def test_appended_lines_are_read_back_and_a_missing_file_has_none(tmp_path):
    journal = tmp_path / "journal"
    assert lines_of(journal) == []
    assert append(journal, b"one\n") and append(journal, b"two\n")
    assert lines_of(journal) == [b"one", b"two"]
    assert not append(tmp_path / "no such directory" / "journal", b"x\n")


def test_interrupted_or_failing_writes_leave_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    """Ctrl-C lands anywhere, here as soon as the temporary exists (before ``open`` returns
    its descriptor); a full disk fails the write: neither leaves a temporary behind."""
    target = tmp_path / "f.json"
    write_json(target, {"old": 1})
    real_open = os.open

    def interrupted(*args):
        real_open(*args)
        raise KeyboardInterrupt

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "open", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_json(target, {"new": 2})
    monkeypatch.setattr(os, "open", real_open)
    monkeypatch.setattr(os, "replace", full)
    write_json(target, {"new": 2})  # a cache that cannot be written is no error
    assert json.loads(target.read_text()) == {"old": 1}
    assert os.listdir(tmp_path) == ["f.json"]
