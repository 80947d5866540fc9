"""``deblock check`` on the blocking snapshot reports every planted site and nothing else."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from planted import manifest_entries, planted_sites
from regression_apps import FIXTURES, SNAPSHOT_PACKAGE
from regression_runs import findings

# The patterns the snapshot must keep planting (see issue 7): one rule code each.
PATTERNS = {
    "DBK101": "time.sleep in a retry loop",
    "DBK201": "open() in a coroutine",
    "DBK301": "os.makedirs / os.unlink in a coroutine",
    "DBK302": "tempfile in a coroutine",
    "DBK502": "sync SDK clients (Groq, ElevenLabs)",
    "DBK503": "sync sqlite3",
    "DBK601": "a sync breaker.call in a coroutine",
    "DBK801": "a blocking sync helper of another module called from a handler",
}


def reported_sites(package: Path) -> Counter:
    reported = findings(package.name, cwd=package.parent)
    return Counter(
        (Path(f["path"]).relative_to(package.name).as_posix(), f["line"], f["code"])
        for f in reported
    )


def test_every_planted_site_is_reported_and_nothing_else(snapshot_copy: Path):
    planted, reported = planted_sites(snapshot_copy), reported_sites(snapshot_copy)
    assert {"missed": planted - reported, "unexpected": reported - planted} == {
        "missed": Counter(),
        "unexpected": Counter(),
    }


def test_the_manifest_plants_every_pattern_of_the_issue():
    codes = {entry["code"] for entry in manifest_entries()}
    assert set(PATTERNS) <= codes
    # Every marker names exactly one line of the committed snapshot.
    assert sum(planted_sites(FIXTURES / SNAPSHOT_PACKAGE).values()) == len(manifest_entries())
