"""Modules of one package whose fixes would wait only for each other's threads share one
lock (``fixtures/common_lock``): ``deblock check`` names it (``lock`` in ``--format json``)
and counts their fixes as safe; ``deblock fix`` writes the lock module and makes the modules
import it, rebinding a lock an earlier fix made; a second run changes nothing, and a
section added later takes the lock beside the helpers that hold it. A call left
on the event loop (``# noqa``, or a caller's sake), or a file of the lock module's name that
is not deblock's, keeps the decline. (The runtime proof: ``test_fix_runtime``'s
``package_notes`` project.)"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from common_lock_projects import NOTES, common_lock_project
from runtime_harness import run_project, tree

from deblock.project.common_lock import LOCK_TEXT

FIXTURES = Path(__file__).parent / "fixtures" / "common_lock"
SHARED = "touches the file system from worker threads too"
IMPORT = "from notes._deblock_lock import lock as _sections_lock\n"


def _project(tmp_path: Path, name: str) -> Path:
    return common_lock_project(name, tmp_path)


def _checked(deblock, project: Path) -> list[dict]:
    return json.loads(deblock("check", "--no-cache", "--format", "json", ".", cwd=project).stdout)


def test_check_names_the_common_lock_and_counts_the_fixes_as_safe(deblock, tmp_path):
    project = _project(tmp_path, "notes")
    checked = _checked(deblock, project)
    assert {f["path"] for f in checked} == {"notes/review.py", "notes/store.py"}
    assert {(f["strategy"], f["lock"], f["declined"]) for f in checked} == {
        ("thread-section", "notes._deblock_lock", None)
    }
    text = deblock("check", "--no-cache", ".", cwd=project).stdout
    assert f"({len(checked)} fixable with `deblock fix`)" in text


def test_fix_writes_the_lock_and_every_module_takes_it(deblock, tmp_path):
    project = _project(tmp_path, "notes")
    fixed = deblock("fix", "--no-cache", ".", cwd=project)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "notes/_deblock_lock.py: created" in fixed.stdout
    assert (project / "notes" / "_deblock_lock.py").read_text() == LOCK_TEXT
    store = (project / "notes" / "store.py").read_text()
    review = (project / "notes" / "review.py").read_text()
    assert IMPORT in store and IMPORT in review
    # the lock an earlier fix made is the common one now: one lock for all the sections
    assert "threading" not in review
    assert review.count("with _sections_lock:") == 2
    before = tree(project)
    again = deblock("fix", "--no-cache", ".", cwd=project)
    assert "0 fixes applied (0 files changed)" in again.stdout
    assert "created" not in again.stdout
    assert tree(project) == before
    assert deblock("check", "--no-cache", ".", cwd=project).returncode == 0


def _fixed_then_extended(deblock, tmp_path: Path) -> Path:
    """The notes project fixed, then given ``later/erase.py``'s coroutine in its store."""
    project = _project(tmp_path, "notes")
    deblock("fix", "--no-cache", ".", cwd=project)
    with open(project / "notes" / "store.py", "a") as fh:
        fh.write((FIXTURES / "later" / "erase.py").read_text())
    return project


def test_a_section_added_later_takes_the_lock_an_earlier_run_gave_the_package(deblock, tmp_path):
    """``review``'s helpers hold the package's lock: they do not stand in the way of a
    section ``store`` gains later, which takes that lock too (imported once)."""
    project = _fixed_then_extended(deblock, tmp_path)
    checked = _checked(deblock, project)
    assert checked and all(f["lock"] == "notes._deblock_lock" for f in checked)
    fixed = deblock("fix", "--no-cache", ".", cwd=project)
    assert fixed.returncode == 0, fixed.stdout
    store = (project / "notes" / "store.py").read_text()
    assert store.count(IMPORT) == 1 and store.count("with _sections_lock:") == 2


def test_helpers_under_a_lock_of_their_own_keep_a_later_section_declined(deblock, tmp_path):
    project = _fixed_then_extended(deblock, tmp_path)
    review = project / "notes" / "review.py"
    own = "import threading\n\n_sections_lock = threading.Lock()\n"
    review.write_text(review.read_text().replace(IMPORT, own))
    checked = _checked(deblock, project)
    assert checked and all(SHARED in f["declined"] and f["lock"] is None for f in checked)


def test_modules_sharing_a_lock_are_fixed_all_or_none(deblock, tmp_path):
    """``review.py`` cannot be fixed (mixed line endings): ``store.py``'s section, moved
    under the lock, would run beside review's calls left on the loop; it stays too."""
    project = _project(tmp_path, "notes")
    review = project / "notes" / "review.py"
    review.write_bytes(review.read_bytes().replace(b"import json\n", b"import json\r\n", 1))
    before = tree(project)
    fixed = deblock("fix", "--no-cache", ".", cwd=project)
    assert "notes/review.py: not fixed: mixed line endings" in fixed.stderr
    assert "`notes/review.py`, whose sections share the lock, keeps some on" in fixed.stdout
    assert "0 fixes applied (0 files changed)" in fixed.stdout
    assert tree(project) == before


