"""`deblock check` learning from installed libraries (qdrant-client, langchain-core,
redis, slack-sdk from deblock's dev extra), read as source, never imported."""

import importlib.metadata
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from expectations import expected_findings

REAL_CLIENTS = Path(__file__).parent / "fixtures" / "real_clients"


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(REAL_CLIENTS, tmp_path / "project")
    return tmp_path / "project"


def _expected(root: Path) -> Counter:
    found = Counter()
    for path in sorted(root.rglob("*.py")):
        relative = str(path.relative_to(root))
        found += expected_findings(path.read_text(), relative)
    return found


def test_sync_calls_found_through_library_sources_and_async_ones_left_alone(deblock, project):
    findings = json.loads(deblock("check", "--format", "json", ".", cwd=project).stdout)
    found = Counter((f["path"], f["line"], f["code"]) for f in findings)
    assert found == _expected(project)
    by_call = {f["message"].split("`")[1]: f for f in findings}
    counterpart = by_call["VECTORS.get_collections"]
    assert "qdrant_client.AsyncQdrantClient.get_collections" in counterpart["message"]
    assert not counterpart["fixable"]
    posted = by_call["SLACK.chat_postMessage"]["message"]
    assert "slack_sdk.web.async_client.AsyncWebClient.chat_postMessage" in posted
    assert "Shout().invoke" not in by_call  # overridden, no twin, blocks on nothing
    assert "Cached.invoke → " in by_call["Cached().invoke()"]["message"]


def test_each_package_version_is_summarised_once_into_the_cache(deblock, project, tmp_path):
    args = ("check", "--format", "json", "--cache-dir", str(tmp_path), ".")
    cold = json.loads(deblock(*args, cwd=project).stdout)
    version = importlib.metadata.version("qdrant-client")
    [cached] = tmp_path.rglob(f"libraries/qdrant-client-{version}-*.json")
    assert "qdrant_client.async_qdrant_client" in json.loads(cached.read_text())
    for project_findings in tmp_path.rglob("*.project"):
        project_findings.unlink()  # judged again, from the package cache
    assert json.loads(deblock(*args, cwd=project).stdout) == cold


def test_a_changed_file_is_judged_again_without_asking_the_interpreter(
    deblock, imported, project, tmp_path
):
    args = ["check", "--format", "json", "--cache-dir", str(tmp_path), "."]
    cold = json.loads(deblock(*args, cwd=project).stdout)
    changed = project / "app" / "sync_calls.py"
    changed.write_text(changed.read_text() + "\n")  # the pre-commit case: one file edited
    output, probe = imported(args, project, ("deblock.library.probe", "importlib.metadata"))
    assert probe == []  # the packages' locations come from the cache
    assert json.loads(output) == cold


def test_a_run_without_a_cache_learns_the_same_without_reading_distributions(
    deblock, imported, project, tmp_path
):
    cached = deblock("check", "--format", "json", "--cache-dir", str(tmp_path), ".", cwd=project)
    args = ["check", "--format", "json", "--no-cache", "."]
    output, modules = imported(args, project, ("deblock.library.probe", "importlib.metadata"))
    assert modules == ["deblock.library.probe"]  # distributions only name cache files
    assert json.loads(output) == json.loads(cached.stdout)


def test_rules_learned_lists_what_each_package_taught(deblock, tmp_path):
    run = deblock("rules", "--learned", "--format", "json", "qdrant_client", cwd=tmp_path)
    facts = json.loads(run.stdout)
    get = next(f for f in facts if f["cls"].endswith("QdrantClient") and f["method"] == "count")
    assert get["package"] == "qdrant-client"
    assert get["twin_class"] == "qdrant_client.AsyncQdrantClient"
    text = deblock("rules", "--learned", "qdrant_client", cwd=tmp_path).stdout
    assert (
        "qdrant_client.qdrant_client.QdrantClient.count → qdrant_client.AsyncQdrantClient.count"
        in text
    )


def test_rules_learned_names_a_missing_package(deblock, tmp_path):
    run = deblock("rules", "--learned", "no_such_package_here", cwd=tmp_path)
    assert run.returncode == 2
    assert "no installed package 'no_such_package_here'" in run.stderr


def _run_coroutines(project: Path) -> str:
    script = (
        "import asyncio, app.sync_calls as m;"
        "print(asyncio.run(m.shout('hi')), asyncio.run(m.echo(3)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=project, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_fix_awaits_the_learned_twins_with_the_same_results(deblock, project):
    before = _run_coroutines(project)
    run = deblock("fix", ".", cwd=project)
    fixed = (project / "app" / "sync_calls.py").read_text()
    # RunnableLambda's ainvoke runs the user's function in a thread executor: not swapped
    assert "return RunnableLambda(lambda value: value).invoke(text)" in fixed
    assert "`ainvoke` runs `self.func` in a worker thread" in run.stdout
    # Shout overrides invoke; Runnable's ainvoke would only run it in a thread: not a twin,
    # and its body blocks on nothing
    assert "return Shout().invoke(text)" in fixed
    assert "Shout().invoke" not in run.stdout
    assert "return VECTORS.get_collections()" in fixed  # the client must be switched by hand
    assert "switch the client" in run.stdout
    assert _run_coroutines(project) == before == "HI 3\n"
