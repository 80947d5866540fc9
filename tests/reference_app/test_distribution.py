"""The companion as its own distribution, installed into a fresh virtualenv without its deps."""

import subprocess
from pathlib import Path

from distributions import build_wheel, fresh_venv, wheel_contents

APP = Path(__file__).resolve().parents[2] / "reference_app"


def test_wheel_holds_the_app_and_a_missing_dependency_is_one_clear_line(tmp_path):
    wheel = build_wheel(APP, tmp_path)
    top_level, entry_points = wheel_contents(wheel)
    assert {name for name in top_level if not name.endswith(".dist-info")} == {"ai_companion"}
    assert "companion = ai_companion.entry:main" in entry_points

    bin_dir = fresh_venv(tmp_path / "venv")
    install = [bin_dir / "python", "-m", "pip", "install", "--quiet", "--no-index", "--no-deps"]
    subprocess.run([*install, wheel], check=True)
    result = subprocess.run(
        [bin_dir / "companion", "ask", "Hello"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: the companion needs the 'click' module")
    assert "pip install -e ./reference_app" in result.stderr
