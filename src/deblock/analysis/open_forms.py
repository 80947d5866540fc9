"""The form of the ``async-open`` fix of a ``with open(...) as fh:`` block in a coroutine.

The module's analysis marks the finding ``open_form="async"`` when the block may open
async files (``open_blocks``), else ``thread``. ``settle_open_blocks`` decides once the
module's async library and its project's dependencies are known: ``aiofiles.open``
(``async with aiofiles.open(...) as fh:``, ``await fh.read()``; only in a project that
depends on aiofiles: its import would fail where aiofiles is not installed),
``anyio.open_file``/``trio.open_file`` in modules on those libraries, else ``thread`` (the
whole block moves into a worker thread), or, when the block cannot move
(``Finding.block_stays``), no fix: it is declined with that reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from deblock.findings import Finding, decline

STRATEGY = "async-open"
ASYNC = "async"  # the module's verdict: the handles' uses can all be awaited
THREAD = "thread"
_OPEN_FILE = {"anyio": "anyio.open_file", "trio": "trio.open_file"}


def settle_open_blocks(
    findings: list[Finding],
    library: str | None,
    dependencies: Callable[[], Iterable[str] | None],
) -> list[Finding]:
    """``findings`` with the form of each open block's fix decided, in a module on
    ``library`` (None: asyncio) of a project whose ``dependencies()`` are known (None: a
    module fixed alone, which may import anything)."""
    if not any(_undecided(f) for f in findings):
        return findings
    may_await = library in _OPEN_FILE or _has_aiofiles(dependencies())
    return [_settled(f, library, may_await) for f in findings]


def _has_aiofiles(dependencies: Iterable[str] | None) -> bool:
    return dependencies is None or "aiofiles" in dependencies


def _undecided(finding: Finding) -> bool:
    """Whether ``finding``'s (safe or unsafe) fix is an open block's, its form undecided."""
    return finding.open_form in (ASYNC, THREAD) and STRATEGY in (
        finding.strategy,
        finding.unsafe_strategy,
    )


def _settled(finding: Finding, library: str | None, may_await: bool) -> Finding:
    if not _undecided(finding):
        return finding
    if finding.open_form == ASYNC and may_await:
        return finding._replace(open_form=_OPEN_FILE.get(library, "aiofiles.open"))
    if finding.block_stays:  # no fix at all: an unsafe one is withdrawn too
        reason = finding.declined or finding.block_stays
        return decline(finding._replace(open_form=None), reason)
    return finding._replace(open_form=THREAD)


def staying(finding: Finding, reason: str) -> Finding:
    """``finding``, which opens a ``with`` block that must stay on the event loop for
    ``reason``: no fix moves the block (none at all, unless its files may open async)."""
    finding = finding._replace(block_stays=reason)
    if STRATEGY in (finding.strategy, finding.unsafe_strategy):
        return finding  # ``async with aiofiles.open`` may do instead (``open_forms``)
    return decline(finding, reason) if finding.strategy or finding.unsafe_strategy else finding
