"""Smoke tests: the benchmark scripts run on a tiny local corpus (no network, no timing)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
BLOCKING = "import time\n\n\nasync def handler():\n    time.sleep(1)\n    return 1\n"
CLEAN = "import asyncio\n\n\nasync def handler():\n    await asyncio.sleep(1)\n"


def script(name: str, *args: str, ok=(0,)) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, str(BENCH / name), *args], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode in ok, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def _local_suite(project: Path, work_dir: Path) -> dict:
    """``project_tests.py``'s JSON report on the local project ``tiny`` at ``project``, run
    by this interpreter in ``work_dir``."""
    args = ["--source", str(project), "--package", "tiny", "--python", sys.executable]
    args += ["--work-dir", str(work_dir), "--json"]
    return json.loads(script("project_tests.py", *args).stdout)


def deblock_works() -> bool:
    exe = Path(sys.executable).parent / "deblock"
    cmd = [str(exe)] if exe.exists() else ["deblock"]
    try:
        return subprocess.run([*cmd, "--version"], capture_output=True).returncode == 0
    except OSError:
        return False


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for name in ("aiohttp", "channels"):
        pkg = root / name / name
        pkg.mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "server.py").write_text(BLOCKING)
        (pkg / "client.py").write_text(CLEAN)
    return root


def napping_project(project: Path, package: str, imports: str, call: str) -> None:
    """A project whose ``package`` (a directory under ``project``) holds a coroutine that
    sleeps on the event loop (one safe fix), and ``tests/test_tiny.py`` that runs it
    (``imports`` the package, awaits ``call``)."""
    (project / package).mkdir(parents=True)
    (project / package / "__init__.py").write_text(
        "import time\n\n\nasync def nap():\n    time.sleep(0)\n    return 1\n"
    )
    (project / "tests").mkdir()
    (project / "tests" / "test_tiny.py").write_text(
        f"import asyncio\n\n{imports}\n\n\ndef test_nap():\n    assert asyncio.run({call}) == 1\n"
    )


def contents(root: Path) -> dict[Path, tuple[str, int]]:
    """Each Python file's text and modification time."""
    return {p: (p.read_text(), p.stat().st_mtime_ns) for p in root.rglob("*.py")}


def test_corpus_counts_local_projects(tiny_corpus: Path) -> None:
    out = json.loads(script("corpus.py", "--corpus-dir", str(tiny_corpus), "--json").stdout)
    projects = {p["name"]: p for p in out["projects"]}
    assert set(projects) == {"aiohttp", "channels"}
    assert projects["aiohttp"]["files"] == 3
    assert projects["aiohttp"]["lines"] == BLOCKING.count("\n") + CLEAN.count("\n")


def test_corpus_pins_are_exact() -> None:
    code = f"import json, sys; sys.path.insert(0, {str(BENCH)!r}); import corpus; "
    code += "print(json.dumps(corpus.PINS))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    pins = json.loads(proc.stdout)
    assert len(pins) >= 14
    assert all(v.replace(".", "").isdigit() for v in pins.values())


