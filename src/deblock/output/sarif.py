"""The sarif format: SARIF 2.1.0 for GitHub code scanning and other viewers.

Rules come from the registry; columns count Unicode code points; paths are relative to
the working directory (``%SRCROOT%``); unreadable files are tool notifications.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from deblock import __version__
from deblock.findings import FileError, Finding
from deblock.output.rule_docs import explanation, markdown
from deblock.rules import RULES, equivalents
from deblock.rules.model import Rule
from deblock.runner import RunResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/deblock/"


def _rule(rule: Rule) -> dict:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.what},
        "fullDescription": {"text": rule.why},
        "help": {"text": explanation(rule), "markdown": markdown(rule)},
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "tags": ["async", rule.family, *equivalents(rule)],
            "fixSafety": rule.fix_safety,
        },
    }


def _location(path: str, region: dict) -> dict:
    if os.path.isabs(path):
        artifact = {"uri": Path(path).as_uri()}
    else:
        artifact = {"uri": quote(Path(path).as_posix()), "uriBaseId": "%SRCROOT%"}
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def _result(finding: Finding, index: dict[str, int]) -> dict:
    region = {
        "startLine": finding.line,
        "startColumn": finding.col,
        "endLine": finding.end_line,
        "endColumn": finding.end_col,
    }
    result = {
        "ruleId": finding.code,
        "level": "error",
        "message": {"text": finding.message},
        "locations": [_location(finding.path, region)],
    }
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    return result


def _notification(error: FileError) -> dict:
    region = {"startLine": error.line or 1}
    if error.col:
        region["startColumn"] = error.col
    return {
        "level": "error",
        "message": {"text": f"{error.path}: {error.reason}"},
        "locations": [_location(error.path, region)],
    }


def render(result: RunResult) -> str:
    index = {rule.code: i for i, rule in enumerate(RULES)}
    run = {
        "tool": {
            "driver": {
                "name": "deblock",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(rule) for rule in RULES],
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "invocations": [
            {
                "executionSuccessful": not result.internal_errors,
                "toolExecutionNotifications": [_notification(e) for e in result.errors],
            }
        ],
        "results": [_result(f, index) for f in result.findings],
    }
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2) + "\n"
