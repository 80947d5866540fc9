"""A function's reads of names imported whole (``body_whole_reads``) are its body's: not
its decorators', defaults' or annotations', which run where the function is defined."""

import ast

from deblock.analysis.shared_state import StateAccess, body_whole_reads
from deblock.analysis.walker import walk_module

SOURCE = """
from store import ITEMS, KIND, LIMIT, MODE, TABLE

@register(MODE)
def count(limit: KIND = LIMIT) -> KIND:
    total = len(ITEMS)
    return total + TABLE.size
"""


def test_only_the_body_reads_whole():
    facts = walk_module(ast.parse(SOURCE), "program")
    record = next(r for r in facts.functions if r.node.name == "count")
    access = StateAccess(record, {"ITEMS", "KIND", "LIMIT", "MODE", "TABLE"})
    reads = body_whole_reads(record, access.imported, access)
    assert [(node.id, node.lineno) for node in reads] == [("ITEMS", 6)]
