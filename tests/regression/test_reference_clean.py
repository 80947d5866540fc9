"""The reference app is deblock's negative control: no findings, nothing to fix."""

from __future__ import annotations

from regression_runs import REPO, deblock, findings


def test_check_finds_nothing_in_the_reference_app():
    assert findings("reference_app", cwd=REPO) == []


def test_fix_would_change_nothing_in_the_reference_app():
    done = deblock("fix", "--diff", "reference_app", cwd=REPO)
    assert (done.returncode, done.stdout) == (0, ""), done.stdout + done.stderr