def test_a_foreign_lock_module_that_came_after_a_cached_check_keeps_the_fixes_out(
    deblock, tmp_path
):
    """A check of the two modules alone caches the decision; the package then gains a
    ``_deblock_lock.py`` of its own. The run's own sources hold the named files' package
    modules, so the cached decision is not reused: the fix declines the sections, which
    no common lock can serialise, and leaves every module of the group as it is rather than
    import the package's ``lock``."""
    project = _project(tmp_path, "notes")
    modules = ["notes/store.py", "notes/review.py"]
    cache = ["--cache-dir", str(tmp_path / "cache")]
    deblock("check", *cache, *modules, cwd=project)
    own = (FIXTURES / "foreign_project" / "foreign" / "_deblock_lock.py").read_text()
    (project / "notes" / "_deblock_lock.py").write_text(own)
    before = tree(project)
    fixed = deblock("fix", *cache, *modules, cwd=project)
    assert "each module's lock serialises only its own threads" in fixed.stdout
    assert "0 fixes applied (0 files changed)" in fixed.stdout
    assert tree(project) == before


def test_a_lock_path_the_check_does_not_read_stops_the_fix_at_its_write(deblock, tmp_path):
    """A directory named ``_deblock_lock.py``, made after a cached check of two modules,
    is no module file: neither the run's sources nor the cached project findings' key
    see it, so the fix reuses the common lock. The write-time guard finds the path taken
    and leaves the group as it is (without it, both modules were rewritten to import
    ``notes._deblock_lock``, which that directory cannot give)."""
    project = _project(tmp_path, "notes")
    modules = ["notes/store.py", "notes/review.py"]
    cache = ["--cache-dir", str(tmp_path / "cache")]
    deblock("check", *cache, *modules, cwd=project)
    (project / "notes" / "_deblock_lock.py").mkdir()
    before = tree(project)
    fixed = deblock("fix", *cache, *modules, cwd=project)
    assert "`notes/_deblock_lock.py` is there and is not deblock's lock module" in fixed.stdout
    assert "0 fixes applied (0 files changed)" in fixed.stdout
    assert tree(project) == before


def test_fix_diff_shows_the_lock_module_and_writes_nothing(deblock, tmp_path):
    project = _project(tmp_path, "notes")
    before = tree(project)
    fixed = deblock("fix", "--no-cache", "--diff", ".", cwd=project)
    assert "notes/_deblock_lock.py: would create" in fixed.stderr
    assert "+++ b/notes/_deblock_lock.py\n" in fixed.stdout
    assert "+lock = threading.Lock()\n" in fixed.stdout
    assert tree(project) == before


def test_a_call_left_on_the_event_loop_keeps_the_decline(deblock, tmp_path):
    project = _project(tmp_path, "held")
    checked = _checked(deblock, project)
    store = [f for f in checked if f["path"] == "held/store.py"]
    assert store and all(f["lock"] is None and not f["strategy"] for f in store)
    assert all("(held/review.py:12) touches the file system on the event loop" in f["declined"]
               for f in store)  # fmt: skip
    deblock("fix", "--no-cache", ".", cwd=project)
    assert not (project / "held" / "_deblock_lock.py").exists()


def test_a_module_whose_fixes_a_caller_keeps_out_keeps_its_packages_decline(deblock, tmp_path):
    """``review``'s fixes are declined for ``main``'s sake (it never suspends): its calls
    stay on the loop, so ``save_note`` may not move beside them under any lock."""
    project = _project(tmp_path, "torn")
    checked = _checked(deblock, project)
    assert {f["path"] for f in checked} == {"torn/review.py", "torn/store.py"}
    assert all(SHARED in f["declined"] and f["lock"] is None for f in checked)


def test_a_module_of_the_locks_name_that_is_not_deblocks_keeps_the_decline(deblock, tmp_path):
    project = _project(tmp_path, "foreign")
    own = (project / "foreign" / "_deblock_lock.py").read_text()
    checked = _checked(deblock, project)
    assert checked and all(SHARED in f["declined"] and f["lock"] is None for f in checked)
    deblock("fix", "--no-cache", ".", cwd=project)
    assert (project / "foreign" / "_deblock_lock.py").read_text() == own


def test_modules_in_a_portion_of_the_package_share_its_lock_and_behave_the_same(deblock, tmp_path):
    """``package_notes`` with its two modules in ``notes/jobs/``, a directory without
    ``__init__.py`` inside the package (a namespace portion, PEP 420): they are of the
    ``notes`` package still, and take its lock; fixed, the program behaves as before
    (with a lock of each module's own, a review could read a half-written note)."""
    original = shutil.copytree(NOTES.parent, tmp_path / "original")
    jobs = original / "notes" / "jobs"
    jobs.mkdir()
    for module in ("store.py", "review.py"):
        (original / "notes" / module).rename(jobs / module)
    program = original / "program.py"
    program.write_text(program.read_text().replace("from notes.", "from notes.jobs."))
    fixed = shutil.copytree(original, tmp_path / "fixed")
    ran = deblock("fix", "--no-cache", ".", cwd=fixed)
    assert ran.returncode == 0, ran.stdout  # every finding fixed
    assert "notes/_deblock_lock.py: created" in ran.stdout
    assert IMPORT in (fixed / "notes" / "jobs" / "store.py").read_text()
    expected = run_project(original, tmp_path / "original-run", allow_sync=True)
    assert run_project(fixed, tmp_path / "fixed-run", "--blockbuster") == expected
    assert tree(tmp_path / "fixed-run") == tree(tmp_path / "original-run")
