"""The persistent cache: used when files are unchanged, bypassed when they change, keyed
by configuration, and harmless when corrupt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from deblock import cache as cache_module
from deblock import rules
from deblock.cache import PROJECT_SLOTS, Cache, digest
from deblock.config import Settings
from deblock.rules.model import Proxies, Yields

KILLED_SAVING = Path(__file__).parent / "fixtures" / "killed_saving.py"


def cache_file(cache_dir: Path) -> Path:
    (path,) = cache_dir.glob("*/*.json")
    return path


def tamper(cache_dir: Path, message: str) -> None:
    """Rewrite every cached finding's message, to see whether a run reads the cache."""
    path = cache_file(cache_dir)
    entries = json.loads(path.read_text())
    for entry in entries.values():
        for finding in entry[3]:  # the outcome's findings
            finding["message"] = message
    path.write_text(json.dumps(entries))


def messages(ran) -> set[str]:
    return {f["message"] for f in json.loads(ran.stdout)}


def check(deblock, root: Path, *args: str):
    return deblock("check", "--format", "json", "--cache-dir", "cache", *args, ".", cwd=root)


def killed_saving(root: Path, ending: str, when: str, *args: str) -> None:
    """Run ``deblock check ARGS`` with the cache in ``root``, killed as it puts the file
    ending with ``ending`` in place, ``before`` or ``after`` (``killed_saving.py``)."""
    run = [sys.executable, str(KILLED_SAVING), ending, when, "check", "--cache-dir", "cache"]
    assert subprocess.run([*run, *args], cwd=root).returncode == -9


def summaries_left(root: Path) -> tuple[set[str], set[str]]:
    """The digests the cache's entries record, and those whose summaries it keeps."""
    path = cache_file(root / "cache")
    live = {entry[2] for entry in json.loads(path.read_text()).values()}
    shards = path.with_suffix(".summaries").iterdir()
    return live, set().union(*(json.loads(shard.read_text()) for shard in shards))


def test_default_cache_dir_is_in_the_project_root_and_git_ignored(deblock, project):
    root = project("blocking.py", into="src")
    (root / "pyproject.toml").write_text("[tool.deblock]\n")
    deblock("check", ".", cwd=root / "src")
    assert cache_file(root / ".deblock_cache").exists()
    assert (root / ".deblock_cache" / ".gitignore").read_text().endswith("*\n")
    assert not (root / "src" / ".deblock_cache").exists()


def test_unchanged_files_are_answered_from_the_cache(deblock, project):
    root = project("blocking.py", "clean.py")
    cold = check(deblock, root)
    assert cold.returncode == 1
    tamper(root / "cache", "from the cache")
    warm = check(deblock, root)
    assert (warm.returncode, messages(warm)) == (1, {"from the cache"})
    assert len(json.loads(warm.stdout)) == len(json.loads(cold.stdout))


def test_cached_findings_hold_only_the_fields_that_differ_from_their_defaults(deblock, project):
    root = project("blocking.py")
    cold = check(deblock, root)
    (entry,) = json.loads(cache_file(root / "cache").read_text()).values()
    sleep = entry[3][0]  # the outcome's first finding: time.sleep's, fixed by a safe swap
    assert set(sleep) == {"line", "col", "end_line", "end_col", "code", "message", "target",
                          "strategy", "async_equivalent", "twin"}  # fmt: skip
    assert check(deblock, root).stdout == cold.stdout


def test_same_content_with_a_new_mtime_is_found_by_digest(deblock, project):
    root = project("blocking.py")
    check(deblock, root)
    tamper(root / "cache", "from the cache")
    os.utime(root / "blocking.py", ns=(1, 1))
    assert messages(check(deblock, root)) == {"from the cache"}


def test_changed_files_are_analysed_again(deblock, project):
    root = project("blocking.py")
    check(deblock, root)
    tamper(root / "cache", "from the cache")
    path = root / "blocking.py"
    path.write_text(path.read_text() + "\n\nasync def more():\n    time.sleep(2)\n")
    ran = check(deblock, root)
    assert "from the cache" not in messages(ran)
    assert len(json.loads(ran.stdout)) == 4


def test_the_analysis_configuration_keys_the_cache(deblock, project):
    root = project("blocking.py")
    check(deblock, root)
    tamper(root / "cache", "from the cache")
    (root / "pyproject.toml").write_text('[tool.deblock]\nasync-library = "asyncio"\n')
    assert "from the cache" not in messages(check(deblock, root))
    assert len(list((root / "cache").glob("*/*.json"))) == 2


