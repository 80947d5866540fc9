"""Whether the object a call found across modules is made on was made for that call."""

from __future__ import annotations

from deblock.project.index import ProjectIndex


def made_for_the_call(index: ProjectIndex, callee: str) -> bool:
    """Whether call ``callee`` (as a site names it) is made on what a call returned
    (``brokers.make_channel().basic_get``, also through a local), not on an object other
    calls may share: a global, an attribute, a parameter or a local of a declared type
    (``brokers.Channel.basic_get``), or what a project function that may return a shared
    one returned (a getter, ``brokers.get_channel()``: ``FunctionSummary.returns_shared``)."""
    receiver = callee.rpartition(".")[0]
    if not receiver.endswith("()"):
        return False
    found = index.function(index.called(receiver.removesuffix("()")))
    return found is None or not found[1].returns_shared
