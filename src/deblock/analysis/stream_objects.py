"""Writes of the process's standard streams through other objects than ``print`` and
``sys``: click's ``echo`` and ``secho`` (``sys.stdout``, ``sys.stderr`` with ``err=True``),
rich's ``print`` (``sys.stdout``) and a rich ``Console``'s ``print``, ``log``… (the stream
it was made for: ``sys.stdout``, ``sys.stderr`` with ``stderr=True``). None of them writes
a standard stream when handed a ``file``. A console is known by the call that makes it:
``Console().print(x)``, or a name or attribute bound to one anywhere in the module
(``console = Console()`` then ``console.print(x)``; ``self.console``: by its attribute).
"""

from __future__ import annotations

import ast

from deblock.analysis.nodes import dotted_name

_ECHOES = frozenset({"click.echo", "click.secho", "click.utils.echo", "click.termui.secho"})
_PRINTS = frozenset({"rich.print"})
_CONSOLES = frozenset({"rich.console.Console", "rich.get_console"})
# A console's methods that write what they are handed to its stream.
_CONSOLE_WRITES = frozenset({"print", "log", "out", "rule", "print_json", "print_exception"})
_BOTH = ("stdout", "stderr")


class StreamObjects:
    """The module's writers of the standard streams other than ``print`` and ``sys``,
    read from its ``tree`` with ``imported`` (the module's imported names, by the
    qualified names they bind)."""

    def __init__(self, tree: ast.Module, imported: dict[str, str]):
        self.imported = imported
        # a name or ``.attribute`` bound to a console, with the streams it writes
        self.consoles: dict[str, tuple[str, ...]] = {}
        for node in ast.walk(tree) if self._names_a_writer() else ():
            if node.__class__ is ast.Assign and node.value.__class__ is ast.Call:
                streams = self._console(node.value)
                for key in map(_bound_key, node.targets) if streams is not None else ():
                    if key:
                        self.consoles[key] = streams

    def _names_a_writer(self) -> bool:
        return any(q.partition(".")[0] in ("click", "rich") for q in self.imported.values())

    def streams(self, call: ast.Call) -> tuple[str, ...]:
        """The standard streams ``call`` writes (none: it writes neither, or a file)."""
        if not self.imported:
            return ()
        qualname = self._qualified(call.func)
        if qualname in _ECHOES:
            return _streams(call, "err", file_place=1)
        if qualname in _PRINTS:
            return _streams(call, None, file_place=None)
        func = call.func
        if func.__class__ is not ast.Attribute or func.attr not in _CONSOLE_WRITES:
            return ()
        made = func.value
        if made.__class__ is ast.Call:
            return self._console(made) or ()
        return self.consoles.get(_bound_key(made) or "", ())

    def _console(self, call: ast.Call) -> tuple[str, ...] | None:
        """The streams a console ``call`` makes writes (none: a file); None when it makes
        none."""
        if self._qualified(call.func) not in _CONSOLES:
            return None
        return _streams(call, "stderr", file_place=None)

    def _qualified(self, func: ast.expr) -> str | None:
        """What ``func`` names through the module's imports (``click.echo`` for ``echo``
        of ``from click import echo``)."""
        name = dotted_name(func)
        head, dot, rest = (name or "").partition(".")
        qualname = self.imported.get(head)
        return f"{qualname}{dot}{rest}" if qualname else None


def _streams(call: ast.Call, err: str | None, file_place: int | None) -> tuple[str, ...]:
    """The streams ``call`` writes: none when handed a ``file`` (by keyword or at
    ``file_place``) that is not ``None``; ``sys.stderr`` when its keyword ``err`` is a true
    constant, either when it is not a constant, else ``sys.stdout``."""
    handed = {k.arg: k.value for k in call.keywords}
    if file_place is not None and len(call.args) > file_place:
        handed.setdefault("file", call.args[file_place])
    if None in handed or not _none(handed.get("file")):
        return _BOTH if None in handed else ()
    flag = handed.get(err) if err else None
    if flag is None:
        return ("stdout",)
    if flag.__class__ is not ast.Constant:
        return _BOTH
    return ("stderr",) if flag.value else ("stdout",)


def _none(value: ast.expr | None) -> bool:
    return value is None or (value.__class__ is ast.Constant and value.value is None)


def _bound_key(target: ast.expr) -> str | None:
    """How a console bound to ``target`` is found again: a name, or ``.attr`` for any
    object's attribute of that name (``self.console``)."""
    if target.__class__ is ast.Name:
        return target.id
    return f".{target.attr}" if target.__class__ is ast.Attribute else None
