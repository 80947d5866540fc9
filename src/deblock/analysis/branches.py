"""Walking code that runs on some paths only: branches, loops, handlers, short circuits.

Each path starts from the bindings that reach it; where paths meet, a name is reached by
the bindings of every path. Code on such a path is marked conditional.
"""

from __future__ import annotations

import ast

from deblock.analysis.scopes import Binding, Kind


class BranchWalker:
    """The walker's handlers for control flow (mixed into the module walker)."""

    def paths(
        self, ctx, alternatives, may_skip=False, target=None, pythons=None, narrowed=None
    ) -> None:
        """Walk alternative paths from the same state; afterwards each name is reached
        by the bindings of every path (and of the state before, when all may be skipped).
        ``target``, when given, is a loop target and its binding, bound at the start of each;
        ``pythons``, the least Python version each path runs on; ``narrowed``, an
        ``isinstance`` test and how each path binds its name (it holds, or fails, there)."""
        flow = ctx.flow
        before = flow.snapshot() if flow is not None else None
        ends = [before] if may_skip else []
        for i, path in enumerate(alternatives):
            inner = ctx.branch(pythons[i] if pythons else ())
            if flow is not None:
                flow.restore(before)
                if narrowed is not None:
                    test, kinds = narrowed
                    bound = Binding(kinds[i], expr=test, scope=ctx.scope, reaching=before)
                    flow.bind(test.args[0].id, bound)
            for item in path:
                if item is None:
                    continue
                if target is not None and item is target[0]:
                    self.target(*target, inner)
                else:
                    self.node(item, inner)
            if flow is not None:
                ends.append(flow.snapshot())
        if flow is not None and ends:
            flow.join(ends)

    def if_(self, node: ast.If | ast.IfExp, ctx) -> None:
        if node.__class__ is ast.If and node.test.__class__ is ast.Constant:
            # ``if True:  # ASYNC`` (code generators' marks): the other branch never runs
            self.body(node.body if node.test.value else node.orelse, ctx)
            return
        self.node(node.test, ctx)
        body = node.body if isinstance(node.body, list) else [node.body]
        orelse = node.orelse if isinstance(node.orelse, list) else [node.orelse]
        narrowed = _narrowing(node.test, ctx)
        self.paths(ctx, [body, orelse], pythons=_least_pythons(node.test), narrowed=narrowed)
        if ctx.function is not None and node.__class__ is ast.If:
            leaving = _leaving_unless(node, ctx.function.node)
            for guard in (_truthy_only(node), _leaves_unless(node, leaving)):
                if guard is not None:
                    ctx.function.guards.append(guard)
            prefix = _leaves_unless_prefixed(node, leaving)
            if prefix is not None:
                ctx.function.prefixes.append(prefix)

    def while_(self, node: ast.While, ctx) -> None:
        self.node(node.test, ctx)
        self.paths(ctx, [node.body], may_skip=True)
        self.paths(ctx, [node.orelse], may_skip=True)

    def bool_op(self, node: ast.BoolOp, ctx) -> None:
        self.node(node.values[0], ctx)
        self.paths(ctx, [node.values[1:]], may_skip=True)

    def match(self, node: ast.Match, ctx) -> None:
        self.node(node.subject, ctx)
        cases = [[case.pattern, case.guard, *case.body] for case in node.cases]
        self.paths(ctx, cases, may_skip=True)

    def body_expecting(self, statements, ctx, caught) -> None:
        """Walk ``statements``, guarded against the exceptions ``caught`` names: when
        ``BlockingIOError`` is one (raised only by I/O on a non-blocking descriptor), the
        calls in them do not wait."""
        calls = ctx.function.calls if ctx.function is not None else []
        start = len(calls)
        self.body(statements, ctx)
        if any(_names_blocking_io(expr) for expr in caught):
            for candidate in calls[start:]:
                candidate.nonblocking = True

    def try_(self, node: ast.Try, ctx) -> None:
        self.facts.try_and_with.append(node)
        flow = ctx.flow
        if flow is None:
            self.children(node, ctx.branch())
            return
        before = flow.snapshot()
        self.body_expecting(node.body, ctx, [handler.type for handler in node.handlers])
        body_end = flow.snapshot()
        if node.handlers:
            flow.join([before, body_end])  # a handler may start anywhere in the body
            self.paths(ctx, [[handler] for handler in node.handlers])
            handlers_end = flow.snapshot()
            flow.restore(body_end)
        self.body(node.orelse, ctx)
        if node.handlers:
            flow.join([flow.snapshot(), handlers_end])
        self.body(node.finalbody, ctx)


