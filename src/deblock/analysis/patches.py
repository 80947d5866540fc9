"""Patches a coroutine puts in place with no await between them and a blocking call.

aioesphomeapi's test starts a server (its accept loop is a task), connects to it with a
blocking ``socket.create_connection``, then enters ``patch.object(server, ...)``: on the
loop the server cannot accept before the patch is in place. An await a fix adds at the
connect lets the tasks already running act first, on what the patch replaces; one added
inside a patch's block that never awaits shows them the patch, which they never saw.
``unittest.mock``'s patches (``patch``, ``mock.patch.object``, ``mocker.patch``) and
pytest's ``monkeypatch`` count.

A patch can also replace what the fix would await: arxiv-mcp-server's test puts a mock in
place of ``asyncio.sleep`` (its code under test backs off with it), then waits for a cache
entry to expire with ``time.sleep``; ``await asyncio.sleep`` there would await the mock,
which returns at once (``mocked_regions``). A test's patch may be put in place outside it,
for all of its run: by a decorator of its class, its class's ``setUp``, or a fixture of the
module it uses (``mocks_from_outside``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import TYPE_CHECKING

from deblock.analysis.nodes import last_name, own_nodes

if TYPE_CHECKING:
    from deblock.analysis.walker import Candidate

# What ``patch`` is called on: ``unittest.mock`` (``mock.patch``), pytest-mock's fixture.
_MOCKS = frozenset({"mock", "mocker"})
_PATCH_KINDS = frozenset({"object", "dict", "multiple"})  # ``patch.object(...)``


def patches_state(calls: Iterable[Candidate]) -> bool:
    """Whether one of a coroutine's ``calls`` (the walk's) puts a patch in place: only
    then can it have patch regions."""
    return any(_is_patch(call.node) for call in calls)


def patch_regions(function: ast.AST, suspensions: list[ast.AST]) -> list[tuple[int, int, str]]:
    """For each patch coroutine ``function`` puts in place, the lines from its last
    suspension point before the patch to the patch (to the end of a ``with`` block that
    holds none), with why an await there would change the program."""
    points = sorted((node.end_lineno, node.lineno) for node in suspensions)
    nodes = list(own_nodes(function))
    scoped = {
        id(item.context_expr): statement
        for statement in nodes
        if isinstance(statement, ast.With)
        for item in statement.items
    }
    regions = []
    for node in nodes:
        if node.__class__ is not ast.Call or not _is_patch(node):
            continue
        before = [end for end, _ in points if end < node.lineno]
        last = node.lineno
        block = scoped.get(id(node))
        if block is not None and not any(block.lineno <= s <= block.end_lineno for _, s in points):
            last = block.end_lineno
        shown = ast.unparse(node.func)
        why = (
            f"`{shown}(...)` (line {node.lineno}) patches with no await between: on the event "
            "loop no other task runs meanwhile, and an await here would let them run on what "
            "the patch replaces, or see the patch"
        )
        regions.append((before[-1] + 1 if before else function.lineno, last, why))
    return regions


# The async libraries whose functions a fix awaits, and those functions by strategy (a
# thread bridge's otherwise: ``asyncio.to_thread``, ``to_thread.run_sync``).
_LIBRARIES = frozenset({"asyncio", "anyio", "trio", "to_thread"})
_AWAITED = {
    "sleep": frozenset({"sleep"}),
    "create-subprocess": frozenset({"create_subprocess_exec", "create_subprocess_shell"}),
}
_THREADED = frozenset({"to_thread", "run_sync"})


def awaited_by(strategy: str) -> frozenset[str]:
    """The async library's functions a fix of ``strategy`` awaits."""
    return _AWAITED.get(strategy, _THREADED)


