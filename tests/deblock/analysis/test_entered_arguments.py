"""The walk reads what a ``with`` target or a stack's entry holds (``ENTERS_ARGUMENT``) by
the maker resolved through the module's imports, as the state rules read it by callees."""

import ast
from pathlib import Path

from deblock.analysis.walker import walk_module

CASE = Path(__file__).parent / "fixtures" / "entered" / "renamed.py"


def test_a_name_changed_through_a_null_context_changes_what_the_maker_really_enters_to():
    """``nc(ITEMS)`` (``nullcontext`` imported as ``nc``) and a stack's ``enter_context(nc(
    SPARE))`` hold the imported lists, changed in place through the target; the module's
    own ``nullcontext(OTHER)`` enters to a new list, so ``OTHER`` is not changed (a match by
    the last name took both the other way)."""
    facts = walk_module(ast.parse(CASE.read_text(encoding="utf-8")), "renamed")
    assert {"ITEMS", "OTHER", "SPARE"} & facts.changed_names == {"ITEMS", "SPARE"}
