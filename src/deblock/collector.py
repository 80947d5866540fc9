"""Pauses of the cyclic garbage collector, for work that leaves no cycles behind: a
command line's imports (modules, classes and functions stay alive) and a run (the
analysis breaks its own cycles, ``ModuleFacts.release``)."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """No cyclic garbage collection meanwhile (a run, imports; it also decorates a
    function). In a run the collector would only traverse its summaries and findings over
    and over (~0.18 CPU-s of the serial part of a cold run of the bench corpus). What was
    allocated meanwhile then joins the oldest generation: left in the youngest, the first
    allocation after the pause would traverse all of it (~0.15 CPU-s at the end of that
    run; after a one-file run's imports, a collection of ~100,000 objects)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        _age_all()
        if enabled:
            gc.enable()


def _age_all() -> None:
    """Move every object the collector tracks into its oldest generation (``freeze`` and
    ``unfreeze`` splice lists: no object is visited), unless some are frozen already
    (unfreezing would release them)."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
