"""The section planner's confinement: whether a thread-affine object (a sqlite3 connection, a
lock's token) or a lazy result that a section makes or uses stays within it (mixed into
``sections.SectionPlanner``).
"""

from __future__ import annotations

import ast
from functools import cached_property
from typing import TYPE_CHECKING

from deblock.analysis.nodes import own_nodes
from deblock.analysis.scopes import Kind
from deblock.analysis.shared_connections import opens_shared
from deblock.analysis.temporary_files import bound_name
from deblock.findings import Finding
from deblock.rules.network import TOKEN_CALLS
from deblock.rules.resources import THREAD_AFFINE

if TYPE_CHECKING:
    pass


_ROUNDS = (ast.For, ast.AsyncFor, ast.While)


# Bindings of what a call made: ``name = call()``, ``with call() as name``.
_MADE = frozenset({Kind.VALUE, Kind.ENTERED})


class ConfinedObjects:
    """Tells whether what a section makes stays in it (``SectionPlanner``'s)."""

    def _stranded(self, inside: set[ast.AST]) -> str | None:
        """Why a thread-affine object made or used in the section is not confined to it."""
        for node, index in self.found.items():
            if node in inside and self._affine(self.findings[index], node):
                reason = self._escape(node, inside)
                if reason:
                    return self._affinity_reason(node, reason)
        return None

    def _affine(self, finding: Finding, node: ast.AST) -> bool:
        """Whether ``finding`` at ``node`` is a call on or making a thread-affine object (a
        connection made with ``check_same_thread=False`` is none)."""
        from deblock.analysis.affinity import affine_kind

        target = finding.target
        return affine_kind(target, self.call_returns) is not None and not opens_shared(node, target)

    def _affinity_reason(self, node: ast.AST, why: str) -> str:
        from deblock.analysis.affinity import affine_kind, affinity_reason

        target = self.findings[self.found[node]].target
        return affinity_reason(affine_kind(target, self.call_returns), why)

    def _escape(self, node: ast.AST, inside: set[ast.AST]) -> str | None:
        """Why a thread-affine call's objects are not confined to the section ``inside``."""
        target = self.findings[self.found[node]].target
        if target.rpartition(".")[0] in TOKEN_CALLS:
            return self._token_apart(node, inside)
        if target.rpartition(".")[0] in THREAD_AFFINE:
            receiver = node.func.value if isinstance(node, ast.Call) else None
            if not (
                (isinstance(receiver, ast.Call) and receiver in inside)
                or (isinstance(receiver, ast.Name) and self._bound_in(receiver.id, inside))
            ):
                return "it was made outside the section"
        if self.call_returns(target) not in THREAD_AFFINE:
            return None
        parent = self.parents.get(node)
        if isinstance(parent, (ast.Attribute, ast.Expr)):
            return None  # used on the spot, or dropped
        name = bound_name(parent, node)
        if name is None:
            return "the object it makes leaves the section"
        if self._used_outside(name, inside):
            return f"`{name}` is used outside the section"
        return None

    def _token_apart(self, node: ast.AST, inside: set[ast.AST]) -> str | None:
        """Why the calls using a lock's token (``TOKEN_CALLS``) on ``node``'s receiver would
        not run in one thread that takes it and gives it back: each of the coroutine's is in
        the section ``inside``, the first an ``acquire`` and the last a ``release``, or other
        code would find the token in the wrong thread. A call through another name
        (``take = lock.acquire``) may be on any lock."""
        from deblock.analysis.affinity import uses_token

        calls = sorted(
            (other.lineno, other.col_offset, other)
            for other, index in self.found.items()
            if uses_token(self.findings[index].target)
        )
        receivers = {other: _written_receiver(other) for *_, other in calls}
        if None in receivers.values():
            return "one of its calls is made through another name"
        receiver = receivers[node]
        calls = [other for *_, other in calls if receivers[other] == receiver]
        for other in calls:
            if other not in inside:
                return f"`{receiver}.{other.func.attr}` (line {other.lineno}) runs outside it"
        if calls[0].func.attr != "acquire" or calls[-1].func.attr != "release":
            return f"the section does not both take `{receiver}` first and release it last"
        return None

    def _lazy_left(self, inside: set[ast.AST]) -> str | None:
        """Why a lazy result made in the section would be iterated outside it (after the
        thread, on the event loop: its I/O would stay there)."""
        for node, index in self.found.items():
            finding = self.findings[index]
            if node not in inside or not finding.lazy_result:
                continue
            parent = self.parents.get(node)
            name = bound_name(parent, node)
            if isinstance(parent, ast.Return) or (name and self._used_outside(name, inside)):
                shown = f" (`{name}`)" if name else ""
                return (
                    f"the lazy result of `{finding.target}`{shown} is iterated after them, on "
                    "the event loop, where it does its I/O"
                )
        return None

    def _used_outside(self, name: str, inside: set[ast.AST]) -> bool:
        """Whether the coroutine reads ``name`` outside ``inside`` (unless only what other
        calls made reaches there), or returns it there."""
        for use in own_nodes(self.function):
            if isinstance(use, ast.Name) and use.id == name and isinstance(use.ctx, ast.Load):
                if isinstance(self.parents.get(use), ast.Return):
                    return True
                if use not in inside and not self._made_elsewhere(use, inside):
                    return True
        return False

    def _made_elsewhere(self, use: ast.Name, inside: set[ast.AST]) -> bool:
        """Whether every binding of ``use`` that reaches it (known where it is a call's
        receiver) holds what a blocking call outside ``inside`` made: a second ``with
        sqlite3.connect(p) as conn`` rebinds ``conn`` to a connection of its own."""
        reaching = self._receivers.get(use)
        bindings = reaching.get(use.id) if reaching else None
        return (
            bool(bindings)
            and all(
                b.expr in self.found and b.expr not in inside and b.kind in _MADE for b in bindings
            )
            and not self._repeated_with(use, inside)
        )

    def _repeated_with(self, use: ast.AST, inside: set[ast.AST]) -> bool:
        """Whether a loop holds both ``use`` and the section ``inside``: the section's
        binding reaches the use on the next round (the walk's bindings do not go round)."""
        node = self.parents.get(use)
        while node is not None and node is not self.function:
            if isinstance(node, _ROUNDS) and any(n in inside for n in ast.walk(node)):
                return True
            node = self.parents.get(node)
        return False

    @cached_property
    def _receivers(self) -> dict[ast.AST, dict]:
        """The bindings that reach each name a call of the coroutine is made on."""
        return {
            call.node.func.value: call.reaching
            for call in self.record.calls
            if call.reaching is not None
            and isinstance(call.node, ast.Call)
            and isinstance(call.node.func, ast.Attribute)
            and isinstance(call.node.func.value, ast.Name)
        }

    def _bound_in(self, name: str, inside: set[ast.AST]) -> bool:
        return any(
            isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
            for n in inside
        )


def _written_receiver(call: ast.AST) -> str | None:
    """The receiver a method call is written on (``self.lock``), if it is written so."""
    if call.__class__ is ast.Call and call.func.__class__ is ast.Attribute:
        return ast.unparse(call.func.value)
    return None