def mocked_regions(function: ast.AST) -> list[tuple[int, int, frozenset[str], str]]:
    """For each patch coroutine ``function`` puts on functions of an async library, the
    lines it is in place (a ``with`` block's body; the whole function under a decorator;
    from the call on otherwise), those functions, and why awaiting one there would change
    the program."""
    body = function.body  # type: ignore[attr-defined]
    start, end = body[0].lineno, function.end_lineno  # type: ignore[attr-defined]
    blocks = {
        id(item.context_expr): statement
        for statement in own_nodes(function)
        if isinstance(statement, ast.With)
        for item in statement.items
    }
    decorators = {id(d) for d in getattr(function, "decorator_list", ())}
    regions = []
    for node in own_nodes(function):
        replaced = _library_functions(node) if node.__class__ is ast.Call else frozenset()
        if not replaced:
            continue
        block = blocks.get(id(node))
        if id(node) in decorators:
            first, last = start, end
        elif block is not None:
            first, last = block.body[0].lineno, block.end_lineno
        else:
            first, last = node.lineno, end
        regions.append((first, last, replaced, _mock_reason(node, replaced)))
    return regions


def _mock_reason(call: ast.Call, replaced: frozenset[str], where: str = "") -> str:
    """Why awaiting one of ``replaced``, which patch ``call`` mocks, changes the program."""
    shown, names = ast.unparse(call.func), ", ".join(f"`{n}`" for n in sorted(replaced))
    return (
        f"`{shown}(...)` (line {call.lineno}{where}) puts a mock in place of the async "
        f"library's {names}, which the fix would await: the fixed code would call the "
        "mock instead"
    )


# The methods a class decorator's patch applies to (``patch.TEST_PREFIX``), and those a
# test framework runs before each of them.
_TEST_PREFIX = "test"
_SET_UPS = frozenset({"setUp", "asyncSetUp", "setup_method"})
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
Mocks = list[tuple[frozenset[str], str]]


def mocks_from_outside(tree: ast.Module) -> dict[int, Mocks]:
    """For each test coroutine of module ``tree`` (by its node's ``id``), the async library
    functions code outside it mocks for all of its run, with why: a patch decorating its
    class (on its ``test*`` methods), one its class's ``setUp`` puts in place, one a
    fixture of the module (or class) it uses puts in place (a parameter naming it,
    ``usefixtures``, ``autouse``; fixtures they use in turn)."""
    found: dict[int, Mocks] = {}
    fixtures = _fixtures(tree.body)
    for node in tree.body:
        if isinstance(node, ast.AsyncFunctionDef):
            _note(found, node, fixtures, [], set())
        elif isinstance(node, ast.ClassDef):
            own = {**fixtures, **_fixtures(node.body)}
            shown = f", a decorator of class `{node.name}`"
            inherited = [
                (replaced, _mock_reason(d, replaced, shown))
                for d in node.decorator_list
                if d.__class__ is ast.Call and (replaced := _library_functions(d))
            ]
            inherited += [
                mock
                for method in node.body
                if isinstance(method, _FUNCTIONS) and method.name in _SET_UPS
                for mock in _kept_mocks(method, f", in `{node.name}.{method.name}`")
            ]
            used = _used_fixtures(node.decorator_list)
            for method in node.body:
                if isinstance(method, ast.AsyncFunctionDef) and method.name.startswith(
                    _TEST_PREFIX
                ):
                    _note(found, method, own, inherited, used)
    return found


def _note(
    found: dict[int, Mocks],
    test: ast.AsyncFunctionDef,
    fixtures: dict[str, ast.FunctionDef | ast.AsyncFunctionDef],
    inherited: Mocks,
    used: set[str],
) -> None:
    """Record the mocks in place for all of ``test``'s run: ``inherited`` and those of the
    ``fixtures`` it reaches."""
    todo = [a.arg for a in test.args.args] + sorted(used | _used_fixtures(test.decorator_list))
    todo += [name for name, fixture in fixtures.items() if _autouse(fixture)]
    reached: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    while todo:
        name = todo.pop()
        fixture = fixtures.get(name)
        if fixture is not None and name not in reached and fixture is not test:
            reached[name] = fixture
            todo += [a.arg for a in fixture.args.args]
    mocks = inherited + [
        mock
        for name, fixture in reached.items()
        for mock in _kept_mocks(fixture, f", in fixture `{name}`")
    ]
    if mocks:
        found[id(test)] = mocks


