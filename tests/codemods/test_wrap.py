"""Long lines a fix writes are broken at the project's line length; only whitespace changes."""

import ast
import shutil
from pathlib import Path

import libcst as cst
import pytest
from codemod_cases import ROOT, run_codemod

from deblock.codemods.wrap import wrapped

BEFORE = ROOT / "call_async" / "pybreaker_trio.before.py"
CALL = "    response = await breaker.call_async("


def _fixed(directory: Path, pyproject: str | None, comment: str = "") -> str:
    directory.mkdir()
    if pyproject is not None:
        (directory / "pyproject.toml").write_text(pyproject)
    path = directory / "client.py"
    shutil.copyfile(BEFORE, path)
    source = path.read_text().replace("timeout=5)\n", f"timeout=5){comment}\n")
    return run_codemod("call-async", source, str(path))


@pytest.mark.parametrize(
    ("pyproject", "widest"),
    [
        (None, 88),  # ruff's and black's default
        ("[tool.ruff]\nline-length = 100\n", 100),
        ("[tool.black]\nline-length = 79\n", 79),
    ],
)
def test_a_long_rewrite_is_broken_at_the_projects_line_length(tmp_path, pyproject, widest):
    fixed = _fixed(tmp_path / "broken", pyproject)
    unbroken = _fixed(tmp_path / "unbroken", "[tool.ruff]\nline-length = 1000\n")
    assert max(map(len, fixed.splitlines())) <= widest < max(map(len, unbroken.splitlines()))
    assert CALL in fixed.splitlines()
    assert ast.dump(ast.parse(fixed)) == ast.dump(ast.parse(unbroken))


def test_a_rewrite_that_fits_stays_on_one_line(tmp_path):
    fixed = _fixed(tmp_path / "wide", "[tool.ruff]\nline-length = 140\n")
    assert f"{CALL}functools.partial(trio.to_thread.run_sync, " in fixed


def test_a_rewrite_with_a_trailing_comment_stays_on_its_line(tmp_path):
    fixed = _fixed(tmp_path / "commented", None, "  # type: ignore[arg-type]")
    (line,) = [line for line in fixed.splitlines() if line.startswith(CALL)]
    assert line.endswith("timeout=5)))  # type: ignore[arg-type]")


def test_a_lone_generator_expression_argument_takes_no_trailing_comma():
    """``sum(x for x in y,)`` does not parse: a call whose only argument is a generator
    expression too long for its line opens its brackets, with no comma after it."""
    statement = (
        "    counted = sum(1 for row in await asyncio.to_thread(lambda: list(read_rows(path)))"
        ' if row != "stop")\n'
    )
    module = cst.parse_module(f"async def count(path):\n{statement}    return counted\n")
    fixed = wrapped(module, "", 88).code
    assert "    counted = sum(\n        1 for row in " in fixed
    assert fixed.splitlines()[3] == "    )"
    assert ast.dump(ast.parse(fixed)) == ast.dump(ast.parse(module.code))


@pytest.mark.parametrize("limit", [88, 30])
def test_a_long_import_a_fix_writes_takes_brackets(limit):
    """An import of names the fix wrote past the line length (fastmcp 4.2.3's project
    bridge beside another name of its module) is opened in brackets: its names on one
    line when they fit, else one a line (a ``from`` import has no brackets to open: the
    fix failed on it)."""
    line = (
        "from fastmcp.utilities.mcp_server_config.async_utilities import"
        " call_sync_fn_in_threadpool, gather\n"
    )
    module = cst.parse_module(f"{line}\n\nasync def load():\n    return gather\n")
    first, *rest = wrapped(module, "", limit).code.splitlines()
    assert first == "from fastmcp.utilities.mcp_server_config.async_utilities import ("
    names = ["    call_sync_fn_in_threadpool,", "    gather,"] if limit == 30 else None
    expected = (names or ["    call_sync_fn_in_threadpool, gather"]) + [")"]
    assert rest[: len(expected)] == expected
    fixed = "\n".join([first, *rest])
    assert ast.dump(ast.parse(fixed)) == ast.dump(ast.parse(module.code))


@pytest.mark.parametrize(
    "display",
    [
        '{"file": await asyncio.to_thread(lambda: open(path, "rb").read()), "name": name}',
        '{await asyncio.to_thread(lambda: open(path, "rb").read()), name, "and another"}',
        '[await asyncio.to_thread(lambda: open(path, "rb").read()), name, "and another"]',
    ],
    ids=["dict", "set", "list"],
)
def test_a_long_display_a_fix_writes_opens_its_braces(display):
    """A dict or set display past the line length opens its braces as a list opens its
    brackets (python-telegram-bot 22.8's ``_bot.py``: the fix failed on a dict)."""
    source = f"async def send(path, name):\n    data = {display}\n    return data\n"
    module = cst.parse_module(source)
    fixed = wrapped(module, "", 88).code
    lines = fixed.splitlines()
    assert lines[1] == f"    data = {display[0]}" and lines[3] == f"    {display[-1]}"
    assert max(map(len, lines)) <= 88
    assert ast.dump(ast.parse(fixed)) == ast.dump(ast.parse(module.code))


