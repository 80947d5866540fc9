"""The names a fix's imports bind, and the fixes that would find those names bound otherwise.

A fix adds an import at the top of the module (``import asyncio`` for ``await
asyncio.sleep``, ``anyio`` for ``anyio.to_thread.run_sync``, ``functools`` for a partial, a
twin's class, the project's thread bridge) and names it where the call was. Where the
function around the call, or one around that, binds the name itself (a parameter, an import
in one branch: asyncclick 8.4.2.1's ``prompt`` imports ``anyio`` so, and its fixed calls on
the other path raised ``UnboundLocalError``), or the module binds it to something else
(``asyncio = ...``), the fixed code reaches that binding: the fix is declined. A function
whose every binding of the name imports what the fix imports, one of them before the fixed
code and in no branch, holds that very module there: no clash. The names depend on the
module's async library, so this is settled once the run knows it (``library_forms``);
Python's ``symtable`` says which names a scope binds.
"""

from __future__ import annotations

import ast
import re
import symtable
from collections.abc import Callable, Iterable

from deblock.analysis.client_switch import STRATEGY as CLIENT_SWITCH
from deblock.analysis.fix_shapes import SECTION_STRATEGY, SUBPROCESS
from deblock.analysis.open_forms import STRATEGY as OPEN_STRATEGY
from deblock.analysis.open_forms import THREAD
from deblock.findings import Finding

# Each async library's call running sync code in a worker thread, and its sleep.
RUN_SYNC = {
    "asyncio": "asyncio.to_thread",
    "trio": "trio.to_thread.run_sync",
    "anyio": "anyio.to_thread.run_sync",
}
SLEEP = {"asyncio": "asyncio.sleep", "trio": "trio.sleep", "anyio": "anyio.sleep"}
# The strategies whose fix calls the thread bridge (an open block's when it moves whole).
_THREADED = frozenset({"to-thread", SECTION_STRATEGY, "call-async", OPEN_STRATEGY})
SHADOWED = "its fix would name `{name}`, which the code around it binds otherwise"

Import = tuple[str, str | None]  # ``import module`` or ``from module import name``


def bound_name(imported: Import) -> str:
    """The name ``imported`` binds: the object's, or the module's first part."""
    module, name = imported
    return name or module.partition(".")[0]


def fix_imports(finding: Finding, strategy: str, library: str | None) -> tuple[list, list]:
    """The imports the fix of ``finding`` by ``strategy`` adds in a module on ``library``
    (None: asyncio): those its code names where the call was, and those it names at module
    level (the sections' lock)."""
    lib = library if library in RUN_SYNC else "asyncio"
    if strategy == "sleep":
        return [(lib, None)], []
    if strategy == SUBPROCESS:
        return [("asyncio", None)], []
    if strategy == CLIENT_SWITCH and finding.twin:
        module, _, name = finding.twin.rpartition(".")
        return [(module, name)], []
    if strategy == OPEN_STRATEGY and finding.open_form not in (None, THREAD):
        return [(finding.open_form.partition(".")[0], None)], []
    if strategy not in _THREADED:
        return [], []
    if finding.bridge:  # the project's own: one it binds already has no module
        module, _, name = finding.bridge.rpartition(".")
        here: list[Import] = [(module, name)] if module else []
    else:  # a partial carries keywords to trio's and anyio's, and a breaker's call
        here = [(lib, None)]
        here += [("functools", None)] if lib != "asyncio" or strategy == "call-async" else []
    held = strategy == SECTION_STRATEGY and not finding.lock  # a common lock: a fresh name
    return here, [("threading", None)] if held else []


def settle_imports(
    findings: list[Finding], library: str | None, source: Callable[[], str | None]
) -> list[Finding]:
    """``findings`` of a module on ``library`` whose text is ``source()``, each fix whose
    import the code around it binds otherwise declined (``SHADOWED``)."""
    if not any(f.fixable for f in findings):
        return findings
    text = source()
    if text is None:
        return findings
    scopes: Scopes | None = None
    binds: dict[str, bool] = {}  # ``_may_bind``, by name
    settled = []
    for finding in findings:
        clashes = {}
        if not finding.fixable:
            settled.append(finding)
            continue
        for strategy in (finding.strategy, finding.unsafe_strategy):
            here, module = fix_imports(finding, strategy, library) if strategy else ([], [])
            for name in {bound_name(i) for i in here + module} - binds.keys():
                binds[name] = _may_bind(text, name)
            if not any(binds[bound_name(i)] for i in here + module):
                continue
            try:
                scopes = scopes or Scopes(text)
            except (SyntaxError, ValueError):  # changed since it was analysed
                return findings
            name = scopes.clash(here, module, _where(finding))
            if name is not None:
                clashes[strategy] = name
        settled.append(_declined(finding, clashes) if clashes else finding)
    return settled


def _may_bind(text: str, name: str) -> bool:
    """Whether ``text`` may bind ``name`` but by ``import name`` at module level: it
    writes the name other than before a ``.`` or after ``from`` (most modules name
    ``asyncio`` so only: the scopes' tables cost a warm run of the bench corpus ~1.4 CPU-s)."""
    for found in re.finditer(rf"(?<![\w.])({re.escape(name)})\b(?!\s*\.)", text):
        start = text.rfind("\n", 0, found.start()) + 1
        before = text[start : found.start()]
        if before != "import " and not re.fullmatch(r"\s*from\s+", before):
            return True
    return False


def _where(finding: Finding) -> int:
    """The line where the fix's code runs: a section's first."""
    return finding.section[0] if finding.section else finding.line