def test_the_catalogue_keys_the_cache_and_every_process_names_it_alike(monkeypatch):
    """A changed entry, or a type fact of another kind with the same fields, is another
    cache; an unchanged catalogue gives the same name in a process that hashes strings
    and imports modules otherwise."""
    settings = Settings(root=Path("/project"))
    fingerprint = settings.fingerprint()
    script = "import deblock.analysis.checker\nfrom pathlib import Path\n"
    script += "from deblock.config import Settings\n"
    script += "print(Settings(root=Path('/project')).fingerprint())"
    environment = {**os.environ, "PYTHONHASHSEED": "7"}
    other = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment
    )
    assert other.stdout.strip() == fingerprint
    built_in = rules.catalogue_with()
    first, *rest = built_in.entries
    changed = rules.Catalogue((first._replace(code="DBK999"), *rest), built_in.returns)
    swapped = rules.Catalogue(built_in.entries, (*built_in.returns, Yields("a.b", "c.D")))
    proxied = rules.Catalogue(built_in.entries, (*built_in.returns, Proxies("a.b", "c.D")))
    names = set()
    for catalogue in (changed, swapped, proxied):
        monkeypatch.setattr(rules, "catalogue_with", lambda catalogue=catalogue: catalogue)
        names.add(settings.fingerprint())
    assert len(names) == 3 and fingerprint not in names


def test_select_and_ignore_filter_cached_findings(deblock, project):
    root = project("blocking.py")
    check(deblock, root)
    ran = check(deblock, root, "--select", "DBK2")
    assert {f["code"] for f in json.loads(ran.stdout)} == {"DBK201", "DBK202"}


def test_no_cache_neither_reads_nor_writes(deblock, project):
    root = project("blocking.py")
    deblock("check", "--no-cache", ".", cwd=root)
    assert not (root / ".deblock_cache").exists()


def test_a_corrupt_cache_is_ignored_and_replaced(deblock, project):
    root = project("blocking.py")
    check(deblock, root)
    cache_file(root / "cache").write_bytes(b"\x00{not json")
    ran = check(deblock, root)
    assert (ran.returncode, len(json.loads(ran.stdout))) == (1, 3)
    json.loads(cache_file(root / "cache").read_text())


def test_a_damaged_entry_is_analysed_again(deblock, project):
    root = project("blocking.py")
    check(deblock, root)
    path = cache_file(root / "cache")
    entries = json.loads(path.read_text())
    for entry in entries.values():
        entry[3] = [{"unexpected": "shape"}]  # the outcome's findings
    path.write_text(json.dumps(entries))
    ran = check(deblock, root)
    assert (ran.returncode, len(json.loads(ran.stdout))) == (1, 3)


def test_entries_of_the_wrong_shape_are_dropped(tmp_path):
    cache = Cache(tmp_path, "key")
    cache.file.parent.mkdir(parents=True)
    cache.file.write_text(json.dumps({"/a.py": [1, 2, "d", {}], "/b.py": [1], "/c.py": "x"}))
    assert list(Cache(tmp_path, "key").entries) == ["/a.py"]
    cache.file.write_text("[]")
    assert Cache(tmp_path, "key").entries == {}


def test_an_unwritable_cache_dir_is_not_an_error(deblock, project):
    root = project("blocking.py")
    (root / "blocker").write_text("a file, not a directory")
    ran = deblock("check", "--format", "json", "--cache-dir", "blocker/cache", ".", cwd=root)
    assert (ran.returncode, len(json.loads(ran.stdout))) == (1, 3)


def test_entries_of_deleted_files_are_dropped_by_the_next_run_over_most_files(deblock, project):
    root = project("blocking.py", "clean.py", into="pkg")
    project("blocking.py", into="other")
    check(deblock, root)
    (root / "pkg" / "clean.py").unlink()
    (root / "pkg" / "blocking.py").write_text("async def changed(): pass\n")
    deblock("check", "--cache-dir", "cache", "pkg", "other", cwd=root)
    names = {
        path.split(str(root))[-1] for path in json.loads(cache_file(root / "cache").read_text())
    }
    assert names == {"/pkg/blocking.py", "/other/blocking.py"}


def test_a_run_over_a_few_files_keeps_the_whole_projects_findings(deblock, imported, project):
    root = project("blocking.py", "clean.py")
    args = ["check", "--format", "json", "--cache-dir", "cache"]
    whole = deblock(*args, ".", cwd=root)
    deblock(*args, "blocking.py", cwd=root)  # the pre-commit hook names files
    output, judged = imported([*args, "."], root, ("deblock.project.findings",))
    assert (json.loads(output), judged) == (json.loads(whole.stdout), [])


