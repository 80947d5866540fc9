"""Reads of a value as text that show nothing of what a module writes of its own instances.

``str(x)``, ``repr(x)`` and an f-string's ``{x}`` (with no format spec) of an instance of a
class that takes its text from ``object`` give ``<mod.Gauge object at 0x...>`` whatever its
attributes hold. Such a class is one of the module's, on no base but ``object``, with no
decorator (``@dataclass`` writes a ``__repr__``), in a module where no class defines
``__str__``, ``__repr__`` or ``__format__`` (a subclass of it could). A write that rebinds
an attribute of such an instance (``self.active = 0``, ``self.active += 1`` of a number)
changes the instance only; one that changes the attribute's value in place
(``self.log.append(x)``) changes an object the read may show.
"""

from __future__ import annotations

import ast

from deblock.analysis.scopes import ClassInfo, Kind

_TEXT_CALLS = frozenset({"builtins.str", "builtins.repr"})
_TEXT_METHODS = frozenset({"__str__", "__repr__", "__format__"})


def text_reads(statement: ast.stmt, callees: dict) -> set[ast.expr]:
    """The expressions ``statement`` reads only as text: the one argument of ``str`` or
    ``repr`` (the builtins, ``callees``: each call's callee), an f-string's field with no
    format spec."""
    found = set()
    for node in ast.walk(statement):
        if node.__class__ is ast.Call and callees.get(node) in _TEXT_CALLS:
            if len(node.args) == 1 and not node.keywords:
                found.add(node.args[0])
        elif node.__class__ is ast.FormattedValue and node.format_spec is None:
            found.add(node.value)
    return found


def plain_text_classes(classes: dict[str, ClassInfo]) -> set[str]:
    """The module's classes whose instances' text is ``object``'s (none when a class of the
    module defines its own text)."""
    if any(_TEXT_METHODS & (c.methods.keys() | c.attributes.keys()) for c in classes.values()):
        return set()
    return {
        name
        for name, c in classes.items()
        if not c.decorated and all(_is_object(base) for base in c.bases)
    }


def holds_numbers(cls: ClassInfo, attribute: str) -> bool:
    """Whether the module binds ``attribute`` of ``cls``'s instances to numbers only: a
    numeric constant, or what an augmented assignment makes of it (``UNKNOWN``; its
    operand is checked where it is written)."""
    bindings = cls.attributes.get(attribute, ())
    return any(b.kind is Kind.VALUE for b in bindings) and all(
        b.kind is Kind.UNKNOWN or number(b.expr) for b in bindings
    )


def number(value: ast.expr | None) -> bool:
    """Whether ``value`` is a numeric constant (not a bool's, nor a string's)."""
    return value.__class__ is ast.Constant and value.value.__class__ in (int, float)


def _is_object(base: ast.expr) -> bool:
    return base.__class__ is ast.Name and base.id == "object"
