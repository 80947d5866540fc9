"""What the analyzer reports: findings, and files it could not analyse.

The annotations are evaluated (no ``from __future__ import annotations``): as strings,
``typing.NamedTuple`` compiles each field's annotation at import (the 72 fields of these
named tuples, the rules' and the analysis model's cost a one-file run ~3.5M instructions).
"""

from typing import NamedTuple


class Finding(NamedTuple):
    """One blocking call (or wrong bridge) at a precise place.

    Lines are 1-based; columns are 1-based and count characters (not UTF-8 bytes);
    ``end_col`` is exclusive. ``target`` is the resolved qualified name of what blocks
    (``time.sleep``, ``groq.Groq.chat.completions.create``). ``strategy`` names the
    codemod for the safe fix, ``unsafe_strategy`` the one applied with
    ``--unsafe-fixes``; ``unfixable`` says why no fix can be applied at this place (a
    call in a generator expression, where ``await`` cannot go). A finding without it
    runs in the coroutine's own scope: an ``await`` may be added there.

    Facts a fix needs: ``twin`` names the coroutine to call instead (only a twin whose
    signature matches, outside its own body, gets a swap strategy); ``handed_coroutine``
    says the function handed to a breaker's ``call`` is a coroutine function;
    ``lazy_result`` marks a result that does its I/O while iterated; ``nested_blocking``
    says the call's receiver or arguments block too (a thread takes the whole call);
    ``block_stays`` says why the ``with`` block this call opens must stay on the event
    loop (it holds calls whose own fix keeps them there, or cannot leave the coroutine);
    ``open_form`` is how an ``async-open`` fix rewrites the ``with open(...)`` block the
    call opens: ``aiofiles.open``, ``anyio.open_file`` or ``trio.open_file`` (the block
    opens async files), or ``thread`` (it moves whole into a worker thread); ``block``
    (first and last line) is that block.
    ``bridge`` names the project's own thread bridge a fix uses (``sync_to_async``).
    ``section`` (first and last line) marks statements that must move into one worker
    thread together, one caller at a time, for ``section_reason``; ``declined`` says why
    the safe fix would change what the program does. ``resource`` names what the call
    touches (the file system, a database) and ``writes`` whether it changes it: fixes of
    two modules that move such calls into threads do not serialise each other.
    ``segment`` (first and last line) is the run of statements between two awaits holding
    a call on a class with twins: two such calls in one run are not swapped, whichever
    pass (the module's, the project's) found them. ``lock`` names the module holding the
    lock the sections share with other modules of its package (``pkg._deblock_lock``):
    the project pass gives one to modules whose fixes would otherwise be declined for the
    threads of each other's fixes on one resource. ``state`` names the instance attributes
    (``Cls.x``) and globals a section shares with other code of its module: the lock keeps
    it atomic only while that code moves too (``section_partners.keep_partners``).
    ``unshared`` says a section only makes and uses handles of its own and touches nothing
    another call shares: its callers run it at once, without the lock. ``awaited_by``
    names the coroutine of another module the call's result is handed to, awaited, and
    the place (``("app.helpers.run", "#0")``): the project pass withdraws the finding if
    that coroutine awaits what it is handed there, untested (``awaited_through``).
    ``silenced_within`` says a ``# noqa`` in a sync function the call runs silences each
    blocking call it reaches (DBK801): it is not reported, but weighed as a silenced one.
    ``lazy_reads`` names the resources a section touches by iterating a lazy result made
    before it (``found = path.iterdir()``): the section is on them too (``unlocked``).
    ``registrars`` names the exit registrars, on receivers of unknown type, whose reading
    as calling what they are handed at once would decide the safe fix otherwise
    (``analysis.registrar_readings``; ``project.registrar_reads``).
    """

    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    code: str
    message: str
    target: str
    strategy: str | None = None
    unsafe_strategy: str | None = None
    unfixable: str | None = None
    async_equivalent: str | None = None
    twin: str | None = None
    lazy_result: bool = False
    handed_coroutine: bool = False
    nested_blocking: bool = False
    block_stays: str | None = None
    open_form: str | None = None
    block: tuple[int, int] | None = None
    chain: tuple[str, ...] = ()
    bridge: str | None = None
    section: tuple[int, int] | None = None
    section_reason: str | None = None
    declined: str | None = None
    resource: str | None = None
    writes: bool = False
    segment: tuple[int, int] | None = None
    lock: str | None = None
    state: tuple[str, ...] = ()
    unshared: bool = False
    awaited_by: tuple[str, str] | None = None
    silenced_within: bool = False
    lazy_reads: tuple[str, ...] = ()
    registrars: tuple[str, ...] = ()

    @property
    def fixable(self) -> bool:
        """Whether some fix (safe or unsafe) exists for this finding."""
        return self.safe_fix or self.unsafe_fix_only

    @property
    def safe_fix(self) -> bool:
        """Whether plain ``deblock fix`` has a fix for this finding."""
        return self.unfixable is None and bool(self.strategy)

    @property
    def unsafe_fix_only(self) -> bool:
        """Whether only ``deblock fix --unsafe-fixes`` has a fix for this finding."""
        return self.unfixable is None and not self.strategy and bool(self.unsafe_strategy)

    @property
    def unsafe_because(self) -> str | None:
        """Why a finding only ``--unsafe-fixes`` fixes has no safe fix: its safe fix was
        declined, or its rule's only fix is unsafe (``Rule.unsafe_because``)."""
        if not self.unsafe_fix_only:
            return None
        from deblock.rules import BY_CODE  # the rules import what imports this module

        return self.declined or BY_CODE[self.code].unsafe_because

    @classmethod
    def from_dict(cls, data: dict) -> "Finding":
        """Rebuild a finding from its fields' JSON form, where those it lacks hold their
        defaults (the check cache stores that: ``file_check.findings_to_cache``)."""
        fields = dict(data)
        fields["chain"] = tuple(fields.get("chain", ()))
        fields["state"] = tuple(fields.get("state", ()))
        fields["lazy_reads"] = tuple(fields.get("lazy_reads", ()))
        fields["registrars"] = tuple(fields.get("registrars", ()))
        for name in ("section", "segment", "block", "awaited_by"):
            if fields.get(name):
                fields[name] = tuple(fields[name])
        return cls(**fields)


def decline(finding: Finding, reason: str, unsafe: bool = False) -> Finding:
    """``finding`` with its safe fix declined for ``reason`` (offered as unsafe, or not)."""
    return finding._replace(
        strategy=None,
        unsafe_strategy=(finding.unsafe_strategy or finding.strategy) if unsafe else None,
        declined=reason,
    )


class FileError(NamedTuple):
    """A file that could not be read or parsed; never stops a run."""

    path: str
    reason: str
    line: int | None = None
    col: int | None = None

    def to_dict(self) -> dict:
        """The JSON form of the error."""
        return self._asdict()