def _declined(finding: Finding, clashes: dict[str, str]) -> Finding:
    unsafe = finding.unsafe_strategy if finding.unsafe_strategy not in clashes else None
    if finding.strategy in clashes or not finding.strategy:
        why = SHADOWED.format(name=next(iter(clashes.values())))
        return finding._replace(strategy=None, unsafe_strategy=unsafe, declined=why)
    return finding._replace(unsafe_strategy=unsafe)


class Scopes:
    """The function scopes of a module's text, with what ``symtable`` says each binds."""

    def __init__(self, text: str):
        self.tree = ast.parse(text)
        self.top = symtable.symtable(text, "<module>", "exec")
        self._module: dict[Import, bool] = {}  # ``_module_binds``
        self.tables: dict[tuple[str, int], list[symtable.SymbolTable]] = {}
        for table in _functions(self.top):
            self.tables.setdefault((table.get_name(), table.get_lineno()), []).append(table)

    def around(self, line: int) -> list[tuple[ast.AST, symtable.SymbolTable]]:
        """The function scopes holding ``line``, outer ones first, with their tables."""
        found, todo = [], [self.tree]
        while todo:
            node = todo.pop(0)
            name = _scope_name(node)
            found += [(node, t) for t in self.tables.get((name, node.lineno), [])] if name else []
            todo += [child for child in ast.iter_child_nodes(node) if _holds(child, line)]
        return found

    def clash(self, here: list[Import], module: list[Import], line: int) -> str | None:
        """The first name of the imports ``here`` (named at ``line``) and ``module`` (named
        at module level) that the code around binds otherwise, if any."""
        for imported in here:
            if self._shadowed(imported, line):
                return bound_name(imported)
        for imported in module:
            if self._module_binds(imported):
                return bound_name(imported)
        return None

    def _shadowed(self, imported: Import, line: int) -> bool:
        name = bound_name(imported)
        for node, table in reversed(self.around(line)):  # the innermost binding holds
            if name not in table.get_identifiers():
                continue
            symbol = table.lookup(name)
            if symbol.is_local():
                return not _imported_before(node, symbol, imported, line)
            if symbol.is_global():
                break
        return self._module_binds(imported)

    def _module_binds(self, imported: Import) -> bool:
        """Whether the module binds the name of ``imported`` to anything else, or a
        function of it rebinds it as a global."""
        if imported not in self._module:
            self._module[imported] = self._module_rebinds(imported)
        return self._module[imported]

    def _module_rebinds(self, imported: Import) -> bool:
        name = bound_name(imported)
        if any(_rebinds_global(t, name) for t in _functions(self.top)):
            return True
        if name not in self.top.get_identifiers():
            return False
        symbol = self.top.lookup(name)
        if symbol.is_assigned() or symbol.is_namespace():
            return True
        return not all(alias == imported for alias, _ in _imports_of(self.tree.body, name))


def _holds(node: ast.AST, line: int) -> bool:
    """Whether ``node`` spans ``line`` (a node with no place: its parent's)."""
    start = getattr(node, "lineno", None)
    return start is None or start <= line <= (node.end_lineno or start)


def _rebinds_global(table: symtable.SymbolTable, name: str) -> bool:
    """Whether the function ``table`` declares ``name`` global and binds it."""
    if name not in table.get_identifiers():
        return False
    symbol = table.lookup(name)
    return symbol.is_declared_global() and (symbol.is_assigned() or symbol.is_imported())


def _imported_before(node: ast.AST, symbol: symtable.Symbol, imported: Import, line: int) -> bool:
    """Whether the function ``node`` binds ``symbol`` only by importing ``imported``, once
    in its body itself (in no branch) before ``line``."""
    if symbol.is_assigned() or symbol.is_parameter() or not isinstance(node.body, list):
        return False
    found = list(_imports_of(node.body, symbol.get_name()))
    if not found or any(alias != imported for alias, _ in found):
        return False
    return any(top and statement.end_lineno < line for (_, (statement, top)) in found)


def _imports_of(body: list[ast.stmt], name: str) -> Iterable[tuple[Import, tuple]]:
    """What each import of the scope whose statements are ``body`` binds ``name`` to, with
    its statement and whether that is one of ``body`` itself (nested scopes left out)."""
    todo = [(statement, True) for statement in body]
    while todo:
        statement, top = todo.pop()
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.asname == name:
                    yield (alias.name, None), (statement, top)
                elif alias.asname is None and alias.name.partition(".")[0] == name:
                    yield (name, None), (statement, top)
        elif isinstance(statement, ast.ImportFrom):
            for alias in statement.names:
                if (alias.asname or alias.name) == name:
                    module = "." * statement.level + (statement.module or "")
                    yield (module, alias.name), (statement, top)
        elif not isinstance(statement, _NESTED):
            todo += [(s, False) for s in ast.iter_child_nodes(statement) if isinstance(s, _BODY)]


_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_BODY = (ast.stmt, ast.excepthandler, ast.match_case)


def _functions(table: symtable.SymbolTable) -> Iterable[symtable.SymbolTable]:
    for child in table.get_children():
        if child.get_type() == "function":
            yield child
        yield from _functions(child)


_COMPREHENSIONS = {
    ast.ListComp: "listcomp",
    ast.SetComp: "setcomp",
    ast.DictComp: "dictcomp",
    ast.GeneratorExp: "genexpr",
}


def _scope_name(node: ast.AST) -> str | None:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return node.name
    if isinstance(node, ast.Lambda):
        return "lambda"
    return _COMPREHENSIONS.get(type(node))
