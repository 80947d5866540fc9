"""What a library's classes say about themselves: coroutine twins and async classes."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from deblock.analysis.twins import swap_hazard, twin_entry

if TYPE_CHECKING:
    from deblock.library.packages import Package
    from deblock.project.index import ProjectIndex


class Learned(NamedTuple):
    """Sync method ``cls.method`` and the coroutine to call instead: ``twin`` on the same
    class, or ``twin_class.twin`` on the package's async class; ``in_thread``: the
    instance's sync code the coroutine only runs in a worker thread (not a safe swap)."""

    cls: str
    method: str
    twin: str
    twin_class: str | None = None
    signature_matches: bool = True
    in_thread: str | None = None


def async_counterparts(cls: str) -> list[str]:
    """Names the async version of class ``cls`` (``pkg.sub.X``) may have, nearest first:
    ``pkg.sub.AsyncX``, ``pkg.sub.aio.X``, ``pkg.sub.asyncio.X``, then the same in each
    enclosing package (``pkg.AsyncX``, ``pkg.aio.X``, ``pkg.asyncio.X``), and last the
    sibling module ``async_sub`` (``slack_sdk.web.client.WebClient``:
    ``slack_sdk.web.async_client.AsyncWebClient``)."""
    module, _, name = cls.rpartition(".")
    parts = module.split(".")
    found = []
    for end in range(len(parts), 0, -1):
        package = ".".join(parts[:end])
        found += [f"{package}.Async{name}", f"{package}.aio.{name}", f"{package}.asyncio.{name}"]
    if len(parts) > 1:
        found.append(f"{'.'.join(parts[:-1])}.async_{parts[-1]}.Async{name}")
    return found


def same_class_twin(
    index: ProjectIndex, cls: str, method: str, configured: dict[str, str]
) -> Learned | None:
    """The coroutine twin of sync method ``method`` in ``cls``'s hierarchy."""
    entry = twin_entry(
        f"{cls}.{method}",
        lambda name: index.is_coroutine_method(cls, name),
        configured,
        lambda name: index.signature(cls, name),
    )
    if entry is None:
        return None
    twin = entry.async_twin
    matches = signatures_match(index, cls, method, cls, twin)
    return Learned(cls, method, twin, None, matches, index.in_thread(cls, twin))


def signatures_match(index: ProjectIndex, cls: str, method: str, twin_cls: str, twin: str):
    """Whether ``twin_cls.twin`` takes ``cls.method``'s parameters (and defaults)."""
    signatures = (index.signature(cls, method), index.signature(twin_cls, twin))
    return swap_hazard(method, twin, signatures, inside_twin=False) is None


def async_counterpart(index: ProjectIndex, receiver: str, method: str) -> Learned | None:
    """The library's async class whose coroutine ``method`` replaces sync
    ``receiver.method``: the async version of ``receiver``'s class, or of the first library
    class it derives from (a project's subclass of a client)."""
    if index.is_coroutine_method(receiver, method) is not False:
        return None
    cls = next((c for c in index.mro(receiver) if index.is_library(c)), None)
    for candidate in async_counterparts(cls) if cls else ():
        found = index.normalize(candidate)
        if found != cls and index.is_coroutine_method(found, method):
            matches = signatures_match(index, receiver, method, found, method)
            in_thread = index.in_thread(found, method)
            return Learned(receiver, method, method, candidate, matches, in_thread)
    return None


def learned_from(index: ProjectIndex, package: Package, configured: dict[str, str]):
    """Everything learned from ``package``'s classes: each public sync method with a
    coroutine twin or an async class's coroutine of the same name, in name order."""
    found = []
    for module in package.modules():
        summary = index.module(module)
        for cls, info in sorted(summary.classes.items()) if summary else ():
            for method, is_coroutine in sorted(info.methods.items()):
                if is_coroutine or method.startswith("_"):
                    continue
                learned = same_class_twin(index, cls, method, configured)
                learned = learned or async_counterpart(index, cls, method)
                if learned is not None:
                    found.append(learned)
    return found
