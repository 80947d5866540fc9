"""Project-wide analysis: the call sites a single module could not judge (``findings``),
the summaries they need, and a run's cached result (``run``)."""
