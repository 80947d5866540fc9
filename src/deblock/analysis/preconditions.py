"""What a method demands of its instance before it does anything: the guards it starts with
that raise on the instance's state. jinja2's ``Template.render_async`` starts with
``if not self.environment.is_async: raise RuntimeError(...)``, ``render`` with no guard: on
a template of a sync environment, the twin raises where the sync method worked. A twin is a
twin only if it demands no more than its sync method, so the guards count as its signature
(Django's ``QuerySet.aget`` demands less than ``get``: it runs ``get``, guards and all)."""

from __future__ import annotations

import ast

_GUARD = "; raises "
# Appended last to a method's signature when it annotates what it returns: a twin that
# returns another thing is no twin (crewai's ``emit -> Future | None`` hands the sync handlers
# to a thread pool, ``aemit -> None`` runs only the async ones). Unannotated: unknown.
RETURNS = "; returns "


# The ``typing`` names of builtin generics (PEP 585): ``List[str]`` is ``list[str]``.
_BUILTIN_GENERICS = {
    "List": "list",
    "Dict": "dict",
    "Set": "set",
    "FrozenSet": "frozenset",
    "Tuple": "tuple",
    "Type": "type",
}


def returns(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """What method ``node`` annotates it returns, to append to its signature, or ``""``."""
    annotation = node.returns
    if annotation is None:
        return ""
    if annotation.__class__ is ast.Name:  # as ``ast.unparse`` writes it, a few times faster
        return f"{RETURNS}{_BUILTIN_GENERICS.get(annotation.id, annotation.id)}"
    if annotation.__class__ is ast.Constant and annotation.value is None:  # ``-> None``:
        return f"{RETURNS}None"  # what parsing and spelling its text gives, unparsed
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str | None):
        text = str(annotation.value).strip()
        try:
            annotation = ast.parse(text, mode="eval").body
        except SyntaxError:
            return f"{RETURNS}{text}"
    return f"{RETURNS}{_spelled(annotation)}"


def _spelled(annotation: ast.expr) -> str:
    """``annotation`` written one way for the ways that mean one type: a union's members in
    order of their text (``Optional[X]``, ``Union[None, X]`` and ``X | None`` alike),
    ``typing.`` dropped, ``typing``'s names of builtin generics as the builtins."""
    members = _union_members(annotation)
    if members is not None:
        return " | ".join(sorted({_spelled(member) for member in members}))
    if isinstance(annotation, ast.Subscript):
        return f"{_spelled(annotation.value)}[{_spelled(annotation.slice)}]"
    if isinstance(annotation, ast.Tuple):
        return ", ".join(_spelled(element) for element in annotation.elts)
    if isinstance(annotation, ast.List):
        return f"[{', '.join(_spelled(element) for element in annotation.elts)}]"
    name = _typing_name(annotation)
    if name is not None:
        return _BUILTIN_GENERICS.get(name, name)
    return ast.unparse(annotation)


def _union_members(annotation: ast.expr) -> list[ast.expr] | None:
    """The members of a union written ``A | B``, ``Union[A, B]`` or ``Optional[A]``, flattened;
    None for an annotation that is no union."""
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return [
            *(_union_members(annotation.left) or [annotation.left]),
            *(_union_members(annotation.right) or [annotation.right]),
        ]
    if not isinstance(annotation, ast.Subscript):
        return None
    name = _typing_name(annotation.value)
    inner = annotation.slice
    if name == "Optional":
        return [*(_union_members(inner) or [inner]), ast.Constant(None)]
    if name != "Union":
        return None
    elements = inner.elts if isinstance(inner, ast.Tuple) else [inner]
    return [piece for element in elements for piece in _union_members(element) or [element]]


def _typing_name(annotation: ast.expr) -> str | None:
    """The name ``annotation`` spells, without a ``typing.`` or ``t.`` before it."""
    if isinstance(annotation, ast.Name):
        return annotation.id
    if (
        isinstance(annotation, ast.Attribute)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id in ("typing", "t", "typing_extensions")
    ):
        return annotation.attr
    return None


def _apart(signature: str) -> tuple[str, str | None]:
    """``signature`` without what it returns, and what it returns (None: not annotated)."""
    head, marker, annotation = signature.rpartition(RETURNS)
    return (head, annotation) if marker else (signature, None)


def instance_guards(node: ast.FunctionDef | ast.AsyncFunctionDef, self_name: str | None) -> str:
    """The leading guards of method ``node`` on ``self_name`` as written, to append to its
    parameters (``"; raises unless self.environment.is_async"``), or ``""``."""
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    guards = []
    for statement in body if self_name else ():
        if not _raises_on(statement, self_name):
            break
        test = statement.test
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            guards.append(f"{_GUARD}unless {ast.unparse(test.operand)}")
        else:
            guards.append(f"{_GUARD}if {ast.unparse(test)}")
    return "".join(guards)


def demands_no_more(own: str, twin: str) -> bool:
    """Whether a twin of signature ``twin`` takes the parameters of a method of signature
    ``own``, has no guard on the instance that it has not, and returns what it returns
    where both say."""
    (own, own_returns), (twin, twin_returns) = _apart(own), _apart(twin)
    if None not in (own_returns, twin_returns) and own_returns != twin_returns:
        return False
    same = own.split(_GUARD)[0] == twin.split(_GUARD)[0]
    return same and not guarded_beyond(own, twin)


def guarded_beyond(own: str | None, twin: str | None) -> bool:
    """Whether a twin of signature ``twin`` refuses instances a method of signature
    ``own`` takes: it raises on a state of the instance the method does not (jinja2's
    ``render_async`` unless the environment is async: on the others, ``render`` is all
    there is). Unknown signatures guard nothing."""
    if own is None or twin is None:
        return False
    own, twin = _apart(own)[0], _apart(twin)[0]
    return not set(twin.split(_GUARD)[1:]) <= set(own.split(_GUARD)[1:])


def refused_keyword(signature: str, keywords: tuple[str, ...]) -> str | None:
    """The first of ``keywords`` a method of ``signature`` takes no parameter for (a
    decorator's own, as prefect's ``_sync=True``), if any; a ``**kwargs`` takes every one."""
    parts = _apart(signature)[0].split(_GUARD)[0].split(", ")
    if any(part.startswith("**") for part in parts):
        return None
    named = parts[parts.index("/") + 1 :] if "/" in parts else parts
    taken = {part.lstrip("*").partition("=")[0] for part in named}
    return next((keyword for keyword in keywords if keyword not in taken), None)


def _raises_on(statement: ast.stmt, self_name: str) -> bool:
    """Whether ``statement`` is ``if TEST: raise ...`` with a TEST that reads the instance."""
    return (
        isinstance(statement, ast.If)
        and not statement.orelse
        and len(statement.body) == 1
        and isinstance(statement.body[0], ast.Raise)
        and any(isinstance(n, ast.Name) and n.id == self_name for n in ast.walk(statement.test))
    )