def test_check_speed_runs(tiny_corpus: Path) -> None:
    args = ["--corpus-dir", str(tiny_corpus), "--repeat", "1", "--single-repeat", "1"]
    before = contents(tiny_corpus)
    out = json.loads(script("check_speed.py", *args, "--flake8-sample-lines", "5", "--json").stdout)
    assert {"cores", "cpu", "python", "ruff"} <= set(out["machine"])
    modes = {(r["tool"], r["mode"]): r for r in out["runs"]}
    assert modes[("ruff", "cold")]["findings"] == 2  # one time.sleep per project
    assert ("ruff", "warm") in modes and ("ruff", "single file") in modes
    assert ("flake8-async", "cold sample") in modes
    assert ("flake8-async", "cold ESTIMATE") in modes
    if deblock_works():
        assert modes[("deblock", "cold")]["returncode"] in (0, 1)
        alone = modes[("deblock, -j 1", "cold")]
        assert alone["findings"] == modes[("deblock", "cold")]["findings"] == 2
        results = {r["name"]: r for r in out["results"]}
        assert results["deblock peak RSS MB, cold, -j 1"]["value"] == alone["peak_rss_mb"]
        assert modes[("deblock", "warm")]["returncode"] in (0, 1)
        edited = modes[("deblock", "single file, edited")]
        assert edited["findings"] == modes[("deblock", "single file")]["findings"] == 1
        served = modes[("deblock", "single file, edited, resident server")]
        assert served["findings"] == 1 and served["returncode"] == 1
        warm = modes[("deblock", "warm, resident server")]
        assert warm["findings"] == modes[("deblock", "warm")]["findings"]
        assert contents(tiny_corpus) == before  # the edited file was restored
    text = script("check_speed.py", *args, "--skip-flake8").stdout
    assert "Machine:" in text and "ruff" in text


@pytest.mark.skipif(not deblock_works(), reason="deblock CLI not usable")
def test_fix_robustness_runs(tiny_corpus: Path, tmp_path: Path) -> None:
    args = ["--corpus-dir", str(tiny_corpus), "--work-dir", str(tmp_path / "work"), "--json"]
    out = json.loads(script("fix_robustness.py", *args, ok=(0, 1)).stdout)
    assert [p["project"] for p in out["projects"]] == ["aiohttp", "channels"]
    for project in out["projects"]:
        assert set(project["checks"]) == {
            "no_crash",
            "changed_files_compile",
            "second_run_changes_nothing",
        }
    # The copies were fixed, the corpus itself was left alone.
    assert (tiny_corpus / "aiohttp" / "aiohttp" / "server.py").read_text() == BLOCKING


@pytest.mark.skipif(not deblock_works(), reason="deblock CLI not usable")
def test_peer_suite_counts_annotated_lines_with_assumed_imports(tmp_path: Path) -> None:
    evals = tmp_path / "eval_files"
    evals.mkdir()
    (evals / "async210.py").write_text(
        "async def foo():\n"
        "    urlopen('')  # ASYNC210: 4, 'urlopen'\n"  # its import is one the suite adds
        "    request.urlopen('')  # ASYNC210: 4, 'request.urlopen'\n"
    )
    (evals / "async240.py").write_text(
        "import os.path\n\n\nasync def foo():\n"
        "    os.path.normpath('')  # ASYNC240: 4, 'normpath'\n"
        "    os.path.isfile('')\n"
    )
    (evals / "async100.py").write_text("async def foo():\n    pass  # ASYNC100: 4\n")
    out = json.loads(script("peer_suite.py", "--eval-dir", str(evals), "--json").stdout)
    assert (out["annotated"], out["omitted"]) == (3, 1)
    assert out["tools"]["deblock"]["found"] == 2
    assert out["tools"]["deblock"]["fraction_meant"] == 1.0
    assert out["tools"]["deblock"]["extra"] == 1  # os.path.isfile, not annotated there
    (miss,) = out["deblock_misses"]
    assert (miss["file"], miss["line"], miss["code"]) == ("async240", 5, "ASYNC240")
    assert "pure path function" in miss["reason"]


