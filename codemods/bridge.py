"""Thread bridges: the call that runs sync code in a worker thread for each async library."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from libcst.codemod import CodemodCommand

from deblock.analysis.fix_imports import RUN_SYNC, SLEEP
from deblock.rules.bridges import WRAPPING_BRIDGES


def dotted(name: str) -> cst.BaseExpression:
    """``a.b.c`` as an expression node."""
    head, *rest = name.split(".")
    node: cst.BaseExpression = cst.Name(head)
    for part in rest:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def library_name(
    codemod: CodemodCommand, library: str, table: dict[str, str]
) -> cst.BaseExpression:
    """The library's function from ``table`` as an expression, with its import scheduled."""
    lib = library if library in table else "asyncio"
    codemod.add_needed_import(lib)
    return dotted(table[lib])


def sleep_function(codemod: CodemodCommand, library: str) -> cst.BaseExpression:
    """``asyncio.sleep``, ``trio.sleep`` or ``anyio.sleep``."""
    return library_name(codemod, library, SLEEP)


def _call(func: cst.BaseExpression, args: list[cst.Arg], whitespace: object) -> cst.Call:
    """``func(*args)``; one argument a line when ``whitespace`` (the original call's, after
    its ``(``) starts a new line: its comments stay after the ``(``, the new line after the
    first argument gets none of them (a ``# nosec`` written once stays once)."""
    if isinstance(whitespace, cst.ParenthesizedWhitespace) and len(args) > 1:
        bare = whitespace.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
        first = args[0].with_changes(comma=cst.Comma(whitespace_after=bare))
        return cst.Call(func, [first, *args[1:]], whitespace_before_args=whitespace)
    return cst.Call(func, args)


def thread_call(
    codemod: CodemodCommand,
    library: str,
    fn: cst.BaseExpression,
    args: Sequence[cst.Arg] = (),
    whitespace: cst.BaseParenthesizableWhitespace | None = None,
) -> cst.Call:
    """``asyncio.to_thread(fn, *args)`` or the trio/anyio ``to_thread.run_sync`` form; or
    the project's own bridge when the findings name one (``codemod.bridge``).

    ``run_sync`` takes no keywords for ``fn``, so ``functools.partial`` carries them.
    """
    args = [cst.Arg(fn), *args]
    if codemod.bridge is not None:
        return _project_bridge_call(codemod, codemod.bridge, args, whitespace)
    runner = library_name(codemod, library, RUN_SYNC)
    if library in ("trio", "anyio") and any(a.keyword or a.star == "**" for a in args):
        codemod.add_needed_import("functools")
        return cst.Call(runner, [cst.Arg(_call(dotted("functools.partial"), args, whitespace))])
    return _call(runner, args, whitespace)


def deferred(expression: cst.BaseExpression) -> cst.Lambda:
    """``lambda: expression``: the whole expression evaluated inside the worker thread."""
    return cst.Lambda(params=cst.Parameters(), body=expression)


def _project_bridge_call(
    codemod: CodemodCommand, bridge: str, args: list[cst.Arg], whitespace: object
) -> cst.Call:
    """``sync_to_async(fn)(*args)`` for a wrapping bridge, else ``bridge(fn, *args)``; a
    bridge without a module is a name the module binds already (nothing to import)."""
    module, _, name = bridge.rpartition(".")
    if module:
        codemod.add_needed_import(module, name)
    if bridge in WRAPPING_BRIDGES:
        return _call(cst.Call(cst.Name(name), args[:1]), args[1:], whitespace)
    return _call(cst.Name(name), args, whitespace)


def materialised(call: cst.Call) -> cst.Lambda:
    """``lambda: list(call)``: a lazy result, iterated inside the worker thread."""
    return deferred(cst.Call(cst.Name("list"), [cst.Arg(call)]))


def function_index(bridge: cst.Call) -> int:
    """Where a bridge takes its function: ``run_in_executor(executor, fn, ...)``, else first."""
    func = bridge.func
    return 1 if isinstance(func, cst.Attribute) and func.attr.value == "run_in_executor" else 0


def bridged_call(bridge: cst.Call) -> cst.Call:
    """The call a thread bridge makes: ``asyncio.to_thread(f, a, k=1)`` makes ``f(a, k=1)``
    (the analyzer gives no fix to a bridge whose call cannot be written out: ``fix_shapes``)."""
    args = list(bridge.args)
    index = function_index(bridge)
    rest = args[index + 1 :]
    if rest:
        rest = [*rest[:-1], rest[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
    return cst.Call(args[index].value, rest)