def test_the_findings_of_the_last_sets_of_paths_are_kept(tmp_path):
    cache = Cache(tmp_path, "key")
    for n in range(PROJECT_SLOTS + 2):
        cache.store_project_findings([f"m{n}.py"], f"k{n}", {"n": n})
        for stored in tmp_path.rglob("*.project"):  # stored a minute apart, not in one tick
            os.utime(stored, ns=(0, stored.stat().st_mtime_ns - 60 * 10**9))
    assert len(list(tmp_path.rglob("*.project"))) == PROJECT_SLOTS
    assert cache.project_findings([f"m{PROJECT_SLOTS + 1}.py"], f"k{PROJECT_SLOTS + 1}") == {
        "n": PROJECT_SLOTS + 1
    }
    assert cache.project_findings(["m0.py"], "k0") is None


def test_runs_over_each_module_of_one_package_keep_their_own_project_findings(
    deblock, imported, project
):
    """Each module's run takes in the other (its importer): one set of modules, judged
    for different files. Run in turn, each is answered from the cache, not judged again
    (they shared one slot, each run's findings evicting the other's)."""
    root = project("one_package") / "one_package"
    runs = [
        ["check", "--format", "json", "--cache-dir", "cache", f"app/{name}.py"]
        for name in ("orders", "stock")
    ]
    first = [deblock(*args, cwd=root).stdout for args in runs]
    again = [imported(args, root, ("deblock.project.findings",)) for args in runs]
    assert again == [(output, []) for output in first]
    assert json.loads(first[0]) and json.loads(first[1])


def test_a_run_over_a_few_files_journals_its_entries_and_a_whole_run_folds_them_in(
    deblock, imported, project
):
    root = project("blocking.py", "clean.py")
    check(deblock, root)
    path = cache_file(root / "cache")
    before = path.stat()
    edited = root / "blocking.py"
    edited.write_text(edited.read_text() + "\n# edited\n")
    args = ["check", "--format", "json", "--cache-dir", "cache", "blocking.py"]
    first = deblock(*args, cwd=root)
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    journal = path.with_name(path.name + "-log")
    assert journal.exists()
    output, analysed = imported(args, root, ("deblock.analysis.checker",))
    assert (output, analysed) == (first.stdout, [])  # answered from the journal
    edited.write_text(edited.read_text() + "# again\n")
    check(deblock, root)
    assert not journal.exists()
    entries = json.loads(path.read_text())
    assert entries[str(edited)][0] == edited.stat().st_size


def test_a_whole_write_drops_the_summaries_of_every_version_the_journal_recorded(deblock, project):
    """Each edit a run over a few files journalled left a summary no entry has; the next
    run that writes the file whole drops them, whichever shard holds them (it reads none
    of those shards to find its own summaries)."""
    root = project("blocking.py", "clean.py")
    check(deblock, root)
    edited = root / "blocking.py"
    for n in range(4):
        edited.write_text(edited.read_text() + f"\n# edit {n}\n")
        deblock("check", "--cache-dir", "cache", "blocking.py", cwd=root)
    edited.write_text(edited.read_text() + "\n# edited again\n")
    check(deblock, root)
    path = cache_file(root / "cache")
    assert not path.with_name(path.name + "-log").exists()
    live, stored = summaries_left(root)
    assert stored <= live and digest(edited.read_bytes()) in stored


def test_a_damaged_journal_line_is_skipped(deblock, project):
    root = project("blocking.py", "clean.py")
    check(deblock, root)
    path = cache_file(root / "cache")
    with open(path.with_name(path.name + "-log"), "w") as journal:
        journal.write('["/elsewhere.py", [1, 2, "d", [], null, null, null, {}]]\n["/cut sh')
    assert Cache(root / "cache", path.stem.rsplit("-", 1)[0]).entries.keys() >= {"/elsewhere.py"}
    ran = check(deblock, root)
    assert (ran.returncode, len(json.loads(ran.stdout))) == (1, 3)


def test_a_journal_that_would_outgrow_a_quarter_of_the_file_is_folded_in(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "JOURNAL_MIN", 0)
    sources = [tmp_path / f"m{n}.py" for n in range(3)]
    cache = Cache(tmp_path / "cache", "key")
    for n, source in enumerate(sources):
        source.write_text("")
        cache.store(str(source), source.stat(), f"d{n}", [[], None, None, None, {}])
    cache.save()  # a run over every file: the file is written
    few = Cache(tmp_path / "cache", "key")  # a run over one of them: its entry would be
    few.store(str(sources[0]), sources[0].stat(), "new", [[], None, None, None, {}])
    few.save()  # a journal line longer than a quarter of the file
    assert not few.journal.exists()
    assert json.loads(few.file.read_text())[str(sources[0])][2] == "new"


