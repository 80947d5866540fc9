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
module's async library, so this is settled once the run knows it (``library_forms``), from
how the module binds those names: a fact of its module pass (``import_bindings``, from
Python's ``symtable`` and the module's tree), cached with its outcome.
"""

from __future__ import annotations

import ast
import re
import symtable
from collections.abc import Iterable

from deblock.analysis.fix_shapes import SECTION_STRATEGY, SUBPROCESS
from deblock.findings import Finding
from deblock.rules.bridges import WRAPPING_BRIDGES

# Each async library's call running sync code in a worker thread, and its sleep.
RUN_SYNC = {
    "asyncio": "asyncio.to_thread",
    "trio": "trio.to_thread.run_sync",
    "anyio": "anyio.to_thread.run_sync",
}
SLEEP = {"asyncio": "asyncio.sleep", "trio": "trio.sleep", "anyio": "anyio.sleep"}
# The strategies whose fix calls the thread bridge (and an open block's, moved whole).
_THREADED = frozenset({"to-thread", SECTION_STRATEGY, "call-async"})
SHADOWED = "its fix would name `{name}`, which the code around it binds otherwise"

# ``import module`` or ``from module import name``; ``(None, name)``: a name the module
# binds itself (a project bridge it imports or defines), which the fix names as it is
Import = tuple[str | None, str | None]


def bound_name(imported: Import) -> str:
    """The name ``imported`` binds: the object's, or the module's first part."""
    module, name = imported
    return name or module.partition(".")[0]


def fix_imports(finding: Finding, strategy: str, library: str | None) -> tuple[list, list]:
    """The imports the fix of ``finding`` by ``strategy`` adds in a module on ``library``
    (None: asyncio): those its code names where the call was, and those it names at module
    level (the sections' lock)."""
    # what weighs a finding's fix: imported where a module has one (``test_cli_lazy``)
    from deblock.analysis.client_switch import STRATEGY as CLIENT_SWITCH
    from deblock.analysis.open_forms import STRATEGY as OPEN_STRATEGY
    from deblock.analysis.open_forms import THREAD

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
    if strategy not in _THREADED and strategy != OPEN_STRATEGY:
        return [], []
    if finding.bridge:  # the project's own: one it binds already has no module
        module, _, name = finding.bridge.rpartition(".")
        here: list[Import] = [(module or None, name)]
    else:  # a partial carries keywords to trio's and anyio's, and a breaker's call
        here = [(lib, None)]
        here += [("functools", None)] if lib != "asyncio" or strategy == "call-async" else []
    held = strategy == SECTION_STRATEGY and not finding.lock  # a common lock: a fresh name
    return here, [("threading", None)] if held else []


def settle_imports(findings: list[Finding], library: str | None, binds: dict) -> list[Finding]:
    """``findings`` of a module on ``library`` whose bindings of the names fixes import are
    ``binds`` (``import_bindings``), each fix whose import the code around it binds
    otherwise declined (``SHADOWED``)."""
    if not binds or not any(f.fixable for f in findings):
        return findings
    settled = []
    for finding in findings:
        clashes = {}
        for strategy in (finding.strategy, finding.unsafe_strategy) if finding.fixable else ():
            here, module = fix_imports(finding, strategy, library) if strategy else ([], [])
            name = _clash(binds, here, module, _where(finding))
            if name is not None:
                clashes[strategy] = name
        settled.append(_declined(finding, clashes) if clashes else finding)
    return settled


def import_bindings(
    text: str, findings: Iterable[Finding], bridge: str | None, tree: ast.Module
) -> dict:
    """How the module whose text is ``text`` and tree ``tree`` binds each name a fix of
    ``findings`` (or of the project's findings in it: the libraries', ``functools``,
    ``threading``, the thread bridges') may import, where it may bind one otherwise than by
    a module-level import (``_may_bind``, each name's first item): by name, how the module
    binds it (``_module_state``) and the function scopes binding it as a local or a global,
    innermost last (``_scope_state``): a fact of the module pass, cached with its outcome."""
    names = set(_NAMED) | {bound_name(_split(b)) for b in (*WRAPPING_BRIDGES, bridge) if b}
    for finding in findings:
        for strategy in (finding.strategy, finding.unsafe_strategy):
            for lib in RUN_SYNC if strategy else ():
                names |= {bound_name(i) for i in sum(fix_imports(finding, strategy, lib), [])}
    return name_bindings(text, tree, names)


def name_bindings(text: str, tree: ast.Module, names: Iterable[str]) -> dict:
    """How the module whose text is ``text`` and tree ``tree`` binds each of ``names``, as
    ``import_bindings`` says, where it may bind one otherwise (else nothing)."""
    may = {name: _may_bind(text, name) for name in sorted(names)}
    if not any(may.values()):
        return {}
    try:
        scopes = Scopes(text, tree)
    except (SyntaxError, ValueError):
        return {}
    return {name: [may[name], *held] for name, held in scopes.bindings(list(may)).items()}


def _split(dotted: str) -> Import:
    module, _, name = dotted.rpartition(".")
    return (module, name) if module else (name, None)


def _clash(binds: dict, here: list[Import], module: list[Import], line: int) -> str | None:
    """The first name of the imports ``here`` (named at ``line``) and ``module`` (named at
    module level) that the code around binds otherwise (``binds``), if any: none where
    the text binds none of them but by a module-level import (``_may_bind``)."""
    if not any(binds.get(bound_name(i), (False,))[0] for i in here + module):
        return None
    for imported in here:
        if _shadowed(binds.get(bound_name(imported)), list(imported), line):
            return bound_name(imported)
    for imported in module:
        held = binds.get(bound_name(imported))
        if held and _module_binds(held[1], list(imported)):
            return bound_name(imported)
    return None


def _shadowed(held: list | None, imported: list, line: int) -> bool:
    if not held:
        return False
    _, state, scopes = held
    for low, high, scope in reversed(scopes):  # the innermost binding holds
        if not low <= line <= high:
            continue
        if scope == _GLOBAL:
            break
        return not (scope and scope[:2] == imported and scope[2] < line)
    return _module_binds(state, imported)


def _module_binds(state, imported: list) -> bool:
    if imported[0] is None:  # the module's own binding is the one named
        return False
    return state is True or (bool(state) and state != imported)


def _may_bind(text: str, name: str) -> bool:
    """Whether ``text`` may bind ``name`` but by ``import name`` at module level: it
    writes the name other than before a ``.`` or after ``from`` (most modules name
    ``asyncio`` so only: their scopes' tables are not built)."""
    for found in re.finditer(rf"{re.escape(name)}\b(?!\s*\.)", text):
        if found.start() and _WORD.match(text, found.start() - 1):
            continue  # a longer name, or an attribute
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
    """The function scopes of a module's text and tree, with what ``symtable`` says each
    binds."""

    def __init__(self, text: str, tree: ast.Module):
        self.tree = tree
        self.top = symtable.symtable(text, "<module>", "exec")
        self.tables: dict[tuple[str, int], list[symtable.SymbolTable]] = {}
        for table in _functions(self.top):
            self.tables.setdefault((table.get_name(), table.get_lineno()), []).append(table)

    def bindings(self, names: list[str]) -> dict[str, list]:
        """How the module binds each of ``names`` (``_module_state``), and each function
        scope binding it as a local or a global: the lines where the scope holds a line
        (those of every node around it), how (``_scope_state``), outer first."""
        scopes: dict[str, list] = {name: [] for name in names}
        todo = [(self.tree, 0, 1 << 30)] if self._local(names) else []  # else: the module's
        while todo:
            node, low, high = todo.pop(0)
            name_of = _scope_name(node)
            for table in self.tables.get((name_of, node.lineno), []) if name_of else ():
                for name in scopes.keys() & table.get_identifiers():
                    state = _scope_state(node, table.lookup(name))
                    scopes[name] += [[low, high, state]] if state is not None else []
            for child in ast.iter_child_nodes(node):
                start = getattr(child, "lineno", None)
                if start is None:
                    todo.append((child, low, high))
                    continue
                end = getattr(child, "end_lineno", None) or start  # a type: ignore has none
                if max(low, start) <= min(high, end):
                    todo.append((child, max(low, start), min(high, end)))
        return {name: [self._module_state(name), found] for name, found in scopes.items()}

    def _local(self, names: list[str]) -> bool:
        """Whether a function binds one of ``names`` as a local (else each names the module's)."""
        for table in _functions(self.top):
            for name in table.get_identifiers() & set(names):
                if table.lookup(name).is_local():
                    return True
        return False

    def _module_state(self, name: str):
        """True: the module binds ``name`` to something else than an import, or a function
        of it rebinds it as a global; else the one import it binds it by (False: none)."""
        if any(_rebinds_global(t, name) for t in _functions(self.top)):
            return True
        if name not in self.top.get_identifiers():
            return False
        symbol = self.top.lookup(name)
        if symbol.is_assigned() or symbol.is_namespace():
            return True
        found = {alias for alias, _ in _imports_of(self.tree.body, name)}
        return list(found.pop()) if len(found) == 1 else len(found) > 1


def _rebinds_global(table: symtable.SymbolTable, name: str) -> bool:
    """Whether the function ``table`` declares ``name`` global and binds it."""
    if name not in table.get_identifiers():
        return False
    symbol = table.lookup(name)
    return symbol.is_declared_global() and (symbol.is_assigned() or symbol.is_imported())


def _scope_state(node: ast.AST, symbol: symtable.Symbol):
    """How the function ``node`` binds ``symbol``: None, it does not (a free name, or one
    it only reads as the module's: no function around binds it then); ``_GLOBAL``, it
    declares it the module's; else it binds it otherwise (0) unless only by importing one
    module once in its body itself, in no branch: that import and the last line of the
    first such statement (the fix names that module fine below it). A scope is found by
    its lines, so a lambda or comprehension reading the module's name would hide the
    binding of another on its line (and share its table, when of one name: ``Scopes``)."""
    if not symbol.is_local():
        return _GLOBAL if symbol.is_declared_global() else None
    if symbol.is_assigned() or symbol.is_parameter() or not isinstance(node.body, list):
        return 0
    found = list(_imports_of(node.body, symbol.get_name()))
    if not found or any(alias != found[0][0] for alias, _ in found):
        return 0
    ends = [statement.end_lineno for (_, (statement, top)) in found if top]
    return [*found[0][0], min(ends)] if ends else 0


_GLOBAL = "global"
_WORD = re.compile(r"[\w.]")
# The names fixes import whatever their finding: the libraries', their partials', the lock's.
_NAMED = (*RUN_SYNC, "functools", "threading", "aiofiles")


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
