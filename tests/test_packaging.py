"""deblock's wheel holds deblock alone: no reference companion, no ``companion`` script."""

from pathlib import Path

from distributions import build_wheel, wheel_contents

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_installs_deblock_and_its_script_only(tmp_path):
    top_level, entry_points = wheel_contents(build_wheel(ROOT, tmp_path))
    assert {name for name in top_level if not name.endswith(".dist-info")} == {"deblock"}
    assert "deblock = deblock.__main__:run" in entry_points
    assert "companion" not in entry_points
