"""Worker processes: how many, and mapping work over them when it is worth it."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from functools import partial

# Below this many bytes to analyse, a process pool costs more than it saves.
POOL_MIN_BYTES = 256 * 1024
# Items are handed out in this many chunks per worker: few enough to pass cheaply, many
# enough that no worker is left alone with a long last chunk (with 8, the bench corpus's
# cold run kept one of two workers busy ~0.3 s after the other had finished).
_CHUNKS_PER_WORKER = 32
# What ``Workers.forked`` hands the workers it forks: the work and its items, by index.
_FORKED: tuple[Callable, Sequence] | None = None
# Syntax trees are many and acyclic: the cyclic garbage collector's default thresholds
# (700, 10, 10) made it traverse them over and over.
_GC_THRESHOLDS = (50_000, 20, 20)


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def file_size(path: str) -> int:
    """The bytes of the file at ``path`` (0 when it cannot be read): how much work it is."""
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def first_file_size(item: tuple) -> int:
    """The bytes of the file at an item's path (its first part): how much work it is."""
    return file_size(item[0])


def process_context():
    """The multiprocessing context for pools: fork where available (workers start fast)."""
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    return multiprocessing.get_context(method)


class Workers:
    """Worker processes for a run's batches of work (at most ``jobs``): started by the
    first batch worth them, then kept for every later batch, however small (forking a
    pool per batch cost the bench corpus's cold run ~0.2 s of wall time), until closed."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self._pool = None
        self._workers = 0

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type | None = None, *_) -> None:
        """Stop the workers once their work is done; work not begun is dropped when the
        block is left by an exception (Ctrl-C ends a run without finishing its batch)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=kind is not None)
            self._pool = None

    def map(
        self,
        work: Callable,
        items: Sequence,
        size: int,
        weight: Callable | None = None,
        **kwargs,
    ) -> list:
        """``work(item, **kwargs)`` for every item, in their order: in the workers when
        there are several items and the workers run already or ``size`` (the items' bytes)
        makes starting them worth it, else here. With ``weight`` (an item's cost) the
        workers take the heaviest items first, so that no worker is left alone with a large
        one at the batch's end."""
        worth = self._pool is not None or size >= POOL_MIN_BYTES
        if self.jobs < 2 or len(items) < 2 or not worth:
            return [work(item, **kwargs) for item in items]
        told = partial(work, **kwargs)
        if weight is None:
            return list(self.each(told, items))
        return _heaviest_first(
            items, weight, lambda order: list(self.each(told, [items[i] for i in order]))
        )

    def each(self, work: Callable, items: Sequence) -> Iterator:
        """``work(item)`` for every item in the workers, forked now if they do not run yet,
        all submitted at once; the results in order, each as it is done. Ctrl-C and SIGTERM
        are held off while the workers fork: a ``KeyboardInterrupt`` between two forks
        left the forked ones waiting for work, and the run's exit waiting for them."""
        from deblock.uninterrupted import blocked  # signals: only a run that forks needs them

        if self._pool is None:  # as many workers as the first batch can keep busy
            from concurrent.futures import ProcessPoolExecutor

            self._workers = min(self.jobs, len(items))
            self._pool = ProcessPoolExecutor(
                self._workers, mp_context=process_context(), initializer=_worker_start
            )
        chunk = max(1, len(items) // (min(self._workers, len(items)) * _CHUNKS_PER_WORKER))
        with blocked():  # the first submit forks the workers
            return self._pool.map(work, items, chunksize=chunk)

    def start(self, work: Callable, items: Sequence, size: int) -> Callable[[], list]:
        """``map(work, items, size)`` begun now in the workers when they run already, so
        that they do it while this process does something else; returns what gives the
        results (waiting for them). Without running workers, ``map`` is done then."""
        if self._pool is None or len(items) < 2:
            return partial(self.map, work, items, size)
        futures = [self._pool.submit(work, item) for item in items]
        return lambda: [future.result() for future in futures]

    def forked(self, work: Callable, items: Sequence, weight: Callable) -> list:
        """``work(item, workers)`` for every item, in workers forked now: they start with
        this process's state as it is (only the results are pickled), the heaviest items
        (``weight``) first, and run their own batches in process (``workers``); the running
        workers are stopped first (their threads would be forked too). Here, with these
        ``workers``, when there are not several items and workers or no fork."""
        global _FORKED
        if not self.forks(items):
            return [work(item, self) for item in items]
        from concurrent.futures import ProcessPoolExecutor

        from deblock.uninterrupted import blocked

        self.__exit__()

        def run(order: list[int]) -> list:
            with blocked():
                results = self._pool.map(_forked_item, order)
            return list(results)

        _FORKED = (work, items)
        try:  # a pool forks its processes on the first submit
            self._workers = min(self.jobs, len(items))
            self._pool = ProcessPoolExecutor(
                self._workers, mp_context=process_context(), initializer=_worker_start
            )
            return _heaviest_first(items, weight, run)
        finally:
            _FORKED = None

    def forks(self, items: Sequence) -> bool:
        """Whether ``forked`` works on ``items`` in forked workers (not in this process)."""
        if self.jobs < 2 or len(items) < 2:
            return False
        return process_context().get_start_method() == "fork"


def _heaviest_first(items: Sequence, weight: Callable, run: Callable[[list[int]], list]) -> list:
    """``run(order)``'s results, one per index of ``order`` (``items``' indices, the
    heaviest items first by ``weight``), back in the items' order."""
    order = sorted(range(len(items)), key=lambda i: -weight(items[i]))
    done = dict(zip(order, run(order), strict=True))
    return [done[i] for i in range(len(items))]


def _forked_item(index: int):
    """``Workers.forked``'s work on its item ``index``, in a forked worker."""
    work, items = _FORKED
    return work(items[index], Workers(1))


def _worker_start() -> None:
    """Collect cycles in the workers (forked from a run that paused the collector), less
    often than by default: they analyse module after module, each freed as it is done.
    The parent's objects they inherit are never traversed (``freeze``): a collection would
    find no garbage there and copy every page it touched. Ctrl-C and SIGTERM, blocked
    while the parent forked them, reach them again."""
    from deblock.uninterrupted import unblock

    unblock()
    gc.freeze()
    gc.enable()
    gc.set_threshold(*_GC_THRESHOLDS)
