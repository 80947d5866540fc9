"""Move a whole ``with`` block into a synchronous helper that runs in a worker thread.

Used when a file handle escapes to synchronous code (``json.dump(data, fh)``,
``for line in fh``): the block keeps its sync calls and the loop awaits the thread.
Names the block binds and the coroutine reads later come back as the helper's result;
names the coroutine also binds elsewhere are shared through ``nonlocal`` (the block's
own file handles stay local to the helper).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial

import libcst as cst
import libcst.matchers as m
from libcst.metadata import PositionProvider, ScopeProvider

from .base import FindingCodemod, with_comments
from .bridge import thread_call
from .own_names import VariableNames, earlier_helpers

_ORPHANED = (
    "moved into a thread it would leave {} bound nowhere in the coroutine but in functions "
    "nested there that declare it `nonlocal` (such as a helper of an earlier fix), which "
    "would then find no binding"
)


class _Returns(cst.CSTVisitor):
    """Whether a block returns from its coroutine (not from a function nested in it)."""

    def __init__(self) -> None:
        self.scopes = 0
        self.returns = False

    def _enter_scope(self, node: cst.CSTNode) -> bool:
        self.scopes += 1
        return True

    def _leave_scope(self, node: cst.CSTNode) -> None:
        self.scopes -= 1

    visit_FunctionDef = visit_Lambda = visit_ClassDef = _enter_scope
    leave_FunctionDef = leave_Lambda = leave_ClassDef = _leave_scope

    def visit_Return(self, node: cst.Return) -> None:
        self.returns = self.returns or self.scopes == 0


def inside(inner: cst.CSTNode, statements: Sequence[cst.CSTNode], codemod) -> bool:
    pos = codemod.get_metadata(PositionProvider, inner)
    first = codemod.get_metadata(PositionProvider, statements[0])
    last = codemod.get_metadata(PositionProvider, statements[-1])
    return (first.start.line, first.start.column) <= (pos.start.line, pos.start.column) and (
        (pos.end.line, pos.end.column) <= (last.end.line, last.end.column)
    )


class _OuterReads(VariableNames):
    """The names a function body reads as its own variables (or its enclosing ones): not
    attribute and keyword names, nor the names a nested function, lambda or comprehension
    binds for itself (aiomisc's nested ``async for line in afp`` has its own ``line``)."""

    def __init__(self) -> None:
        super().__init__()
        self._own: list[set[str]] = [set()]

    def wanted(self, node: cst.Name) -> bool:
        return node.value not in self._own[-1]

    def _enter(self, node: cst.CSTNode) -> None:
        self._own.append(self._own[-1] | _bound_in(node))

    def _leave(self, node: cst.CSTNode) -> None:
        self._own.pop()

    visit_FunctionDef = visit_Lambda = visit_ListComp = visit_SetComp = _enter
    visit_DictComp = visit_GeneratorExp = _enter
    leave_FunctionDef = leave_Lambda = leave_ListComp = leave_SetComp = _leave
    leave_DictComp = leave_GeneratorExp = _leave


def _bound_in(scope: cst.CSTNode) -> set[str]:
    """The names a nested function, lambda or comprehension binds for itself: parameters,
    targets and ``as`` names, less those it declares ``nonlocal`` or ``global``."""
    binds = _Binds(scope)
    scope.visit(binds)
    return binds.names - binds.declared


class _Binds(cst.CSTVisitor):
    """What ``_bound_in`` reads: the bindings of one scope, not of those nested in it."""

    def __init__(self, scope: cst.CSTNode) -> None:
        self.scope = scope
        self.names: set[str] = set()
        self.declared: set[str] = set()

    def _nested(self, node: cst.CSTNode) -> bool:
        if node is not self.scope and isinstance(node, cst.FunctionDef | cst.ClassDef):
            self.names.add(node.name.value)
        return node is self.scope

    visit_FunctionDef = visit_ClassDef = visit_Lambda = _nested
    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _nested

    def visit_Param(self, node: cst.Param) -> None:
        self.names.add(node.name.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.names |= _target_names(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.names |= _target_names(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.names |= _target_names(node.target)

    def visit_For(self, node: cst.For) -> None:
        self.names |= _target_names(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self.names |= _target_names(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self.names |= _target_names(node.name)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.declared |= {n.name.value for n in node.names}

    visit_Global = visit_Nonlocal


def _target_names(target: cst.BaseExpression) -> set[str]:
    """The names an assignment target binds (``a``, ``a, *b``), not ``x.a`` or ``x[a]``."""
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, cst.Tuple | cst.List):
        return {n for e in target.elements for n in _target_names(e.value)}
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return set()


def _shared_names(
    codemod: FindingCodemod, statements, moved: Callable[[cst.CSTNode], bool]
) -> tuple[list[str], list[str]]:
    """(names to declare ``nonlocal``/``global``, names to return) for the helper; a name
    bound only here and in other statements ``moved`` into helpers is no local of the
    coroutine any more: it is returned when read after them. A ``with`` block's ``as``
    name (nested ones too) stays the helper's own unless the coroutine reads it after
    (asyncpraw 8.0.3's test reads ``tempfile.name`` after writing the file), or the
    statements read the coroutine's before they bind it (``fh.close()``, then ``with
    open(path) as fh:``: the helper's own would be unbound at the close): a later fix
    may move the coroutine's other ``with`` blocks binding it, and a ``nonlocal`` for it
    would then find no binding (fastmcp 4.2.3's ``inspect``). A read after another binding
    of the name does not count, nor one before the statements, unless it runs in a loop
    they run in too (a later pass may see what they bind; prefect 3.9's ``init`` reads its
    second ``as f`` after the loop that binds the first): returned, a name the statements
    bind on some paths only would raise."""
    scope = codemod.context.wrapper.resolve(ScopeProvider)[statements[0]]  # only blocks need it
    handles = {
        item.asname.name.value
        for statement in statements
        for block in m.findall(statement, m.With())
        for item in block.items
        if item.asname and isinstance(item.asname.name, cst.Name)
    }
    declared, returned = [], []
    bound = {a.name for a in scope.assignments if inside(a.node, statements, codemod)}
    # Reads after the block, nested functions' (closures of earlier fixes) included.
    reads = _OuterReads()
    codemod.enclosing_function(statements[0]).body.visit(reads)
    end = codemod.get_metadata(PositionProvider, statements[-1]).end
    loop = _loop_around(codemod, statements[0])
    read_after = {
        n.value
        for n in reads.names
        if n.value in bound
        and not inside(n, statements, codemod)
        and (
            loop is not None
            and inside(n, [loop], codemod)
            or _starts_after(codemod, n, end)
            and not _rebound_before(codemod, n, end, scope.assignments[n.value], statements[0])
        )
    }
    # ``del x`` makes ``x`` the helper's own, as an assignment does; LibCST's scopes do
    # not count it as one.
    deleted = {
        name
        for statement in statements
        for d in m.findall(statement, m.Del())
        for name in _target_names(d.target)
        if name in scope.assignments
    }
    bound |= deleted
    for name in sorted(bound):
        binds = scope.assignments[name]
        if name in deleted and all(inside(a.node, statements, codemod) for a in binds):
            continue  # made and deleted here: the helper's own
        theirs = _reads_first(codemod, statements, name, reads.names, binds)
        if name in handles and name not in read_after and not theirs:
            continue  # a file handle of the helper's own
        if any(map(_elsewhere(codemod, statements, moved, theirs), (a.node for a in binds))):
            declared.append(name)
        elif name in read_after:
            returned.append(name)
    return declared, returned


def _elsewhere(
    codemod: FindingCodemod, statements, moved: Callable[[cst.CSTNode], bool], theirs: bool
) -> Callable[[cst.CSTNode], bool]:
    """Whether a binding of a name is the coroutine's own, outside the statements: not in
    them, nor in other statements ``moved`` into helpers, unless the statements read the
    name before they bind it (``theirs``, ``_reads_first``): what they read is then the
    coroutine's, which such a helper returns to it (``fh = open(path)`` moved, then
    ``fh.close()`` and ``with open(path) as fh:``)."""
    return lambda node: not (inside(node, statements, codemod) or moved(node) and not theirs)


def _reads_first(codemod: FindingCodemod, statements, name: str, uses, binds) -> bool:
    """Whether the statements read ``name`` before they bind it (``uses``: the coroutine's
    ``Name`` nodes, bindings among them; ``binds``: its assignments): a read with none of
    their bindings before it, or in the value a binding assigns (``n = n + 1``, ``n += 1``).
    A binding in a ``with`` body counts after it, as the body always runs first."""
    own = [a.node for a in binds if inside(a.node, statements, codemod)]

    def start(node: cst.CSTNode) -> tuple[int, int]:
        pos = codemod.get_metadata(PositionProvider, node).start
        return pos.line, pos.column

    for use in uses:
        if use.value != name or not inside(use, statements, codemod):
            continue
        if any(use is b and not _in_its_value(codemod, use, b) for b in own):
            continue  # a binding, not a read
        if not any(start(b) < start(use) and not _in_its_value(codemod, use, b) for b in own):
            return True
    return False


def _orphaned(
    codemod: FindingCodemod, statements, moved: Callable[[cst.CSTNode], bool], names: list[str]
) -> list[str]:
    """The ``names`` (the helper's shared ones) that the coroutine would bind nowhere once
    the statements and those ``moved`` with them are gone: every other binding is in a
    function nested in it that declares the name ``nonlocal`` (an earlier pass's helper),
    whose ``nonlocal`` would then find no binding, nor would the new helper's."""
    scope = codemod.context.wrapper.resolve(ScopeProvider)[statements[0]]
    body = codemod.enclosing_function(statements[0]).body
    nested = [[d] for d in m.findall(body, m.FunctionDef())]
    reads = _OuterReads()
    body.visit(reads)
    orphaned = []
    for name in names:
        binds = scope.assignments[name]
        theirs = _reads_first(codemod, statements, name, reads.names, binds)
        elsewhere = _elsewhere(codemod, statements, moved, theirs)
        if not any(
            elsewhere(a.node) and not any(inside(a.node, d, codemod) for d in nested) for a in binds
        ):
            orphaned.append(name)
    return orphaned


def _unshared(
    codemod: FindingCodemod, statements, names: list[str]
) -> dict[str, list[cst.FunctionDef] | None]:
    """For each of the ``names`` the move would orphan, the earlier helpers that then keep
    it as their own, as the new helper does, or None (``own_names.earlier_helpers``)."""
    function = codemod.enclosing_function(statements[0])
    reads = _OuterReads()  # the coroutine's own variables' names, where it uses them
    function.body.visit(reads)
    within = partial(inside, codemod=codemod)
    # ``Unshared`` finds a helper by its name: one defined twice in the module is declined.
    defined = Counter(d.name.value for d in m.findall(codemod.context.module, m.FunctionDef()))
    found = {}
    for name in names:
        uses = [r for r in reads.names if r.value == name]
        helpers = earlier_helpers(function, statements, name, uses, within)
        alone = helpers is not None and all(defined[h.name.value] == 1 for h in helpers)
        found[name] = helpers if alone else None
    return found


def _loop_around(codemod: FindingCodemod, node: cst.CSTNode) -> cst.For | cst.While | None:
    """The outermost ``for`` or ``while`` loop of its function that ``node`` runs in."""
    function, loop = codemod.enclosing_function(node), None
    while node is not function:
        node = codemod.parent(node)
        if isinstance(node, cst.For | cst.While):
            loop = node
    return loop


def _rebound_before(
    codemod: FindingCodemod, read: cst.Name, end, assignments, first: cst.CSTNode
) -> bool:
    """Whether the name of ``read`` is bound again between ``end`` (of the moved
    statements, ``first`` the first of them) and it (``with open(q) as f: f.write(...)``,
    ``f = open(q)``), or ``read`` is such a binding: what it sees is that binding, not
    theirs (one on some paths only counts too; one in another arm of an ``if`` they run in
    never runs after them: openai 3.63.0's test binds ``error`` in both arms and reads it
    after the ``if``)."""
    at = codemod.get_metadata(PositionProvider, read).start
    for assignment in assignments:
        pos = codemod.get_metadata(PositionProvider, assignment.node, None)
        start = pos and (pos.start.line, pos.start.column)
        if (
            start
            and (end.line, end.column) <= start <= (at.line, at.column)
            and not _other_arm(codemod, assignment.node, first)
            and not _in_its_value(codemod, read, assignment.node)
        ):
            return True
    return False


def _in_its_value(codemod: FindingCodemod, read: cst.CSTNode, target: cst.CSTNode) -> bool:
    """Whether ``read`` is in the value assigned to ``target`` (``n = n + 1``) or is the
    target of an augmented assignment (``n += 1``): evaluated before the binding, it sees
    the one before."""
    node = target
    while node is not None and not isinstance(node, cst.BaseStatement | cst.BaseSmallStatement):
        node = codemod.parent(node)
    if isinstance(node, cst.AugAssign) and read is target:
        return True
    value = node.value if isinstance(node, cst.Assign | cst.AugAssign | cst.AnnAssign) else None
    return value is not None and inside(read, [value], codemod)


def _other_arm(codemod: FindingCodemod, node: cst.CSTNode, first: cst.CSTNode) -> bool:
    """Whether ``node`` is in another arm of an ``if`` that ``first`` is in, with no loop
    around that ``if`` in their function (a loop could run both, one after the other)."""
    function, arms = codemod.enclosing_function(first), False
    child, current = first, codemod.parent(first)
    while current is not None and current is not function:
        if isinstance(current, cst.For | cst.While) and arms:
            return False
        if isinstance(current, cst.If) and current.orelse is not None:
            other = current.orelse if child is current.body else current.body
            arms = arms or inside(node, [other], codemod)
        child, current = current, codemod.parent(current)
    return arms


def _starts_after(codemod: FindingCodemod, node: cst.CSTNode, end) -> bool:
    start = codemod.get_metadata(PositionProvider, node).start
    return (start.line, start.column) >= (end.line, end.column)


def _declared(codemod: FindingCodemod, statements, nonlocal_: list[str]):
    """(``global`` names, ``nonlocal`` names) the helper declares: shared locals, and the
    ``global`` and ``nonlocal`` names of the coroutine (and of the functions in it) that the
    statements use (a closure's counter: the helper's assignment would make it the
    helper's)."""
    used = {n.value for block in statements for n in m.findall(block, m.Name())}
    function = codemod.enclosing_function(statements[0])

    def declared(kind: type[m.Global | m.Nonlocal]) -> set[str]:
        return {n.name.value for d in m.findall(function.body, kind()) for n in d.names} & used

    return sorted(declared(m.Global)), sorted({*nonlocal_, *declared(m.Nonlocal)})


def _declarations(globals_: list[str], nonlocal_: list[str]) -> list[cst.SimpleStatementLine]:
    """The helper's ``global`` and ``nonlocal`` statements."""
    decls = []
    for kind, names in ((cst.Global, globals_), (cst.Nonlocal, nonlocal_)):
        if names:
            items = [cst.NameItem(cst.Name(n)) for n in names]
            decls.append(cst.SimpleStatementLine([kind(names=items)]))
    return decls


class _Unannotated(cst.CSTTransformer):
    """The helper's own assignments to the names it declares ``nonlocal`` or ``global``,
    their annotations dropped: Python rejects an annotated ``nonlocal`` or ``global`` name,
    and a function's annotation of a local is never evaluated (a bare one binds nothing:
    ``pass``)."""

    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.nested = 0

    def _enter(self, node: cst.CSTNode) -> None:
        self.nested += 1

    def _leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> cst.CSTNode:
        self.nested -= 1
        return updated

    visit_FunctionDef = visit_ClassDef = visit_Lambda = _enter
    leave_FunctionDef = leave_ClassDef = leave_Lambda = _leave

    def leave_AnnAssign(
        self, original: cst.AnnAssign, updated: cst.AnnAssign
    ) -> cst.BaseSmallStatement:
        if self.nested or not m.matches(updated.target, m.Name()):
            return updated
        if updated.target.value not in self.names:
            return updated
        if updated.value is None:
            return cst.Pass(semicolon=updated.semicolon)
        target = cst.AssignTarget(updated.target)
        return cst.Assign([target], updated.value, semicolon=updated.semicolon)


def _tuple_or_name(names: list[str]) -> cst.BaseExpression:
    if len(names) == 1:
        return cst.Name(names[0])
    return cst.Tuple([cst.Element(cst.Name(n)) for n in names], lpar=[], rpar=[])


def threaded(
    codemod: FindingCodemod,
    original: Sequence[cst.BaseStatement],
    updated: Sequence[cst.BaseStatement],
    findings: list,
    stem: str,
    note,
    guard: Callable[[], cst.BaseExpression] | None = None,
    moved: Callable[[cst.CSTNode], bool] = lambda node: False,
) -> cst.FlattenSentinel:
    """The helper ``def`` and its awaited bridge in place of statements the analyzer found
    movable (a block without ``block_stays``, a section);
    ``note(finding)`` is the ``--explain-bridges`` comment; with ``guard`` (making a lock,
    called only when the statements move) the helper runs them inside ``with guard():``;
    ``moved(node)``: whether ``node`` is in other statements this rewrite moves into
    helpers. Declined (the statements kept as they are) when the move would leave a name
    with no binding in the coroutine (``_orphaned``) that the earlier helpers binding it
    cannot keep as their own (``_unshared``)."""
    nonlocal_, returned = _shared_names(codemod, original, moved)
    orphaned = _orphaned(codemod, original, moved, nonlocal_)
    helpers = _unshared(codemod, original, orphaned) if orphaned else {}
    left = [n for n, found in helpers.items() if found is None]
    if left:
        for finding in findings:
            codemod.decline(finding, _ORPHANED.format(", ".join(f"`{n}`" for n in left)))
        return cst.FlattenSentinel(list(updated))
    for name, found in helpers.items():
        for helper in found:
            codemod.unshared.setdefault(helper.name.value, set()).add(name)
    returns = _Returns()
    for statement in original:
        statement.visit(returns)
    globals_, nonlocal_ = _declared(codemod, original, nonlocal_)
    nonlocal_ = [n for n in nonlocal_ if n not in helpers]
    name = codemod.fresh_name(f"_{stem}_in_thread")
    unannotated = _Unannotated({*globals_, *nonlocal_})
    moved = [
        s.visit(unannotated) for s in (updated[0].with_changes(leading_lines=[]), *updated[1:])
    ]
    if guard is not None:
        moved = [cst.With([cst.WithItem(guard())], cst.IndentedBlock(moved))]
    body = [*_declarations(globals_, nonlocal_), *moved]
    if returned and not returns.returns:
        body.append(cst.SimpleStatementLine([cst.Return(_tuple_or_name(returned))]))
    leading = list(updated[0].leading_lines)
    if not _first_in_block(codemod, original[0]) and not (leading and leading[0].comment is None):
        leading.insert(0, cst.EmptyLine(indent=False))  # a blank line around a nested def (PEP 8)
    helper = cst.FunctionDef(
        name=cst.Name(name),
        params=cst.Parameters(),
        body=cst.IndentedBlock(body),
        leading_lines=leading,
    )
    call = cst.Await(thread_call(codemod, codemod.library, cst.Name(name)))
    if returns.returns:
        stmt: cst.BaseSmallStatement = cst.Return(call)
    elif returned:
        stmt = cst.Assign([cst.AssignTarget(_tuple_or_name(returned))], call)
    else:
        stmt = cst.Expr(call)
    for finding in findings:
        codemod.done(finding)
    bridge = cst.SimpleStatementLine([stmt], leading_lines=[cst.EmptyLine(indent=False)])
    if codemod.explain_bridges:  # on the bridge, also when the helper opens the body
        bridge = with_comments(bridge, list(dict.fromkeys(note(f) for f in findings)))
    return cst.FlattenSentinel([helper, bridge])


def _first_in_block(codemod: FindingCodemod, statement: cst.BaseStatement) -> bool:
    """Whether ``statement`` opens its block (nothing above it to set a nested def apart)."""
    block = codemod.parent(statement)
    return not isinstance(block, cst.IndentedBlock) or block.body[0] is statement
