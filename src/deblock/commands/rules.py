"""`deblock rules` (the table of rules) and `deblock explain CODE` (one rule's documentation)."""

from __future__ import annotations

import json
import sys
from itertools import groupby

import click

from deblock.cli import Failure
from deblock.commands.options import python_option, run_settings
from deblock.library.learning import learned_from
from deblock.library.summaries import Libraries
from deblock.output.rule_docs import explanation
from deblock.project.index import ProjectIndex
from deblock.project.summaries import ModuleSummaries
from deblock.rules import BY_CODE, RULES, equivalents
from deblock.rules.model import Rule

COLUMNS = ("code", "name", "fix", "flake8-async")


def _row(rule: Rule) -> tuple[str, str, str, str]:
    return (rule.code, rule.name, rule.fix_safety, ", ".join(equivalents(rule)) or "-")


@click.command()
@click.argument("packages", nargs=-1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json", "markdown")),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--learned",
    is_flag=True,
    help="List what deblock learns from the installed PACKAGES (import names): sync methods "
    "and their coroutine twins or async classes.",
)
@python_option
def rules(packages: tuple[str, ...], fmt: str, learned: bool, python: str | None) -> None:
    """List every rule: code, name, fix availability and safety, flake8-async equivalent
    (``--format markdown`` prints the README's table); with ``--learned``, what deblock
    learns from installed PACKAGES."""
    if learned or packages:
        _learned(packages, fmt, python)
        return
    if fmt == "json":
        entries = [
            {"code": r.code, "name": r.name, "family": r.family, "message": r.message,
             "fix": r.fix_safety, "fixable": r.fix_safety != "none",
             "async_equivalent": r.async_equivalent, "async_equivalents": equivalents(r)}
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


def _learned(packages: tuple[str, ...], fmt: str, python: str | None) -> None:
    if not packages:
        raise Failure("name the packages to learn from: `deblock rules --learned qdrant_client`")
    settings = run_settings((), None, (), (), python=python)
    libraries = Libraries(settings.python, settings.default_cache_dir)
    libraries.locate(packages)
    index = ProjectIndex(ModuleSummaries(libraries=libraries), libraries=True)
    rows = []
    for root in packages:
        package = libraries.packages[root]
        if package is None:
            raise Failure(f"no installed package {root!r} in {settings.python or sys.executable}")
        for fact in learned_from(index, package, dict(settings.async_twins)):
            rows.append({"package": package.dist, "version": package.version, **fact._asdict()})
    libraries.save()
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for (dist, version), facts in groupby(rows, key=lambda r: (r["package"], r["version"])):
        click.echo(f"{dist} {version}")
        for fact in facts:
            twin = f"{fact['twin_class']}.{fact['twin']}" if fact["twin_class"] else fact["twin"]
            note = "" if fact["signature_matches"] else "  (other parameters: not swapped)"
            if fact["in_thread"]:
                note += f"  (runs {fact['in_thread']} in a worker thread: not swapped)"
            click.echo(f"  {fact['cls']}.{fact['method']} → {twin}{note}")


@click.command()
@click.argument("code")
def explain(code: str) -> None:
    """Explain rule CODE (a deblock code like DBK101, or its flake8-async equivalent)."""
    code = code.strip().upper()
    matches = [BY_CODE[code]] if code in BY_CODE else [
        rule for rule in RULES if code in equivalents(rule)
    ]  # fmt: skip
    if not matches:
        raise Failure(f"unknown rule code {code!r}; `deblock rules` lists them")
    click.echo("\n".join(explanation(rule) for rule in matches), nl=False)
