"""Annotations naming only immutable values: a parameter so annotated reads the same
whatever other tasks do meanwhile (``str(root)`` of ``root: Path``, ``sleep_for: float``).

An annotation is a claim the caller may break; it counts only where the function's code
does not contradict it (a parameter it changes in place is no such value,
``StateAccess.changed``). A container (``tuple``, ``frozenset``) is not taken: its items may
be mutable objects.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from deblock.analysis.nodes import last_name

if TYPE_CHECKING:
    from deblock.analysis.walker import FunctionRecord

# Scalars and pure paths: none has state to change after it is made.
_IMMUTABLE = frozenset(
    {
        "str",
        "bytes",
        "int",
        "float",
        "bool",
        "complex",
        "Path",
        "PurePath",
        "PosixPath",
        "WindowsPath",
        "PurePosixPath",
        "PureWindowsPath",
    }
)
_EITHER = frozenset({"Optional", "Union"})


def immutable_annotation(annotation: ast.expr | None) -> bool:
    """Whether ``annotation`` names only immutable values: one of ``_IMMUTABLE``, ``None``,
    or a union of them (``X | None``, ``Optional[X]``, ``Union[X, Y]``, quoted too)."""
    kind = annotation.__class__
    if kind is ast.Constant:
        if annotation.value is None:
            return True
        if not isinstance(annotation.value, str):
            return False
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return False
        return annotation.__class__ is not ast.Constant and immutable_annotation(annotation)
    if kind is ast.BinOp:
        ors = annotation.op.__class__ is ast.BitOr
        return ors and all(map(immutable_annotation, (annotation.left, annotation.right)))
    if kind is ast.Subscript:
        members = annotation.slice
        members = members.elts if members.__class__ is ast.Tuple else [members]
        return last_name(annotation.value) in _EITHER and all(map(immutable_annotation, members))
    return kind in (ast.Name, ast.Attribute) and last_name(annotation) in _IMMUTABLE


def steady_parameters(record: FunctionRecord) -> set[str]:
    """The parameters of ``record`` annotated as immutable values (``immutable_annotation``)."""
    args = record.node.args
    every = (*args.posonlyargs, *args.args, *args.kwonlyargs)
    return {a.arg for a in every if immutable_annotation(a.annotation)}