@pytest.mark.skipif(not deblock_works(), reason="deblock CLI not usable")
def test_precision_scores_the_judged_findings_still_reported(
    tiny_corpus: Path, tmp_path: Path
) -> None:
    samples = tmp_path / "samples"
    samples.mkdir()
    judged = [
        ("aiohttp/aiohttp/server.py", 5, "real"),
        ("channels/channels/server.py", 5, "false"),
        ("channels/channels/client.py", 5, "real"),  # not reported: stale
    ]
    (samples / "sample.toml").write_text(
        "".join(
            f'[[finding]]\nfile = "{f}"\nline = {n}\ncode = "DBK101"\n'
            f'verdict = "{v}"\nreason = "judged"\n\n'
            for f, n, v in judged
        )
    )
    args = ["--corpus-dir", str(tiny_corpus), "--samples", str(samples)]
    out = json.loads(script("precision.py", *args, "--json").stdout)
    assert (out["judged"], out["real"], out["precision"]) == (2, 1, 0.5)
    assert [s["file"] for s in out["stale"]] == ["channels/channels/client.py"]
    (samples / "sample.toml").write_text(
        '[[finding]]\nfile = "aiohttp/aiohttp/server.py"\nline = 5\ncode = "DBK101"\n'
        'verdict = "real"\nreason = "judged"\n'
    )
    drawn = tmp_path / "drawn.toml"
    script("precision.py", *args, "--draw", "5", "--out", str(drawn))
    text = drawn.read_text()
    assert text.count("[[finding]]") == 1  # the one finding not judged yet
    assert 'file = "channels/channels/server.py"' in text and 'verdict = ""' in text


def test_parse_less_measures_the_async_modules(tiny_corpus: Path) -> None:
    helper = "import time\n\n\ndef wait():\n    time.sleep(1)\n    return 1\n\n\n"
    (tiny_corpus / "channels" / "channels" / "helpers.py").write_text(helper + CLEAN)
    out = json.loads(script("parse_less.py", "--corpus-dir", str(tiny_corpus), "--json").stdout)
    assert out["modules"] == 5  # the modules that contain `async`
    assert out["exact_top_level_splits"] == 5
    assert out["sync_function_body_lines"] == 2  # wait()'s body; the coroutines stay


@pytest.mark.skipif(not deblock_works(), reason="deblock CLI not usable")
def test_project_tests_runs_a_local_suite_before_and_after_the_fix(tmp_path: Path) -> None:
    project = tmp_path / "tiny"
    (project / "tiny").mkdir(parents=True)
    (project / "tiny" / "__init__.py").write_text(
        "import json\n\n\nasync def bump(path):\n"
        "    with open(path) as fh:\n        n = json.load(fh)\n"
        "    with open(path, 'w') as fh:\n        json.dump(n + 1, fh)\n    return n + 1\n"
    )
    (project / "tests").mkdir()
    (project / "tests" / "test_tiny.py").write_text(
        "import asyncio\nimport time\n\nimport tiny\n\n\ndef test_bump(tmp_path):\n"
        "    (tmp_path / 'n').write_text('1')\n"
        "    assert asyncio.run(tiny.bump(tmp_path / 'n')) == 2\n\n\n"
        "def test_fails():\n    assert False\n\n\n"
        "async def nap():\n    time.sleep(0)\n    return 1\n\n\n"
        "def test_nap():\n    assert asyncio.run(nap()) == 1\n"
    )
    args = ["--source", str(project), "--package", "tiny", "--python", sys.executable]
    args += ["--work-dir", str(tmp_path / "w"), "--json"]
    copy = tmp_path / "w" / "tests-tiny"
    (tiny,) = json.loads(script("project_tests.py", *args).stdout)["projects"]
    assert tiny["fixes_applied"] == 4 and tiny["changed"] == [] and tiny["fixed"] == "package"
    assert tiny["before"]["counts"] == tiny["after"]["counts"] == {"failure": 1, "passed": 2}
    assert "_bump_in_thread" in (copy / "tiny" / "__init__.py").read_text()
    assert "_bump_in_thread" not in (project / "tiny" / "__init__.py").read_text()
    assert "time.sleep(0)" in (copy / "tests" / "test_tiny.py").read_text()
    out = json.loads(script("project_tests.py", *args, "--fix-tests").stdout)
    (tiny,) = out["projects"]
    assert tiny["fixes_applied"] == 5 and tiny["changed"] == [] and out["ok"]
    assert tiny["after"]["counts"] == {"failure": 1, "passed": 2}
    assert "await asyncio.sleep(0)" in (copy / "tests" / "test_tiny.py").read_text()
    usage = subprocess.run([sys.executable, str(BENCH / "project_tests.py"), "--source", "x"],
                           capture_output=True, text=True)  # fmt: skip
    assert usage.returncode == 2 and "--source and --package go together" in usage.stderr


