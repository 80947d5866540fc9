"""Where a project begins: the directory of its ``pyproject.toml``, ``setup.py`` or
``setup.cfg``; a package's ``setup.py`` is one of its modules (sanic's ``logging/setup.py``)."""

from deblock.project.dependencies import declared, project_directory


def test_a_setup_file_makes_a_project_outside_a_package_only(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\n')
    for module in ("pkg/__init__.py", "pkg/setup.py", "tools/setup.cfg", "tools/run.py"):
        (tmp_path / module).parent.mkdir(exist_ok=True)
        (tmp_path / module).write_text("")
    assert project_directory(str(tmp_path / "pkg")) == str(tmp_path)
    assert project_directory(str(tmp_path / "tools")) == str(tmp_path / "tools")
    (tmp_path / "tools" / "setup.cfg").unlink()
    assert project_directory(str(tmp_path / "tools")) == str(tmp_path)


def test_the_dependencies_asked_for_are_found_however_a_pyproject_toml_spells_them(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.poetry.dependencies]\nAnyIO = "^4"\n"Foo_Bar" = "1"\nhttpx = "*"\n'
    )
    wanted = frozenset({"anyio", "foo-bar", "trio"})
    assert declared(tmp_path, among=wanted) == {"anyio", "foo-bar"}
    assert declared(tmp_path) == {"anyio", "foo-bar", "httpx"}
