"""The reference app is deblock's negative control: no findings, nothing to fix, and nothing
for ruff's or flake8-async's ASYNC rules either."""

from __future__ import annotations

import subprocess
import sys

from regression_runs import REPO, deblock, findings


def test_check_finds_nothing_in_the_reference_app():
    assert findings("reference_app", cwd=REPO) == []


def test_fix_would_change_nothing_in_the_reference_app():
    done = deblock("fix", "--diff", "reference_app", cwd=REPO)
    assert (done.returncode, done.stdout) == (0, ""), done.stdout + done.stderr


def lint(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command, "reference_app"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


def test_ruff_async_rules_find_nothing_in_the_reference_app():
    done = lint("ruff", "check", "--select", "ASYNC")
    assert done.returncode == 0, done.stdout + done.stderr


def test_flake8_async_default_rules_find_nothing_in_the_reference_app():
    # ASYNC910/911 are off by default (Trio's rule that every async function checkpoints);
    # selecting the ASYNC prefix turns them on, so they are left out explicitly.
    done = lint("flake8", "--select", "ASYNC", "--extend-ignore", "ASYNC910,ASYNC911")
    assert (done.returncode, done.stdout) == (0, ""), done.stdout + done.stderr
