"""A coroutine whose safe fixes two callers keep out for two reasons is declined with the
first reason, and the run keeps only the span that decides: ``decline_kept`` takes a
fix's first span, so a later one of the same lines, coroutine and resource never does
(the bench corpus's project findings held 10,579 spans, 568 of them deciding)."""

import json
import shutil
from pathlib import Path

from json_check import checked

FIXTURE = Path(__file__).parent / "fixtures" / "shadowed_spans"
FIRST = "`one` (app/conn.py:13) reads and writes `self.a` across awaits"


def test_a_coroutine_kept_out_twice_keeps_the_first_reason_and_one_span(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    (project / "empty.toml").touch()
    cache = tmp_path / "cache"
    cold = checked(project, ".", cache=cache)
    assert [(f["line"], f["declined"].startswith(FIRST)) for f in cold] == [(11, True)]
    assert checked(project, ".", cache=cache) == cold == checked(project, ".")
    (stored,) = cache.glob("*/*.project")
    kept = json.loads(stored.read_text())["found"]["kept"]
    assert [span[:2] + span[3:] for span in kept["app/conn.py"]] == [
        [10, 11, "app.conn.Conn.send", None]
    ]
