"""`deblock check` and `deblock fix` on the Django ORM: the model's manager and the
query sets' methods are made at runtime; the catalogue's type facts name them, and the
twins (``count``/``acount``) are learned from Django's installed source."""

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from expectations import expected_findings

NOTES = Path(__file__).parent / "fixtures" / "django_notes"


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(NOTES, tmp_path / "project")
    return tmp_path / "project"


def _run_queries(
    project: Path, database: Path, allow_sync: bool, *which: str
) -> subprocess.CompletedProcess:
    """Run every query coroutine (``"books"``: of ``notes.books``) on a new database;
    Django itself refuses a sync query on the event loop unless ``allow_sync``."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    if allow_sync:
        env["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    command = [sys.executable, "-m", "notes.demo", str(database), *which]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


def test_sync_queries_are_reported_with_their_twins_and_awaited_ones_are_not(deblock, project):
    findings = json.loads(deblock("check", "--format", "json", ".", cwd=project).stdout)
    expected = Counter()
    for name in ("queries", "books"):
        path = f"notes/{name}.py"
        expected += expected_findings((project / path).read_text(), path)
    assert Counter((f["path"], f["line"], f["code"]) for f in findings) == expected
    queries = [f for f in findings if f["path"] == "notes/queries.py"]
    twins = sorted(f["message"].rpartition("coroutine ")[2] for f in queries)
    assert twins == ["`acount`", "`aexists`", "`afirst`", "`aget`"]
    assert all(f["fixable"] for f in findings)


def test_fix_awaits_the_twins_and_the_queries_give_the_same_results(deblock, project, tmp_path):
    before = _run_queries(project, tmp_path / "before.db", allow_sync=True)
    assert before.returncode == 0, before.stderr
    refused = _run_queries(project, tmp_path / "refused.db", allow_sync=False)
    assert "SynchronousOnlyOperation" in refused.stderr
    deblock("fix", ".", cwd=project)
    fixed = (project / "notes" / "queries.py").read_text()
    assert "return await Note.objects.acount()" in fixed
    assert "return await Tag.objects.filter(name=name).aexists()" in fixed
    assert "return (await Note.objects.aget(pk=pk)).text" in fixed
    assert 'await Note.objects.filter(text__contains=word).order_by("-pk").afirst()' in fixed
    after = _run_queries(project, tmp_path / "after.db", allow_sync=False)
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout == "[3, 'beta', 'gamma', True, 3, 'beta']\n"
    left = json.loads(deblock("check", "--format", "json", ".", cwd=project).stdout)
    books = (project / "notes" / "books.py").read_text().splitlines()
    apart = {
        i
        for i, line in enumerate(books, 1)
        if "# expect: DBK60" in line and ("book.tags" in line or "list(Note" in line)
    }
    # unsafe: a helper's thread bridge; two queries between the same two awaits (tag_book,
    # listed): awaiting one would let other tasks run between them
    assert {(f["path"], f["line"], f["code"]) for f in left} == {
        ("notes/books.py", next(i for i, x in enumerate(books, 1) if "total()" in x), "DBK801"),
        *(("notes/books.py", line, code) for line, code in _expected(books, apart)),
    }


def test_query_sets_are_iterated_with_async_for_and_related_managers_awaited(
    deblock, project, tmp_path
):
    """Iterating a query set, a custom manager's methods (one returns a query set, one
    runs a query), a many-to-many field's related manager (``book.tags``)."""
    before = _run_queries(project, tmp_path / "before.db", True, "books")
    assert before.returncode == 0, before.stderr
    refused = _run_queries(project, tmp_path / "refused.db", False, "books")
    assert "SynchronousOnlyOperation" in refused.stderr
    deblock("fix", "--unsafe-fixes", ".", cwd=project)
    fixed = (project / "notes" / "books.py").read_text()
    assert 'async for note in Note.objects.order_by("pk"):' in fixed
    assert "return [book.title async for book in Book.objects.all()]" in fixed
    assert "return (await Book.objects.recent().afirst()).title" in fixed
    assert "return await asyncio.to_thread(Book.objects.total)" in fixed  # the unsafe fix
    assert "await book.tags.aadd(tag)" in fixed
    assert "names = {t.name async for t in book.tags.all()}" in fixed
    assert "return await book.tags.acount(), sorted(names)" in fixed
    after = _run_queries(project, tmp_path / "after.db", False, "books")
    assert after.returncode == 0, after.stderr
    assert "[item async for item in Note.objects.all()]" in fixed
    assert "[item_2 async for item_2 in Book.objects.recent()], key=str" in fixed
    expected = "[['alpha', 'beta', 'gamma'], ['Dune', 'Emma'], 'Emma', 2, (1, ['todo']), [3, 2]"
    assert after.stdout == before.stdout == expected + ", ['Dune', 'Emma']]\n"
    assert json.loads(deblock("check", "--format", "json", ".", cwd=project).stdout) == []


def _expected(lines: list[str], numbers: set[int]) -> list[tuple[int, str]]:
    """The ``# expect:`` codes on the given lines."""
    return [
        (n, code.strip())
        for n in sorted(numbers)
        for code in lines[n - 1].partition("# expect:")[2].split(",")
    ]
