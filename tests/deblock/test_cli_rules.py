"""`deblock rules` and `deblock explain`."""

from __future__ import annotations

import json

from click.testing import CliRunner

from deblock.cli import main
from deblock.output.rule_docs import markdown
from deblock.rules import BY_CODE, RULES


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_rules_table_lists_every_rule_with_fix_and_flake8_async_equivalent():
    result = invoke("rules")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["code", "name", "fix", "flake8-async"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert list(rows) == [rule.code for rule in RULES]
    assert rows["DBK101"].split() == ["DBK101", "blocking-sleep", "safe", "ASYNC251"]
    assert rows["DBK702"].split() == ["DBK702", "blocking-lock-acquire", "none", "-"]
    assert rows["DBK501"].endswith("ASYNC210, ASYNC211, ASYNC212")


def test_rules_as_json():
    entries = json.loads(invoke("rules", "--format", "json").output)
    by_code = {entry["code"]: entry for entry in entries}
    assert len(entries) == len(RULES)
    assert by_code["DBK101"]["async_equivalent"] == "ASYNC251"
    assert by_code["DBK501"]["async_equivalents"] == ["ASYNC210", "ASYNC211", "ASYNC212"]
    assert by_code["DBK101"]["fixable"] is True
    assert by_code["DBK702"]["fixable"] is False


def test_explain_prints_what_why_example_instead_and_fix_safety():
    result = invoke("explain", "DBK101")
    assert result.exit_code == 0
    text = result.output
    assert text.startswith("DBK101 blocking-sleep (flake8-async: ASYNC251)\n")
    for heading in ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety"):
        assert f"\n{heading}\n" in text
    assert "    async def retry():\n        time.sleep(1)\n" in text
    assert "await asyncio.sleep(1)" in text


def test_explain_accepts_lower_case_and_flake8_async_codes():
    assert invoke("explain", "dbk101").output == invoke("explain", "DBK101").output
    assert invoke("explain", "ASYNC251").output == invoke("explain", "DBK101").output
    assert invoke("explain", "ASYNC212").output == invoke("explain", "DBK501").output


def test_explain_unknown_code_is_an_error(deblock, tmp_path):
    ran = deblock("explain", "DBK999", cwd=tmp_path)
    assert ran.returncode == 2
    assert "unknown rule code 'DBK999'" in ran.stderr


def test_rules_as_a_markdown_table():
    lines = invoke("rules", "--format", "markdown").output.splitlines()
    assert lines[0] == "| code | name | fix | flake8-async | what it finds |"
    assert lines[1] == "| --- | --- | --- | --- | --- |"
    assert len(lines) == 2 + len(RULES)
    assert lines[2].startswith("| DBK101 | blocking-sleep | safe | ASYNC251 | Finds `time.sleep()`")


def test_explain_says_what_the_fixer_does():
    assert invoke("explain", "DBK101").output.endswith(
        "Fix safety\n    safe: `deblock fix` applies the `sleep` fix.\n"
    )
    assert "    none: `deblock fix` leaves it to you.\n" in invoke("explain", "DBK702").output
    with_alternative = " ".join(invoke("explain", "DBK401").output.split())
    assert "with `--unsafe-fixes`, the `create-subprocess` fix." in with_alternative


def test_markdown_documentation_fences_the_code():
    text = markdown(BY_CODE["DBK101"])
    assert text.startswith("## DBK101 blocking-sleep (flake8-async: ASYNC251)\n\n**What it does**")
    assert "**Example**\n\n```python\nasync def retry():\n    time.sleep(1)\n```" in text
