"""A call the project pass leaves on the event loop (its section calls what needs the loop;
a caller runs its coroutine under a deadline) declines the module's other fixes on the file
system, as a call its own analysis leaves there does: the module's lock does not reach the
loop (``fixtures/left_on_loop``, a project each: ``# left`` marks the calls left there,
``# beside`` those whose fixes are declined for them), in ``check`` and in ``fix``."""

import re
import shutil
from pathlib import Path

import pytest

from deblock.config import load_settings
from deblock.runner import analyze_paths

PROJECT = Path(__file__).parent / "fixtures" / "left_on_loop"
MODULES = ("counter/pkg/counter.py", "notes/pkg/notes.py")  # a project each
# whether the calls left on the loop keep an unsafe fix: one moving a call that needs the
# loop (counter's ``stamp``) has none; one under a caller's deadline (notes) keeps it
LEFT_UNSAFE = {"counter/pkg/counter.py": False, "notes/pkg/notes.py": True}


def _marked(module: str, mark: str) -> list[int]:
    lines = (PROJECT / module).read_text().splitlines()
    return [number for number, text in enumerate(lines, 1) if text.endswith(f"# {mark}")]


def _copy(tmp_path: Path, module: str) -> Path:
    project = Path(module).parts[0]
    return shutil.copytree(PROJECT / project, tmp_path / project)


@pytest.mark.parametrize("module", MODULES)
def test_a_call_left_on_the_loop_declines_the_module_s_fixes_beside_it(tmp_path, module):
    project = _copy(tmp_path, module)
    files = analyze_paths([str(project)], load_settings([str(project)]), jobs=1).files
    found = files[str(project / Path(module).relative_to(project.name))]
    first = _marked(module, "left")[0]
    assert {f.line for f in found} == set(_marked(module, "left") + _marked(module, "beside"))
    for finding in found:
        assert not finding.strategy, finding
        beside = finding.line in _marked(module, "beside")
        assert bool(finding.unsafe_strategy) == (beside or LEFT_UNSAFE[module]), finding
        if beside:
            assert finding.declined == (
                f"line {first} touches the file system too and stays on the event loop, where "
                "the lock that serialises the threads does not reach"
            )


@pytest.mark.parametrize("module", MODULES)
def test_fix_leaves_them_on_the_loop(deblock, tmp_path, module):
    fixed = deblock("fix", "--no-cache", ".", cwd=_copy(tmp_path, module))
    assert "0 fixes applied" in fixed.stdout, fixed.stdout
    left = re.findall(r"^pkg/\w+\.py:(\d+):.*touches the file system too", fixed.stdout, re.M)
    assert left == [str(line) for line in _marked(module, "beside")]
