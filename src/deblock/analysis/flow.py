"""Which bindings of a function's own names reach the point the walk is at."""

from __future__ import annotations

from deblock.analysis.scopes import Binding, Scope

Reaching = dict[str, tuple[Binding, ...]]


class Flow:
    """The reaching bindings of one function scope, copied only when changed after being
    shared (a snapshot handed to a call or binding stays as it was)."""

    __slots__ = ("scope", "state", "_shared")

    def __init__(self, scope: Scope):
        self.scope = scope
        self.state: Reaching = {}
        self._shared = False

    def snapshot(self) -> Reaching:
        """The bindings reaching this point (do not mutate)."""
        self._shared = True
        return self.state

    def restore(self, state: Reaching) -> None:
        """Continue from an earlier snapshot (the start of another branch)."""
        self.state = state
        self._shared = True

    def bind(self, name: str, binding: Binding) -> None:
        """An assignment: from here on only ``binding`` reaches ``name``."""
        if self._shared:
            self.state = dict(self.state)
            self._shared = False
        self.state[name] = (binding,)

    def join(self, states: list[Reaching]) -> None:
        """Where branches meet: each name is reached by the bindings of every branch."""
        first = states[0]
        if all(state is first for state in states):
            self.restore(first)
            return
        merged = dict(first)
        for state in states[1:]:
            for name, bindings in state.items():
                known = merged.get(name)
                if known is None:
                    merged[name] = bindings
                elif known is not bindings:
                    extra = tuple(b for b in bindings if not any(b is k for k in known))
                    merged[name] = known + extra
        self.state = merged
        self._shared = False
