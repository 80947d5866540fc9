"""Smoke test: the load benchmark runs once with a tiny load and reports every figure.

Times are never asserted: this machine's speed is not the subject.
"""

from __future__ import annotations

import json
import sys

from regression_runs import REPO, run

FIGURES = (
    "single_turn_s",
    "fixed_wall_s",
    "loop_lag_p50_ms",
    "loop_lag_p99_ms",
    "blocking_single_turn_s",
    "blocking_wall_s",
    "blocking_loop_lag_p50_ms",
    "blocking_loop_lag_p99_ms",
)


def test_the_benchmark_reports_every_figure_for_both_apps(tmp_path):
    script = REPO / "bench" / "companion_load.py"
    args = ["-n", "3", "--latency", "0.01", "--single-repeat", "1", "--rounds", "2", "--json"]
    done = run([sys.executable, str(script), *args], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["conversations"], result["rounds"]) == (3, 2)
    assert all(isinstance(result[name], float) for name in FIGURES)
    assert result["loop_lag_ticks"] >= 1 and result["blocking_loop_lag_ticks"] >= 1
    assert set(result["targets"].values()) <= {"PASS", "FAIL"}
    assert {"cores", "cpu", "python"} <= set(result["machine"])
