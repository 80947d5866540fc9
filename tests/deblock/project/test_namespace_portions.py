"""Directories without ``__init__.py`` inside a regular package (namespace portions, PEP 420)
name their modules as Python imports them: two ``utils.py`` in two such directories are two
modules, whichever of them a run holds, and a test beside its helpers still finds them by
their bare name (pytest puts its directory on ``sys.path``). Two modules of one text keep
their own names in a warm run."""

import shutil
from pathlib import Path

import pytest
from json_check import checked

FIXTURES = Path(__file__).parent / "fixtures"
BUILD = ("namespace_portions/kit/template/build.py", 8, "`pack()`")
RUN = ("namespace_portions/kit/sandbox/run.py", 8, "`tag()`")
TEST = ("namespace_portions/kit/tests/test_flow.py", 7, "`settle()`")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("run")
    for name in ("namespace_portions", "twin_modules"):
        shutil.copytree(FIXTURES / name, root / name)
    (root / "empty.toml").touch()
    return root


def check(cwd: Path, *targets: str, cache: Path | None = None) -> set[tuple[str, int, str]]:
    return {
        (path, line, message.partition(" ")[0])
        for path, line, message in found(cwd, *targets, cache=cache)
    }


def found(cwd: Path, *targets: str, cache: Path | None = None) -> set[tuple[str, int, str]]:
    return {(f["path"], f["line"], f["message"]) for f in checked(cwd, *targets, cache=cache)}


def test_each_portion_resolves_its_own_utils(run_dir):
    assert check(run_dir, "namespace_portions") == {BUILD, RUN, TEST}


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        (["kit/template", "kit/sandbox/utils.py"], {BUILD}),
        (["kit/sandbox", "kit/template/utils.py"], {RUN}),
    ],
)
def test_another_portions_utils_in_the_run_changes_nothing(run_dir, targets, expected):
    assert check(run_dir, *(f"namespace_portions/{t}" for t in targets)) == expected


def test_a_test_finds_its_helpers_beside_it_by_their_bare_name(run_dir):
    assert check(run_dir, "namespace_portions/kit/tests") == {TEST}


def test_a_warm_run_reads_back_what_a_cold_one_found(run_dir, tmp_path):
    cold = check(run_dir, "namespace_portions", cache=tmp_path)
    assert check(run_dir, "namespace_portions", cache=tmp_path) == cold == {BUILD, RUN, TEST}


def test_a_module_of_another_ones_text_keeps_its_name_in_a_warm_run(run_dir, tmp_path):
    cold = found(run_dir, "twin_modules", cache=tmp_path)
    assert any("(twin_modules/twins/first/jobs.py:7)" in message for *_, message in cold)
    with (run_dir / "twin_modules" / "twins" / "main.py").open("a") as main:
        main.write("# edited: the project pass runs again, on cached summaries\n")
    assert found(run_dir, "twin_modules", cache=tmp_path) == cold
