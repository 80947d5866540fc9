"""Judges forked apart share the outcomes of the modules they summarise: one makes, the
others read, and the run reports what one process judging every namespace reports."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path

from deblock.analysis import AnalysisOptions
from deblock.file_check import check_bytes
from deblock.project.shared_outcomes import shared_outcomes

SHARED_JUDGES = Path(__file__).parent / "fixtures" / "shared_judges"
KIT = "shared_judges/kit/kit/__init__.py"


def check(cwd: Path, jobs: int, temp: Path) -> list[dict]:
    (cwd / "empty.toml").touch()
    run = subprocess.run(
        [sys.executable, "-m", "deblock", "check", "--format", "json", "--no-cache"]
        + ["--config", "empty.toml", "--jobs", str(jobs), "shared_judges"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "TMPDIR": str(temp)},
    )
    assert run.returncode == 1, run.stderr
    return json.loads(run.stdout)


def test_judges_forked_apart_report_what_one_process_reports(tmp_path):
    """Both projects bear ``app``: each is a namespace with kit's module pending in it, so
    two forked judges both need its summary."""
    shutil.copytree(SHARED_JUDGES, tmp_path / "shared_judges")
    temp = tmp_path / "temp"
    temp.mkdir()
    forked = check(tmp_path, 2, temp)
    assert forked == check(tmp_path, 1, temp)
    assert {(f["path"], f["line"]) for f in forked} == {
        ("shared_judges/one/app/handlers.py", 7),
        ("shared_judges/two/app/handlers.py", 7),
    }
    assert all(KIT in f["message"] for f in forked)
    assert not any(temp.iterdir())  # the run's directory of outcomes is gone


def _made_and_kept(shared, path: str, data: bytes) -> None:
    shared.put(path, data, check_bytes(data, path, AnalysisOptions(), summarise=True))


def test_an_outcome_made_in_one_process_is_read_in_another(tmp_path):
    source = tmp_path / "kit.py"
    shutil.copy(SHARED_JUDGES / "kit" / "kit" / "__init__.py", source)
    path, data = str(source), source.read_bytes()
    made = check_bytes(data, path, AnalysisOptions(), summarise=True)
    with shared_outcomes({path}) as shared:
        for kept in (path, str(tmp_path / "other.py")):  # the second is not shared
            child = multiprocessing.get_context("fork").Process(
                target=_made_and_kept, args=(shared, kept, data)
            )
            child.start()
            child.join()
            assert child.exitcode == 0
        read = shared.get(path, data)
        assert read.summary.to_dict() == made.summary.to_dict()
        assert read.to_cache() == made.to_cache()
        assert shared.get(path, data + b"\n") is None  # other bytes: not made yet
        assert shared.get(str(tmp_path / "other.py"), data) is None
        assert len(list(shared.directory.iterdir())) == 1
        directory = shared.directory
    assert not directory.exists()