def _fixtures(body: list[ast.stmt]) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    """The pytest fixtures defined in ``body``, by name."""
    return {
        node.name: node
        for node in body
        if isinstance(node, _FUNCTIONS)
        and any(last_name(d) == "fixture" for d in node.decorator_list)
    }


def _autouse(fixture: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(
        isinstance(d, ast.Call)
        and any(
            k.arg == "autouse" and isinstance(k.value, ast.Constant) and k.value.value is True
            for k in d.keywords
        )
        for d in fixture.decorator_list
    )


def _used_fixtures(decorators: list[ast.expr]) -> set[str]:
    """The fixtures ``@pytest.mark.usefixtures("a", "b")`` among ``decorators`` names."""
    return {
        arg.value
        for d in decorators
        if isinstance(d, ast.Call) and last_name(d) == "usefixtures"
        for arg in d.args
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
    }


def _kept_mocks(function: ast.FunctionDef | ast.AsyncFunctionDef, where: str) -> Mocks:
    """The mocks of async library functions ``function`` (a fixture, a ``setUp``) puts in
    place that outlast its own statements: not its decorators', nor those of a ``with``
    block that holds no ``yield`` (undone before it returns)."""
    undone = {
        id(item.context_expr)
        for statement in own_nodes(function)
        if isinstance(statement, ast.With)
        and not any(n.__class__ is ast.Yield for s in statement.body for n in own_nodes(s))
        for item in statement.items
    }
    undone |= {id(d) for d in function.decorator_list}
    return [
        (replaced, _mock_reason(node, replaced, where))
        for node in own_nodes(function)
        if node.__class__ is ast.Call
        and id(node) not in undone
        and (replaced := _library_functions(node))
    ]


def _library_functions(call: ast.Call) -> frozenset[str]:
    """The functions of an async library (``asyncio``, ``anyio``, ``trio``, their
    ``to_thread``) that patch ``call`` replaces: ``patch("asyncio.sleep")``,
    ``patch.object(module.asyncio, "sleep")``, ``patch.multiple(asyncio, sleep=...)``,
    ``monkeypatch.setattr(asyncio, "sleep", ...)``."""
    if not _is_patch(call):
        return frozenset()
    func, args = call.func, call.args
    kind = func.attr if isinstance(func, ast.Attribute) else None
    if kind == "multiple":
        owner = _owner(args[0]) if args else None
        names = {k.arg for k in call.keywords if k.arg is not None}
        return frozenset(names) if owner in _LIBRARIES else frozenset()
    if kind in ("object", "setattr") and len(args) >= 2 + (kind == "setattr"):
        owner, attr = _owner(args[0]), args[1]
        if isinstance(attr, ast.Constant) and isinstance(attr.value, str):
            return frozenset({attr.value}) if owner in _LIBRARIES else frozenset()
    target = args[0] if args else next((k.value for k in call.keywords if k.arg == "target"), None)
    if isinstance(target, ast.Constant) and isinstance(target.value, str):
        owner, _, attr = target.value.rpartition(".")
        return frozenset({attr}) if owner.rpartition(".")[2] in _LIBRARIES else frozenset()
    return frozenset()


def _owner(expr: ast.expr) -> str | None:
    """The module a patch's target names: the last part of a dotted string or name."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value.rpartition(".")[2]
    return last_name(expr)


def _is_patch(node: ast.expr) -> bool:
    """A call of ``unittest.mock``'s ``patch`` (``patch.object``, ``mock.patch.dict``,
    ``mocker.patch``) or of a ``monkeypatch`` fixture's method; not an HTTP client's
    ``patch`` (``requests.patch(url)``, ``session.patch(url)``)."""
    if node.__class__ is not ast.Call:
        return False
    func = node.func
    if isinstance(func, ast.Attribute) and last_name(func.value) == "monkeypatch":
        return True
    if isinstance(func, ast.Attribute) and func.attr in _PATCH_KINDS:
        func = func.value
    if isinstance(func, ast.Attribute):
        return func.attr == "patch" and last_name(func.value) in _MOCKS
    return isinstance(func, ast.Name) and func.id == "patch"