@pytest.mark.skipif(not deblock_works(), reason="deblock CLI not usable")
def test_project_tests_fixes_with_the_libraries_of_the_suite_s_environment(tmp_path: Path) -> None:
    """The fix runs in the suite's environment: a twin of a library only it has
    (``kvfile.Store.get``/``aget``: the interpreter given puts its ``site-packages`` on its
    path) is learned there and swapped, as a user's run in the project's venv swaps it."""
    fixtures = Path(__file__).parent / "fixtures" / "suite_library"
    python = tmp_path / "python"
    python.write_text(
        f'#!/bin/sh\nPYTHONPATH="{fixtures / "site-packages"}${{PYTHONPATH:+:$PYTHONPATH}}" '
        f'exec {sys.executable} "$@"\n'
    )
    python.chmod(0o755)
    args = ["--source", str(fixtures / "tiny"), "--package", "tiny", "--python", str(python)]
    out = json.loads(
        script("project_tests.py", *args, "--work-dir", str(tmp_path / "w"), "--json").stdout
    )
    (tiny,) = out["projects"]
    fixed = (tmp_path / "w" / "tests-tiny" / "tiny" / "__init__.py").read_text()
    assert "await store.aget(" in fixed and tiny["fixes_applied"] == 1 and out["ok"]
    assert tiny["before"]["counts"] == tiny["after"]["counts"] == {"passed": 1}


@pytest.mark.skipif(not deblock_works(), reason="deblock CLI not usable")
def test_project_tests_reads_no_outcome_of_an_earlier_run(tmp_path: Path) -> None:
    """A session that dies before writing its report (openai-agents' sandbox tests leave
    ``os.stat`` patched and pytest crashes at exit) ran nothing, whatever the work dir
    holds from an earlier run."""
    project = tmp_path / "tiny"
    (project / "tiny").mkdir(parents=True)
    (project / "tiny" / "__init__.py").write_text("async def nap():\n    return 1\n")
    (project / "tests").mkdir()
    test = project / "tests" / "test_tiny.py"
    test.write_text("def test_nap():\n    assert True\n")
    args = ["--source", str(project), "--package", "tiny", "--python", sys.executable]
    args += ["--work-dir", str(tmp_path / "w"), "--json"]
    (tiny,) = json.loads(script("project_tests.py", *args).stdout)["projects"]
    assert tiny["before"]["counts"] == {"passed": 1}
    test.write_text("import os\n\n\ndef test_nap():\n    os._exit(3)\n")
    out = json.loads(script("project_tests.py", *args, ok=(1,)).stdout)
    (tiny,) = out["projects"]
    assert tiny["before"]["counts"] == tiny["after"]["counts"] == {} and not out["ok"]


@pytest.mark.skipif(not deblock_works(), reason="deblock CLI not usable")
def test_project_tests_finds_where_a_namespace_package_was_imported_from(tmp_path: Path) -> None:
    """A namespace package (no ``__init__.py``: langgraph's) has no file; its directory in the
    fixed copy says the tests imported the fix."""
    project = tmp_path / "tiny"
    napping_project(project, "tiny/nap", "from tiny import nap", "nap.nap()")
    out = _local_suite(project, tmp_path / "w")
    (tiny,) = out["projects"]
    assert tiny["after"]["imported_from"] == str(tmp_path / "w" / "tests-tiny" / "tiny")
    assert tiny["fixes_applied"] == 1 and out["ok"]


