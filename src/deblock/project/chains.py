"""Which sync functions of the project block, directly or through other project functions."""

from __future__ import annotations

from collections.abc import Callable

from deblock.analysis.call_resources import resource_access
from deblock.analysis.false_defaults import handed_on, left_false
from deblock.analysis.hierarchy import SUPER
from deblock.analysis.shared_state import WRITE
from deblock.analysis.summary import FunctionSummary
from deblock.project.index import ProjectIndex
from deblock.rules import Catalogue, blocks_outside_coroutines
from deblock.rules.network import shown_name
from deblock.rules.resources import FILE_SYSTEM


class BlockingChains:
    """Finds, for a sync project function, one chain of calls that ends in a blocking call,
    preferring at each step what always runs over what runs on some paths only."""

    def __init__(
        self,
        index: ProjectIndex,
        catalogue: Catalogue,
        library_twin: Callable[[str], str | None] = lambda callee: None,
    ):
        """``library_twin(callee)``: the installed package's method a call makes, when its
        class offers a coroutine twin (it blocks, as the catalogue's entries do)."""
        self.index = index
        self.catalogue = catalogue
        self.library_twin = library_twin
        self._memo: dict[tuple, tuple[str, ...] | None] = {}
        self._touched: dict[str, dict[str, bool]] = {}
        self.silencing = False  # a function met has steps a ``noqa`` comment silences

    def of(
        self,
        qualname: str,
        receiver: str | None = None,
        iterated: bool = False,
        falsy: tuple[str, ...] = (),
        written: tuple[int, tuple[str, ...]] | None = None,
        buffers: tuple[str, ...] = (),
        silenced: bool = False,
    ) -> tuple[str, ...] | None:
        """``("helper", "_pause", "time.sleep (utils.py:5)")``, or None if it does not block.
        ``silenced``: take the steps a ``noqa`` comment silences too (``FunctionSummary.silenced``:
        met, they set ``silencing``); without it, only a chain of others counts.
        ``receiver``: the class of the instance a method is called on, when a subclass of
        the one defining it (its own attribute declarations then type ``self``'s).
        A call of a generator function runs none of its body: only when ``iterated`` (what
        it returns is iterated) does it block. ``falsy``: the parameters the call passes a
        false constant (``get(block=False)``): the steps that run only when one of them is
        truthy do not run, here nor where the function passes one on. ``written``: how many
        arguments the call passes by place and its keywords, when known: the parameters it
        leaves to a false default count as passed a false constant. A project class's call
        runs its ``__init__``, and blocks on what that always runs. ``buffers``: the
        parameters the call hands an in-memory buffer: the function's blocking calls on them
        do not block, here nor where it hands one on (``handed_streams``)."""
        if written is not None:
            falsy += self._left_false(qualname, *written)
        return self._chain(qualname, set(), receiver, iterated, falsy, False, buffers, silenced)

    def _left_false(self, qualname: str, positional: int, keywords: tuple[str, ...]) -> tuple:
        """The names of the parameters of ``qualname`` (a class: its ``__init__``) a call
        passing ``positional`` arguments by place and ``keywords`` leaves to a false default."""
        found = self.index.function(qualname)
        if found is None and (init := self.index.constructor(qualname)) is not None:
            found = self.index.function(init)
        return () if found is None else left_false(found[1].falsy_defaults, positional, keywords)

    def _stream(self, qualname: str) -> bool:
        """Whether project function ``qualname`` returns only a standard stream (or None)."""
        found = self.index.function(self.index.called(qualname))
        return found is not None and found[1].returns_stream

    def touched(self, qualname: str) -> tuple[str, bool] | None:
        """The resource a sync project function's blocking calls touch (the file system
        before a database), through the project functions it calls, and whether one of
        them may write it."""
        touched = self.touches(qualname)
        resource = min(touched, default=None, key=lambda r: r != FILE_SYSTEM)
        return None if resource is None else (resource, touched[resource])

    def touches(self, qualname: str) -> dict[str, bool]:
        """Every resource ``touched`` weighs, each with whether the function may write it."""
        return self._touches(qualname, set())

    def _touches(self, qualname: str, active: set[str]) -> dict[str, bool]:
        if qualname in self._touched:
            return self._touched[qualname]
        found = self.index.function(qualname)
        if found is None and (init := self.index.constructor(qualname)) is not None:
            found = self.index.function(init)
        if found is None or found[1].is_async or qualname in active:
            return {}
        active.add(qualname)
        touched: dict[str, bool] = {}
        for target, _, _ in found[1].blocking:
            entry = self.catalogue.blocking(target)
            access = entry and resource_access(entry.code, target, None)  # no call: no mode
            if access:
                resource, mode = access
                touched[resource] = touched.get(resource, False) or mode == WRITE
        for callee, _, _ in found[1].calls:
            for resource, writes in self._touches(self.index.called(callee), active).items():
                touched[resource] = touched.get(resource, False) or writes
        active.discard(qualname)
        self._touched[qualname] = touched
        return touched

    def _chain(
        self,
        qualname: str,
        active: set[str],
        receiver=None,
        iterated=False,
        falsy=(),
        always=False,
        buffers=(),
        silenced=False,
    ) -> tuple[str, ...] | None:
        """``always``: follow only the steps that run whenever the function does (what
        making a class blocks on: a class is made far more often than its ``__init__``
        takes a rare path, such as opening a log configuration file given one)."""
        key = (qualname, receiver, iterated, falsy, always, buffers, silenced)
        if key in self._memo:
            return self._memo[key]
        found = self.index.function(qualname)
        if found is None and (init := self.index.constructor(qualname)) is not None:
            qualname, receiver, always = init, qualname, True  # on an instance of the class
            found = self.index.function(qualname)
        if found is None or found[1].is_async or qualname in active:
            return None
        if found[1].is_generator != iterated:
            return None
        summary, function = found
        name = qualname.removeprefix(summary.module + ".")
        active.add(qualname)
        result = None
        fileless = buffers + falsy  # a false constant has no file's methods either
        blocking = self._blocking(function, qualname, receiver, fileless, silenced)
        owner = qualname.rpartition(".")[0]
        skipped = {line for line, name in function.only_if if name in falsy}
        passes = {(callee, line): names for callee, line, names in function.passes}
        handed = {(callee, line): pairs for callee, line, pairs in function.forwards}
        memory = {(callee, line): names for callee, line, names in function.buffers}
        for target, line, direct, runs in _steps(blocking, function.calls):
            if line in skipped or (always and not runs):
                continue
            passed = () if direct else handed_on(passes, handed, (target, line), falsy)
            buffered = () if direct else handed_on(memory, handed, (target, line), buffers)
            place = f"({summary.path}:{line})"
            iterates = not direct and target.endswith("()")  # what it returns, iterated
            target = target.removesuffix("()") if iterates else target
            on_self = not direct and receiver is not None and target.startswith(f"{owner}.")
            on_self = on_self and not target.startswith(f"{owner}.{SUPER}.")  # bound to owner
            if on_self:  # a method of the same instance: the receiver's class dispatches it
                target = receiver + target[len(owner) :]
            resolved = target if direct else self.index.called(target)
            entry = None if direct or iterates else self.catalogue.blocking(resolved)
            if direct or (entry is not None and blocks_outside_coroutines(entry)):
                result = (name, f"{shown_name(resolved)} {place}")
                break
            twinned = None if direct or iterates else self.library_twin(target)
            if twinned is not None:
                result = (name, f"{twinned} {place}")
                break
            on = receiver if on_self else None
            deeper = self._chain(resolved, active, on, iterates, passed, always, buffered, silenced)
            if deeper is not None:
                result = (name, *deeper)
                break
        active.discard(qualname)
        self._memo[key] = result
        return result

    def _blocking(
        self,
        function: FunctionSummary,
        qualname: str,
        receiver: str | None,
        buffers: tuple,
        silenced: bool,
    ) -> list:
        """The blocking steps of method ``qualname`` called on an instance of ``receiver``
        and handed in-memory buffers as ``buffers``: a call on ``self.x`` does not block
        when ``receiver`` declares ``x`` of a type on which the method does not block, nor
        a call on a parameter handed a buffer; nor, unless ``silenced``, one a ``noqa`` comment
        silences."""
        owner = qualname.rpartition(".")[0]
        helpers = dict(function.stream_helpers)
        dropped = {
            i
            for i, names in function.on_parameters
            if any(n in buffers for n in names) and all(map(self._stream, helpers.get(i, ())))
        }
        if function.silenced:
            self.silencing = True
            muted = set(function.silenced) if not silenced else ()
            dropped |= {i for i, step in enumerate(function.blocking) if step[:2] in muted}
        if receiver is None or receiver == owner or self.index.cls(receiver) is None:
            through_self = ()
        else:
            through_self = function.through_self
        for i, attribute in through_self:
            declared = self.index.attribute(receiver, attribute)
            if declared is None or declared == self.index.attribute(owner, attribute):
                continue
            method = function.blocking[i][0].rpartition(".")[2]
            if self.catalogue.blocking(f"{self.index.normalize(declared)}.{method}") is None:
                dropped.add(i)
        if not dropped:
            return function.blocking
        return [step for i, step in enumerate(function.blocking) if i not in dropped]


def _steps(blocking, calls):
    """(target, line, is a direct blocking call, always runs): the steps that always run
    first, then those on a path that may not run, each group in line order."""
    steps = [(*step, True) for step in blocking] + [(*step, False) for step in calls]
    steps.sort(key=lambda step: (not step[2], step[1]))
    return [(target, line, direct, always) for target, line, always, direct in steps]
