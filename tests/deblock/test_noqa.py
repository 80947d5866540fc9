"""`# noqa` comments: bare, by deblock code, by flake8-async code; real comments only."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from deblock.cli import main
from deblock.noqa import ALL, noqa_lines


def check(*paths: str) -> list[str]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "-q", *paths])
    return result.output.splitlines()


def test_suppressed_forms_silence_their_findings(project, monkeypatch):
    """Each form, on a call's first or last line, or (as in flake8 and ruff) on a line a
    backslash or a string spanning lines joins to the call's."""
    monkeypatch.chdir(project("noqa"))
    assert check("noqa/suppressed.py", "noqa/form_feed.py") == []


def test_other_codes_strings_and_other_lines_do_not_silence(project, monkeypatch):
    monkeypatch.chdir(project("noqa"))
    reported = [line.split(": ")[0] for line in check("noqa/reported.py")]
    assert reported == [
        "noqa/reported.py:5:5",
        "noqa/reported.py:9:5",
        "noqa/reported.py:13:5",
        "noqa/reported.py:18:5",
        "noqa/reported.py:22:5",
    ]


def test_flake8_async_codes_are_the_calls_own_not_only_their_rules(project, monkeypatch):
    """flake8-async and ruff report an httpx client's methods as ASYNC212, a urllib3
    pool's as ASYNC211 (a module function is ASYNC210) and ``os.posix_spawn`` as ASYNC221
    (``os.spawnl`` is ASYNC220): each silences its own calls only."""
    monkeypatch.chdir(project("noqa"))
    reported = [line.split(": ")[0] for line in check("noqa/own_codes.py")]
    assert reported == ["noqa/own_codes.py:20:5"]


def test_a_silenced_call_keeps_its_section_on_the_loop(deblock, fixtures, tmp_path):
    """The section would move into a thread whole, the silenced ``os.remove`` with it: its
    safe fix is declined (offered as unsafe), in a run and in the next one, from the cache;
    the file is left as it was."""
    shutil.copyfile(fixtures / "noqa" / "section.py", tmp_path / "section.py")
    original = (tmp_path / "section.py").read_text()
    for _ in range(2):
        fixed = deblock("fix", ".", cwd=tmp_path)
        assert fixed.stdout.count("line 10 of its section is silenced by `# noqa`") == 4
        assert (tmp_path / "section.py").read_text() == original
    deblock("fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert "asyncio.to_thread" in (tmp_path / "section.py").read_text()


def test_noqa_lines_parses_codes_from_comments_only():
    source = (
        'x = "# noqa"\n'
        "y = 1  # NOQA:dbk101, ASYNC251\n"
        "z = 2  # explained  # noqa\n"
        "w = 3  # noqa: DBK101 DBK201\n"
    )
    assert noqa_lines(source) == {
        2: frozenset({"DBK101", "ASYNC251"}),
        3: ALL,
        4: frozenset({"DBK101", "DBK201"}),
    }


def test_noqa_lines_reads_up_to_the_last_line_that_mentions_noqa():
    """The tokenizer stops after the last line naming noqa: the comment there, and the
    lines a backslash joins to it, still count; nothing below it can."""
    source = 'a = 1  # noqa\nb = call(1, \\\n         2)  # NoQa: DBK101\nc = "no" "qa"\n'
    assert noqa_lines(source) == {1: ALL, 2: frozenset({"DBK101"}), 3: frozenset({"DBK101"})}
