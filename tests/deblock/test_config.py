"""`[tool.deblock]` in pyproject.toml: discovery, every key, and clear errors (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deblock.config import DEFAULT_EXCLUDE, ConfigError, load_settings
from deblock.project.async_library import project_libraries
from deblock.rules.model import Blocking
from deblock.runner import analyze_paths

CONFIGURED = """
[tool.deblock]
ignore = ["DBK1"]
extend-blocking-calls = [
    "legacy.client.refresh",
    { name = "legacy.client.fetch_all", message = "legacy I/O; use legacy.aio" },
]
async-twins = { read = "read_later" }
"""


def write_config(root: Path, text: str, name: str = "pyproject.toml") -> Path:
    path = root / name
    path.write_text(text)
    return path


def codes(ran) -> list[tuple[str, int, str]]:
    return [(f["path"], f["line"], f["code"]) for f in json.loads(ran.stdout)]


def test_defaults_without_a_configuration(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(["."])
    assert (settings.root, settings.config_file) == (tmp_path, None)
    assert (settings.select, settings.ignore, settings.exclude) == (("DBK",), (), DEFAULT_EXCLUDE)
    assert settings.analysis_options().async_library == "auto"


def test_configuration_is_found_walking_up_and_applied(deblock, project):
    root = project("configured/app.py", into="src/pkg")
    write_config(root, CONFIGURED)
    ran = deblock("check", "--no-cache", "--format", "json", ".", cwd=root / "src")
    assert codes(ran) == [
        ("pkg/app.py", 16, "DBK790"),
        ("pkg/app.py", 17, "DBK790"),
        ("pkg/app.py", 19, "DBK602"),
    ]
    messages = [f["message"] for f in json.loads(ran.stdout)]
    assert messages[0] == "legacy I/O; use legacy.aio"


def test_a_configured_message_names_the_function_a_reference_is_handed_to(deblock, tmp_path):
    """A configured blocking function handed by reference (``map(client.fetch_all, ...)``)
    is reported at the call a fix runs whole: its own message alone (13021b5e) did not say
    which function the finding is about, nor that ``map`` calls it."""
    write_config(tmp_path, CONFIGURED)
    (tmp_path / "pages.py").write_text(
        "from legacy import client\n\n\nasync def pages(ids):\n"
        "    return list(map(client.fetch_all, ids))\n"
    )
    ran = deblock("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    [finding] = json.loads(ran.stdout)
    assert (finding["line"], finding["col"], finding["code"]) == (5, 12, "DBK790")
    assert finding["message"] == ("`client.fetch_all` handed to `map`: legacy I/O; use legacy.aio")


def test_settings_carry_every_key_to_the_analysis_options(tmp_path):
    write_config(tmp_path, CONFIGURED + 'async-library = "trio"\n')
    settings = load_settings([str(tmp_path)])
    options = settings.analysis_options()
    assert options.extend_blocking_calls == (
        Blocking("legacy.client.refresh", "DBK790"),
        Blocking("legacy.client.fetch_all", "DBK790", message="legacy I/O; use legacy.aio"),
    )
    assert options.async_twins == (("read", "read_later"),)
    assert options.async_library == "trio"


def test_async_library_setting_reaches_the_run_result(project):
    root = project("configured/trio_app.py", "blocking.py")
    auto = analyze_paths([str(root)], load_settings([str(root)]))
    # blocking.py commits to no library: it takes its project's, which trio_app.py shows
    assert auto.libraries == {str(root / "trio_app.py"): "trio", str(root / "blocking.py"): None}
    assert sorted(project_libraries(auto.libraries).values()) == ["trio", "trio"]
    write_config(root, '[tool.deblock]\nasync-library = "anyio"\n')
    forced = analyze_paths([str(root)], load_settings([str(root)]))
    assert sorted(forced.libraries.values()) == ["anyio", "anyio"]


def test_per_file_ignores_match_globs_relative_to_the_project_root(deblock, project):
    root = project("blocking.py", into="tests/unit")
    project("blocking.py", into="src")
    write_config(root, '[tool.deblock.per-file-ignores]\n"tests/**" = ["DBK101", "ASYNC230"]\n')
    ran = deblock("check", "--no-cache", "--format", "json", ".", cwd=root)
    assert codes(ran) == [
        ("src/blocking.py", 5, "DBK101"),
        ("src/blocking.py", 9, "DBK201"),
        ("src/blocking.py", 10, "DBK202"),
        ("tests/unit/blocking.py", 10, "DBK202"),
    ]


def test_select_on_the_command_line_replaces_the_configured_one(deblock, project):
    root = project("blocking.py")
    write_config(root, '[tool.deblock]\nselect = ["DBK2"]\nignore = ["DBK202"]\n')
    assert [c for *_, c in codes(deblock("check", "--no-cache", "--format", "json", cwd=root))] == [
        "DBK201"
    ]
    ran = deblock("check", "--no-cache", "--format", "json", "--select", "DBK1", cwd=root)
    assert [c for *_, c in codes(ran)] == ["DBK101"]


def test_config_option_reads_a_standalone_file(deblock, project):
    root = project("blocking.py")
    write_config(root, 'ignore = ["DBK2"]\n', name="deblock.toml")
    ran = deblock("check", "--no-cache", "--format", "json", "--config", "deblock.toml", cwd=root)
    assert [c for *_, c in codes(ran)] == ["DBK101"]


def test_unknown_key_is_named_with_a_suggestion_and_exits_2(deblock, project):
    root = project("blocking.py")
    write_config(root, '[tool.deblock]\nextend-exclud = ["x"]\n')
    ran = deblock("check", "--no-cache", cwd=root)
    assert ran.returncode == 2
    assert ran.stdout == ""
    assert "unknown key `extend-exclud` in [tool.deblock]" in ran.stderr
    assert "did you mean `extend-exclude`?" in ran.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('select = "DBK1"', "`select` must be a list of strings"),
        ('ignore = ["DBK9"]', "`ignore`: unknown rule code or prefix 'DBK9'"),
        ("exclude = [1]", "`exclude` must be a list of strings"),
        ('extend-exclude = "build"', "`extend-exclude` must be a list of strings"),
        ('per-file-ignores = ["x"]', "`per-file-ignores` must be a table"),
        ('per-file-ignores = { "t/*" = ["NOPE1"] }', "unknown rule code or prefix 'NOPE1'"),
        ('extend-blocking-calls = "a.b"', "`extend-blocking-calls` must be a list"),
        ('extend-blocking-calls = ["not a name"]', "`name` must be a qualified name"),
        ('extend-blocking-calls = [{ name = "a.b", why = "x" }]', "unknown field(s) why"),
        ('extend-blocking-calls = [{ name = "a.b", message = 3 }]', "`message` of a.b"),
        ("async-twins = { get = 3 }", "`async-twins` must be a table"),
        ('async-library = "curio"', "`async-library` must be one of auto, asyncio, trio, anyio"),
        ('force-exclude = "yes"', "`force-exclude` must be true or false"),
    ],
)
def test_bad_values_name_the_key(tmp_path, text, message):
    write_config(tmp_path, f"[tool.deblock]\n{text}\n")
    with pytest.raises(ConfigError, match="pyproject.toml") as raised:
        load_settings([str(tmp_path)])
    assert message in str(raised.value)


def test_invalid_toml_exits_2(deblock, project):
    root = project("blocking.py")
    write_config(root, "[tool.deblock\nselect = [\n")
    ran = deblock("check", "--no-cache", cwd=root)
    assert ran.returncode == 2
    assert "is not valid TOML" in ran.stderr


def test_missing_config_file_exits_2(deblock, tmp_path):
    ran = deblock("check", "--config", "missing.toml", cwd=tmp_path)
    assert ran.returncode == 2
    assert "cannot read" in ran.stderr and "missing.toml" in ran.stderr


def test_a_pyproject_without_a_deblock_table_is_passed_over(tmp_path):
    (tmp_path / "pkg").mkdir()
    write_config(tmp_path, '[tool.deblock]\nignore = ["DBK1"]\n')
    write_config(tmp_path / "pkg", '[project]\nname = "uses-deblock"\ntool = 1\n')
    settings = load_settings([str(tmp_path / "pkg")])
    assert (settings.root, settings.ignore) == (tmp_path, ("DBK1",))


def test_config_file_without_a_deblock_table_gives_the_defaults(tmp_path):
    path = write_config(tmp_path, "[tool.ruff]\nline-length = 90\n", name="other.toml")
    settings = load_settings(config_file=path)
    assert (settings.root, settings.select, settings.ignore) == (tmp_path, ("DBK",), ())
