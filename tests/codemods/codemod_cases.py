"""Before/after fixture files: ``fixtures/<strategy>/<case>.before.py`` and ``.after.py``."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
from libcst.codemod import CodemodContext

from deblock.codemods.registry import CODEMODS

ROOT = Path(__file__).parent / "fixtures"


def cases() -> list[Path]:
    """Every ``*.before.py`` under ``fixtures``."""
    return sorted(ROOT.glob("*/*.before.py"))


def case_id(before: Path) -> str:
    return f"{before.parent.name}/{before.name.removesuffix('.before.py')}"


def after_of(before: Path) -> Path:
    return before.with_name(before.name.replace(".before.py", ".after.py"))


def run_codemod(strategy: str, source: str, filename: str) -> str:
    """The codemod of ``strategy`` run alone, finding its targets with the analyzer."""
    command = CODEMODS[strategy](CodemodContext(filename=filename))
    return command.transform_module(cst.parse_module(source)).code


def fix_case(before: Path) -> str:
    strategy = before.parent.name.replace("_", "-")
    return run_codemod(strategy, before.read_text(encoding="utf-8"), str(before))