@pytest.mark.skipif(not deblock_works(), reason="deblock CLI not usable")
def test_project_tests_runs_the_suite_with_its_interpreter_first_on_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A test that spawns ``python`` (fastmcp's MCP configs do) gets the interpreter that
    runs the suite, as in an activated venv, not whichever comes first on ``PATH``."""
    project = tmp_path / "tiny"
    napping_project(project, "tiny", "import tiny", "tiny.nap()")
    (project / "tests" / "test_spawn.py").write_text(
        "import subprocess\nimport sys\n\n\ndef test_spawned_python_is_ours():\n"
        "    out = subprocess.run(['python', '-c', 'import sys; print(sys.executable)'],\n"
        "                         capture_output=True, text=True).stdout.strip()\n"
        "    assert out == sys.executable\n"
    )
    decoy = tmp_path / "decoy"
    decoy.mkdir()
    (decoy / "python").write_text("#!/bin/sh\necho decoy\n")
    (decoy / "python").chmod(0o755)
    monkeypatch.setenv("PATH", f"{decoy}{os.pathsep}{os.environ['PATH']}")
    out = _local_suite(project, tmp_path / "w")
    (tiny,) = out["projects"]
    assert tiny["before"]["counts"] == tiny["after"]["counts"] == {"passed": 2}


@pytest.mark.skipif(not deblock_works(), reason="deblock CLI not usable")
def test_project_tests_runs_a_suite_with_no_pytest_config_under_none(tmp_path: Path) -> None:
    """A project with no pytest configuration (kubernetes_asyncio's) copied into a work dir
    inside another project (the bench's, inside deblock's repository) runs with none, not with
    the enclosing project's, which here deselects every test."""
    outer = tmp_path / "outer"
    outer.mkdir()
    (outer / "pyproject.toml").write_text('[tool.pytest.ini_options]\naddopts = "-k nothing"\n')
    project = tmp_path / "tiny"
    napping_project(project, "tiny", "import tiny", "tiny.nap()")
    out = _local_suite(project, outer / "w")
    (tiny,) = out["projects"]
    assert tiny["before"]["counts"] == tiny["after"]["counts"] == {"passed": 1}


@pytest.mark.skipif(not deblock_works(), reason="deblock CLI not usable")
def test_project_tests_fails_a_run_whose_tests_import_the_package_from_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ``src/`` layout the interpreter finds elsewhere (here: the original, on
    ``PYTHONPATH``) tests code no fix touched: the run says where it imported the package
    from and fails, however its tests end."""
    project = tmp_path / "tiny"
    napping_project(project, "src/tiny", "import tiny", "tiny.nap()")
    monkeypatch.setenv("PYTHONPATH", str(project / "src"))
    args = ["--source", str(project), "--package", "src/tiny", "--python", sys.executable]
    ran = script("project_tests.py", *args, "--work-dir", str(tmp_path / "w"), ok=(1,))
    assert f"the tests imported its package from {project / 'src' / 'tiny'}" in ran.stdout
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "w" / "tests-tiny" / "src"))
    script("project_tests.py", *args, "--work-dir", str(tmp_path / "w"))  # the copy: passes


@pytest.mark.skipif(not deblock_works(), reason="deblock CLI not usable")
def test_check_fix_agreement_runs(tiny_corpus: Path) -> None:
    args = ["--corpus-dir", str(tiny_corpus), "--json"]
    out = json.loads(script("check_fix_agreement.py", *args).stdout)
    projects = {p["project"]: p for p in out["projects"]}
    assert set(projects) == {"aiohttp", "channels"}
    for project in projects.values():
        assert project["findings"] == 1  # one time.sleep, a safe fix
        for mode in ("safe", "unsafe"):
            assert project[mode]["check_fixable"] == project[mode]["fix_applied"] == 1
            assert project[mode]["disagreements"] == []
    assert out["disagreements"] == 0
    assert (tiny_corpus / "aiohttp" / "aiohttp" / "server.py").read_text() == BLOCKING
