"""What a loop's target holds, read from the declared type of what it iterates.

``for path in self.paths`` with ``self.paths: list[Path]`` binds ``path`` to a ``Path``;
``for path, mtime in self.mtimes.items()`` with ``dict[Path, float]`` binds ``path`` to a
``Path`` too. Only declared types count (annotations, type comments): the container's
element type is not inferred from what code puts in it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from deblock.analysis.scopes import Scope

_MAPPINGS = frozenset({
    "dict", "Dict", "Mapping", "MutableMapping", "defaultdict", "DefaultDict", "OrderedDict",
    "Counter",
})  # fmt: skip
# Containers whose iteration gives their first type argument (keys, for mappings).
_ELEMENT_FIRST = _MAPPINGS | {
    "list", "List", "set", "Set", "frozenset", "FrozenSet", "Sequence", "MutableSequence",
    "Iterable", "Iterator", "Collection", "AbstractSet", "MutableSet", "deque", "Deque",
    "KeysView", "ValuesView", "Generator", "Reversible",
}  # fmt: skip
_TUPLES = frozenset({"tuple", "Tuple"})
# Wrappers whose first argument is the type itself.
_WRAPPERS = frozenset({"Optional", "Annotated", "Final", "ClassVar"})
# Calls that iterate like their only argument.
_SAME_ELEMENTS = frozenset({"sorted", "list", "reversed", "set", "tuple", "frozenset"})

# An element: an annotation, a class the catalogue names, or the parts of a tuple
# (``None``: a part of unknown type).
Element = ast.expr | str | tuple["ast.expr | str | None", ...] | None
# An annotation and the scope it was written in (where its names resolve).
Declared = tuple[ast.expr, Scope]


class Elements:
    """Element types of iterated expressions. ``declared(expr)`` gives the annotation an
    expression was declared with and the scope it was written in; ``name_of(expr,
    scope)`` the last name of what a subscripted type resolves to (``List`` for
    ``typing.List``); ``yielded(call)`` the class the catalogue says iterating what a call
    returns gives (``Path.rglob``: paths); ``bridged(awaited)`` the expression a thread
    evaluates for an awaited bridge (``await asyncio.to_thread(lambda: list(x))``: ``list(x)``)."""

    def __init__(
        self,
        declared: Callable[[ast.expr], Declared | None],
        name_of: Callable[[ast.expr, Scope], str | None],
        yielded: Callable[[ast.Call], str | None],
        bridged: Callable[[ast.Await], ast.expr | None],
    ):
        self.declared, self.name_of = declared, name_of
        self.yielded, self.bridged = yielded, bridged

    def of(self, iterable: ast.expr, part: tuple[int, ...]) -> Declared | str | None:
        """The type of the part ``part`` (indices into nested tuples) of what iterating
        ``iterable`` gives: its declared annotation with the annotation's scope, or the
        class the catalogue names."""
        found = self._element(iterable)
        if found is None:
            return None
        element, scope = found
        for index in part:
            element = self._part(element, index, scope)
        if isinstance(element, str):
            return element
        return (element, scope) if isinstance(element, ast.expr) else None

    def _element(self, iterable: ast.expr) -> tuple[Element, Scope] | None:
        if isinstance(iterable, ast.Call):
            return self._called(iterable)
        if isinstance(iterable, ast.Await):
            body = self.bridged(iterable)
            return None if body is None else self._element(body)
        declared = self.declared(iterable)
        if declared is None:
            return None
        name, members = self._subscripted(*declared)
        if name in _ELEMENT_FIRST and members:
            return members[0], declared[1]
        if name in _TUPLES and len(members) == 2 and _is_ellipsis(members[1]):
            return members[0], declared[1]
        return None

    def _called(self, call: ast.Call) -> tuple[Element, Scope] | None:
        func = call.func
        if isinstance(func, ast.Name) and len(call.args) == 1:
            if func.id in _SAME_ELEMENTS and (func.id == "sorted" or not call.keywords):
                return self._element(call.args[0])
            if func.id == "enumerate":
                inner = self._element(call.args[0])
                return None if inner is None else ((None, inner[0]), inner[1])
        yielded = self.yielded(call)
        if yielded is not None:
            return yielded, None
        if not (isinstance(func, ast.Attribute) and not call.args and not call.keywords):
            return None
        declared = self.declared(func.value)
        if declared is None:
            return None
        name, members = self._subscripted(*declared)
        if name not in _MAPPINGS or len(members) != 2:
            return None
        key, value = members
        element = {"items": (key, value), "keys": key, "values": value}.get(func.attr)
        return None if element is None else (element, declared[1])

    def _part(self, element: Element, index: int, scope: Scope) -> Element:
        if isinstance(element, tuple):
            return element[index] if index < len(element) else None
        if element is None or isinstance(element, str):
            return None
        name, members = self._subscripted(element, scope)
        if name in _TUPLES and index < len(members) and not _is_ellipsis(members[-1]):
            return members[index]
        return None

    def _subscripted(self, annotation: ast.expr, scope: Scope) -> tuple[str | None, list[ast.expr]]:
        """The name of a subscripted annotation's type and its arguments (``Optional``,
        its kind and ``X | None`` looked through)."""
        annotation = _parsed(annotation)
        while True:
            if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
                sides = [s for s in (annotation.left, annotation.right) if not _is_none(s)]
                if len(sides) != 1:
                    return None, []
                annotation = _parsed(sides[0])
            elif isinstance(annotation, ast.Subscript):
                name = self.name_of(annotation.value, scope)
                index = annotation.slice
                members = list(index.elts) if isinstance(index, ast.Tuple) else [index]
                if name not in _WRAPPERS:
                    return name, [_parsed(m) for m in members]
                annotation = _parsed(members[0])
            else:
                return None, []


def _parsed(annotation: ast.expr) -> ast.expr:
    """A string annotation's expression (the annotation itself when it is none)."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            return ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return annotation
    return annotation


def _is_ellipsis(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is Ellipsis


def _is_none(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None
