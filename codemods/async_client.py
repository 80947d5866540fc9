"""``async-client`` (unsafe): switch a sync SDK client to its native async twin.

``CLIENT = Groq()`` becomes ``CLIENT = AsyncGroq()`` and every
``CLIENT.chat.completions.create(...)`` is awaited; a streaming call (ElevenLabs'
``text_to_speech.convert``) is an async generator there, so ``for chunk in ...`` becomes
``async for``. Applied only when the module creates the client (a module name or a
``self`` attribute) and every use of it is a reported call that can be awaited.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst
import libcst.matchers as m
from libcst.metadata import ParentNodeProvider, QualifiedNameProvider

from deblock.findings import Finding

from .base import FindingCodemod
from .context import awaiting
from .imports import release


def _holder(call: cst.Call, depth: int) -> tuple[str | None, str] | None:
    """The variable holding the client: ``(None, "CLIENT")`` or ``("self", "_client")``."""
    expr = call.func
    for _ in range(depth):
        if not isinstance(expr, cst.Attribute):
            return None
        expr = expr.value
    if isinstance(expr, cst.Name):
        return None, expr.value
    if m.matches(expr, m.Attribute(value=m.Name("self"), attr=m.Name())):
        return "self", expr.attr.value
    return None


def _references(module: cst.Module, key: tuple[str | None, str]) -> list[cst.CSTNode]:
    if key[0] is None:
        return list(m.findall(module, m.Name(key[1])))
    return list(m.findall(module, m.Attribute(value=m.Name("self"), attr=m.Name(key[1]))))


def _descendants(node: cst.CSTNode):
    stack = [node]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


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
        QualifiedNameProvider,
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
            if key is None:
                self.decline(finding, "the client is not held in a module name or self attribute")
                continue
            client = clients.setdefault(key, _Client(sync, twin))
            client.findings.append(finding)
            client.calls.append(call)
        for key, client in clients.items():
            reason = self._plan(node, key, client)
            for finding in client.findings:
                self.decline(finding, reason) if reason else self.done(finding)

    @staticmethod
    def _classes(finding: Finding) -> tuple[str, str]:
        twin = finding.twin or ""
        depth = len(twin.split("."))
        return ".".join(finding.target.split(".")[:depth]), twin

    def _plan(self, module: cst.Module, key, client: _Client) -> str | None:
        """Schedule the rewrite of one client, or say why it cannot be switched."""
        reached = {id(n) for call in client.calls for n in _descendants(call.func)}
        for ref in _references(module, key):
            assign = self.parent(ref)
            if isinstance(assign, cst.AssignTarget):
                value = self.parent(assign).value
                if not (isinstance(value, cst.Call) and self._creates(value, client.sync)):
                    return "the client variable is also assigned something else"
                client.constructions.append(value)
            elif id(ref) not in reached:
                return "the client is also used outside the reported async calls"
        if not client.constructions:
            return "the client is created in another module"
        fors = []
        for call, finding in zip(client.calls, client.findings, strict=True):
            loop = self.parent(call)
            if finding.lazy_result:
                if not (isinstance(loop, cst.For) and loop.iter is call and not loop.asynchronous):
                    return "a streaming call of the async client must be iterated with `async for`"
                fors.append(loop)
        self._async_for.update(fors)
        self._await.update(
            c for c, f in zip(client.calls, client.findings, strict=True) if not f.lazy_result
        )
        self._swap.update({c: client.twin for c in client.constructions})
        return None

    def _creates(self, call: cst.Call, sync: str) -> bool:
        names = self.get_metadata(QualifiedNameProvider, call.func, set())
        return any(q.name == sync for q in names)

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