BRANCH_HANDLERS = {
    ast.If: BranchWalker.if_,
    ast.IfExp: BranchWalker.if_,
    ast.While: BranchWalker.while_,
    ast.BoolOp: BranchWalker.bool_op,
    ast.Match: BranchWalker.match,
    ast.Try: BranchWalker.try_,
    ast.TryStar: BranchWalker.try_,
}


def _names_blocking_io(caught: ast.expr | None) -> bool:
    """Whether ``caught`` (an ``except`` clause's type) names ``BlockingIOError``."""
    names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
    return any(
        (isinstance(n, ast.Name) and n.id == "BlockingIOError")
        or (isinstance(n, ast.Attribute) and n.attr == "BlockingIOError")
        for n in names
    )


def _least_pythons(test: ast.expr) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The least Python version the body and the ``else`` of ``if test`` run on, when
    ``test`` compares ``sys.version_info`` to a tuple of numbers with ``>=`` or ``<``."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return (), ()
    left, bound = test.left, test.comparators[0]
    named = (isinstance(left, ast.Attribute) and left.attr == "version_info") or (
        isinstance(left, ast.Name) and left.id == "version_info"
    )
    numbers = isinstance(bound, ast.Tuple) and all(
        isinstance(e, ast.Constant) and type(e.value) is int for e in bound.elts
    )
    if not (named and numbers):
        return (), ()
    version = tuple(e.value for e in bound.elts)
    if isinstance(test.ops[0], ast.GtE):
        return version, ()
    return ((), version) if isinstance(test.ops[0], ast.Lt) else ((), ())


def _truthy_only(node: ast.If) -> tuple[str, int, int] | None:
    """(name, first line, last line) of the statements ``node`` runs only when a name is
    truthy: the body of ``if name:``, the ``else`` (or ``elif``) of ``if not name:``."""
    test, statements = node.test, node.body
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, statements = test.operand, node.orelse
    if not (isinstance(test, ast.Name) and statements):
        return None
    return test.id, statements[0].lineno, statements[-1].end_lineno


def _leaves_unless(node: ast.If, leaving: tuple[ast.expr, int] | None) -> tuple | None:
    """(name, first line, last line) of the statements after ``if not name: ... return``
    (or ``raise``) in a function's own body (``leaving``: ``_leaving_unless``'s): they run
    only when the name is truthy. Only there: deeper, a ``try`` may catch the raise or a
    ``finally`` run after the return."""
    if leaving is None or not isinstance(leaving[0], ast.Name):
        return None
    return leaving[0].id, node.end_lineno + 1, leaving[1]


def _leaves_unless_prefixed(node: ast.If, leaving: tuple[ast.expr, int] | None) -> tuple | None:
    """(name, prefix, first line, last line) of the statements after ``if not
    name.startswith("prefix"): ... return`` (or ``raise``) in a function's own body: they
    run only when the name starts with the prefix."""
    operand = leaving and leaving[0]
    if not (
        isinstance(operand, ast.Call)
        and isinstance(operand.func, ast.Attribute)
        and operand.func.attr == "startswith"
        and isinstance(operand.func.value, ast.Name)
        and len(operand.args) == 1
        and not operand.keywords
        and isinstance(operand.args[0], ast.Constant)
        and isinstance(operand.args[0].value, str)
    ):
        return None
    name, prefix = operand.func.value.id, operand.args[0].value
    return name, prefix, node.end_lineno + 1, leaving[1]


def _leaving_unless(node: ast.If, function: ast.AST | None) -> tuple[ast.expr, int] | None:
    """The ``x`` of an ``if not x:`` in ``function``'s own body whose block ends in a
    ``return`` or ``raise``, and the function's last line (read once for both guards)."""
    test = node.test
    if (
        isinstance(test, ast.UnaryOp)
        and isinstance(test.op, ast.Not)
        and node.body[-1].__class__ in (ast.Return, ast.Raise)
        and function is not None
        and any(statement is node for statement in function.body)
    ):
        return test.operand, function.end_lineno
    return None


def _narrowing(test: ast.expr, ctx) -> tuple[ast.Call, tuple[Kind, Kind]] | None:
    """The ``isinstance(name, T)`` that ``test`` is (or negates), on a name of the function
    being walked, with how it binds the name where it is true and where it is false."""
    kinds = (Kind.NARROWED, Kind.EXCLUDED)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, kinds = test.operand, (Kind.EXCLUDED, Kind.NARROWED)
    if (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Name)
        and test.func.id == "isinstance"
        and len(test.args) == 2
        and isinstance(test.args[0], ast.Name)
        and ctx.flow is not None
        and ctx.flow.scope is ctx.scope
        and test.args[0].id in ctx.scope.bindings
    ):
        return test, kinds
    return None