@pytest.mark.parametrize("statement", ["chosen = ", "return "])
def test_a_long_value_the_brackets_do_not_close_takes_brackets_of_its_own(statement):
    """A value whose widest brackets leave more of it after them (a call in a conditional
    expression, khoj 1.42's twin call) is put in brackets of its own, as ruff format
    would, instead of opening the call's."""
    value = "await Adapters.aget_agent_chat_model(agent, current_user) if agent else default"
    module = cst.parse_module(
        f"async def pick(agent, current_user, default):\n    {statement}{value}\n"
    )
    fixed = wrapped(module, "", 88).code
    assert fixed.splitlines()[1:] == [f"    {statement}(", f"        {value}", "    )"]
    assert ast.dump(ast.parse(fixed)) == ast.dump(ast.parse(module.code))


def test_a_call_in_an_f_string_s_replacement_field_is_not_opened():
    """A replacement field may not span lines before Python 3.12: the f-string stays on
    its line, as long as it is (jupyter_server 2.21's ``filemanager.py``: the fix failed
    with an unterminated string)."""
    value = (
        "f\"{await anyio.to_thread.run_sync(self._get_os_path, to_path_original.strip('/'))}"
        '/{to_name}"'
    )
    source = f"async def copy(self, to_path_original, to_name):\n    target = {value}\n"
    fixed = wrapped(cst.parse_module(source), "", 88).code
    assert fixed == source
    compile(fixed, "copy.py", "exec")


@pytest.mark.parametrize(
    ("header", "opened"),
    [
        (
            "async with httpx.AsyncClient(transport=transport, base_url=url, verify="
            "await asyncio.to_thread(ssl.create_default_context)) as client:",
            ["    async with httpx.AsyncClient(", "        transport=transport,"],
        ),
        (
            "for entry in await asyncio.to_thread(lambda: list(os.scandir(os.path.join(url,"
            ' "entries")))):',
            [
                "    for entry in await asyncio.to_thread(",
                '        lambda: list(os.scandir(os.path.join(url, "entries")))',
            ],
        ),
        (
            "if await asyncio.to_thread(os.path.exists, os.path.join(url, transport, "
            '"a-long-name")):',
            [
                "    if await asyncio.to_thread(",
                '        os.path.exists, os.path.join(url, transport, "a-long-name")',
            ],
        ),
        (
            "while await asyncio.to_thread(os.path.exists, os.path.join(url, transport, "
            '"a-lock-file")):',
            [
                "    while await asyncio.to_thread(",
                '        os.path.exists, os.path.join(url, transport, "a-lock-file")',
            ],
        ),
    ],
    ids=["async with", "for", "if", "while"],
)
def test_a_long_header_a_fix_writes_is_opened(header, opened):
    """A compound statement's header the fix lengthened past the line length (sse-starlette
    3.7.1's ``async with`` of a client given a default TLS context, 112 columns) is opened
    at its widest brackets, as a one-line statement is; its body stays as it was."""
    source = f"async def get(transport, url):\n    {header}\n        return url\n"
    module = cst.parse_module(source)
    lines = wrapped(module, "", 88).code.splitlines()
    assert lines[1 : 1 + len(opened)] == opened
    assert max(map(len, lines)) <= 88 and lines[-1] == "        return url"
    assert ast.dump(ast.parse("\n".join(lines))) == ast.dump(ast.parse(source))


@pytest.mark.parametrize("comment", ["", "  # noqa: E501"])
def test_a_long_header_the_original_had_or_a_commented_one_stays(comment):
    """A header as long in the original, or one carrying a comment that names its line,
    keeps its line; so does an ``elif`` the fix did not write."""
    header = (
        "    elif await asyncio.to_thread(os.path.exists, os.path.join(url, transport, "
        f'"a-long-name")):{comment}'
    )
    source = f"async def get(transport, url):\n    if url:\n        pass\n{header}\n        pass\n"
    original = source if not comment else ""
    assert wrapped(cst.parse_module(source), original, 88).code == source


def test_a_header_whose_parts_a_fix_built_as_lists_is_read():
    """A codemod builds a statement's parts as lists where the parser makes tuples
    (mcp-server-git's tests: the `async with` of a thread section, beside a long line a fix
    wrote): the header is read all the same, and the long line broken."""
    call = "asyncio.to_thread((tmp_path / 'a-long-file-name.txt').read_text, 'utf-8')"
    body = f"    async with lock, lock:\n        data = await {call}\n"
    source = f"async def read(lock, tmp_path):\n{body}"
    module = cst.parse_module(source)
    header = module.body[0].body.body[0]
    module = module.deep_replace(header, header.with_changes(items=list(header.items)))
    lines = wrapped(module, "", 88).code.splitlines()
    assert lines[1] == "    async with lock, lock:" and max(map(len, lines)) <= 88
    assert ast.dump(ast.parse("\n".join(lines))) == ast.dump(ast.parse(source))