def test_a_run_over_one_file_of_a_large_cache_finds_its_entry_and_keeps_the_others(
    deblock, project
):
    root = project("blocking.py")
    clean = (Path(__file__).parent / "fixtures" / "clean.py").read_text()
    for n in range(400):  # a cache file of more than 64 KB
        (root / f"clean_{n}.py").write_text(clean + f"# {n}\n")
    check(deblock, root)
    path = cache_file(root / "cache")
    assert path.stat().st_size > 64 * 1024
    tamper(root / "cache", "from the cache")
    entries = json.loads(path.read_text())
    for entry in entries.values():
        entry[2] = "0" * 32  # no content digest answers: only the path and stat can
    path.write_text(json.dumps(entries, separators=(",", ":")))
    one = ["check", "--format", "json", "--cache-dir", "cache", "blocking.py"]
    assert messages(deblock(*one, cwd=root)) == {"from the cache"}
    for n in range(10):
        (root / f"clean_{n}.py").unlink()
    edited = root / "blocking.py"
    edited.write_text(edited.read_text() + "# edited\n")
    fresh = deblock("check", "--format", "json", "--no-cache", "blocking.py", cwd=root)
    assert deblock(*one, cwd=root).stdout == fresh.stdout
    assert str(root / "clean_0.py") in json.loads(path.read_text())  # a few files: kept
    check(deblock, root)
    entries = json.loads(path.read_text())
    assert str(root / "clean_0.py") not in entries  # a whole run drops the removed files
    assert entries[str(edited)][0] == edited.stat().st_size


@pytest.mark.parametrize("paths", [["app"], ["app/a.py", "app/b.py"]])
def test_a_package_made_around_unchanged_files_names_their_modules_anew(deblock, project, paths):
    """``from b import helper`` in ``app/a.py`` finds ``app/b.py`` while ``app`` is a plain
    directory; once ``app/__init__.py`` makes it a package, the module is ``app.b`` and the
    import finds nothing. The files' content and times are unchanged: a cached run gives
    what a run without the cache gives, over the directory and over the two files alike."""
    root = project("layout/app")
    args = ["check", "--format", "json", *paths]
    first = deblock(*args, "--cache-dir", "cache", cwd=root)
    assert [f["code"] for f in json.loads(first.stdout)] == ["DBK801"]
    (root / "app" / "__init__.py").write_text("")
    cached = deblock(*args, "--cache-dir", "cache", cwd=root)
    fresh = deblock(*args, "--no-cache", cwd=root)
    assert (json.loads(cached.stdout), json.loads(fresh.stdout)) == ([], [])


def test_what_a_run_killed_as_it_saves_leaves_is_dropped_by_the_next_whole_write(deblock, project):
    """A run killed as it puts the cache file in place has written its summaries' shards
    (those of the file as it was edited then) and the file's text beside it; once the file
    is edited again, the next run that writes the cache whole keeps neither."""
    root = project("blocking.py", "clean.py")
    check(deblock, root)
    edited = root / "blocking.py"
    edited.write_text(edited.read_text() + "\n# edited\n")
    killed_saving(root, f"-{cache_module.FORMAT}.json", "before", ".")
    assert list(cache_file(root / "cache").parent.glob("*.tmp"))  # the file's text
    edited.write_text(edited.read_text() + "\n# edited again\n")
    check(deblock, root)
    live, stored = summaries_left(root)
    assert stored <= live and digest(edited.read_bytes()) in stored
    assert list((root / "cache").rglob("*.tmp")) == []


def test_a_run_over_a_few_files_killed_once_its_summary_is_written_has_journalled_it(
    deblock, project
):
    """A pre-commit run killed once the shard of its edited file's summary is in place
    has recorded that version in the journal first: the next whole write drops it."""
    root = project("blocking.py", "clean.py")
    check(deblock, root)
    edited = root / "blocking.py"
    edited.write_text(edited.read_text() + "\n# edited\n")
    killed_saving(root, f"{digest(edited.read_bytes())[:2]}.json", "after", "blocking.py")
    edited.write_text(edited.read_text() + "\n# edited again\n")
    check(deblock, root)
    live, stored = summaries_left(root)
    assert stored <= live and digest(edited.read_bytes()) in stored
