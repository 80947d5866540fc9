"""`deblock rules` (the table of rules) and `deblock explain CODE` (one rule's documentation)."""

from __future__ import annotations

import json

import click

from deblock.cli import Failure
from deblock.output.rule_docs import explanation
from deblock.rules import BY_CODE, RULES
from deblock.rules.model import Rule

COLUMNS = ("code", "name", "fix", "flake8-async")


def _row(rule: Rule) -> tuple[str, str, str, str]:
    return (rule.code, rule.name, rule.fix_safety, rule.async_equivalent or "-")


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json", "markdown")),
    default="text",
    show_default=True,
    help="Output format.",
)
def rules(fmt: str) -> None:
    """List every rule: code, name, fix availability and safety, flake8-async equivalent
    (``--format markdown`` prints the README's table)."""
    if fmt == "json":
        entries = [
            {"code": r.code, "name": r.name, "family": r.family, "message": r.message,
             "fix": r.fix_safety, "fixable": r.fix_safety != "none",
             "async_equivalent": r.async_equivalent}
            for r in RULES
        ]  # fmt: skip
        click.echo(json.dumps(entries, indent=2))
        return
    rows = [_row(rule) for rule in RULES]
    if fmt == "markdown":
        click.echo("| " + " | ".join(COLUMNS) + " | what it finds |")
        click.echo("|" + " --- |" * (len(COLUMNS) + 1))
        for rule, row in zip(RULES, rows, strict=True):
            click.echo(f"| {' | '.join(row)} | {rule.what} |")
        return
    rows.insert(0, COLUMNS)
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


@click.command()
@click.argument("code")
def explain(code: str) -> None:
    """Explain rule CODE (a deblock code like DBK101, or its flake8-async equivalent)."""
    code = code.strip().upper()
    matches = [BY_CODE[code]] if code in BY_CODE else [
        rule for rule in RULES if rule.async_equivalent == code
    ]  # fmt: skip
    if not matches:
        raise Failure(f"unknown rule code {code!r}; `deblock rules` lists them")
    click.echo("\n".join(explanation(rule) for rule in matches), nl=False)
