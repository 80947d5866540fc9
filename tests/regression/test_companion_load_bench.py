"""Smoke test: the load benchmark runs once with a tiny load and reports every figure (and,
with --profile, the CPU per package).

Times are never asserted: this machine's speed is not the subject.
"""

from __future__ import annotations

import json
import pstats
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
    "turn_plus_cpu_s",
    "fixed_wall_over_turn_plus_cpu",
    "blocking_over_fixed",
)


def test_the_benchmark_reports_every_figure_for_both_apps(tmp_path):
    script = REPO / "bench" / "companion_load.py"
    args = ["-n", "3", "--latency", "0.01", "--single-repeat", "1", "--rounds", "2", "--json"]
    profile = tmp_path / "turns.prof"
    done = run([sys.executable, str(script), *args, "--profile", str(profile)], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["conversations"], result["rounds"]) == (3, 2)
    assert all(isinstance(result[name], float) for name in FIGURES)
    # The profiled round: the app's own code and the SDK it drives, each with its share.
    assert {"ai_companion", "groq", "httpx"} <= set(result["profile_cpu_ms_per_turn"])
    profiled = pstats.Stats(str(profile)).stats  # type: ignore[attr-defined]
    assert any("ai_companion" in filename for filename, _, _ in profiled)
    assert result["loop_lag_ticks"] >= 1 and result["blocking_loop_lag_ticks"] >= 1
    assert set(result["targets"].values()) <= {"PASS", "FAIL"}
    assert {"cores", "cpu", "python"} <= set(result["machine"])
