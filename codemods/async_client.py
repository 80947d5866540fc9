"""``async-client`` (unsafe): switch a sync SDK client to its native async twin.

``CLIENT = Groq()`` becomes ``CLIENT = AsyncGroq()`` and every
``CLIENT.chat.completions.create(...)`` is awaited; a streaming call (ElevenLabs'
``text_to_speech.convert``) is an async generator there, so ``for chunk in ...`` becomes
``async for``. The analyzer offers it only for a client the module creates (a module name
or a ``self`` attribute) and uses in the reported calls alone (``client_switch``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst
import libcst.matchers as m
from libcst.metadata import ParentNodeProvider

from deblock.findings import Finding

from .base import FindingCodemod
from .context import awaiting
from .imports import release


def _holder(call: cst.Call, depth: int) -> tuple[str | None, str]:
    """The variable holding the client: ``(None, "CLIENT")`` or ``("self", "_client")``
    (the analyzer offers the fix for no other)."""
    expr = call.func
    for _ in range(depth):
        expr = expr.value
    return (None, expr.value) if isinstance(expr, cst.Name) else ("self", expr.attr.value)


def _references(module: cst.Module, key: tuple[str | None, str]) -> list[cst.CSTNode]:
    if key[0] is None:
        return list(m.findall(module, m.Name(key[1])))
    return list(m.findall(module, m.Attribute(value=m.Name("self"), attr=m.Name(key[1]))))


@dataclass
class _Client:
    """One client variable: its sync and async classes, constructions and calls."""

    sync: str
    twin: str
    findings: list[Finding] = field(default_factory=list)
    calls: list[cst.Call] = field(default_factory=list)
    constructions: list[cst.Call] = field(default_factory=list)


class AsyncClientCommand(FindingCodemod):
    DESCRIPTION = "Switch sync SDK clients used only in coroutines to their async twin (unsafe)."
    STRATEGY = "async-client"
    METADATA_DEPENDENCIES = (
        *FindingCodemod.METADATA_DEPENDENCIES,
        ParentNodeProvider,
    )
    PRUNE = False  # the client's construction holds no finding

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._await: set[cst.Call] = set()
        self._async_for: set[cst.For] = set()
        self._swap: dict[cst.Call, str] = {}

    def visit_Module(self, node: cst.Module) -> None:
        clients: dict[tuple[str | None, str], _Client] = {}
        for call in m.findall(node, m.Call()):
            finding = self.finding_at(call)
            if finding is None:
                continue
            sync, twin = self._classes(finding)
            key = _holder(call, len(finding.target.split(".")) - len(sync.split(".")))
            client = clients.setdefault(key, _Client(sync, twin))
            client.findings.append(finding)
            client.calls.append(call)
        for key, client in clients.items():
            self._plan(node, key, client)
            for finding in client.findings:
                self.done(finding)

    @staticmethod
    def _classes(finding: Finding) -> tuple[str, str]:
        twin = finding.twin or ""
        depth = len(twin.split("."))
        return ".".join(finding.target.split(".")[:depth]), twin

    def _plan(self, module: cst.Module, key, client: _Client) -> None:
        """Schedule the rewrite of one client: its constructions (every assignment to its
        holder, the analyzer found), its calls awaited, its streaming calls' loops."""
        for ref in _references(module, key):
            assign = self.parent(ref)
            if isinstance(assign, cst.AssignTarget):
                client.constructions.append(self.parent(assign).value)
        for call, finding in zip(client.calls, client.findings, strict=True):
            if finding.lazy_result:
                self._async_for.add(self.parent(call))  # a ``for`` iterating it
            else:
                self._await.add(call)
        self._swap.update({c: client.twin for c in client.constructions})

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if original_node in self._await:
            return awaiting(original_node, updated_node, self.parent)
        twin = self._swap.get(original_node)
        if twin is None:
            return updated_node
        module, _, name = twin.rpartition(".")
        func = updated_node.func
        if isinstance(func, cst.Attribute):
            return updated_node.with_changes(func=func.with_changes(attr=cst.Name(name)))
        release(self, original_node.func)
        self.add_needed_import(module, name)
        return updated_node.with_changes(func=cst.Name(name))

    def leave_For(self, original_node: cst.For, updated_node: cst.For) -> cst.For:
        if original_node in self._async_for:
            return updated_node.with_changes(asynchronous=cst.Asynchronous())
        return updated_node
