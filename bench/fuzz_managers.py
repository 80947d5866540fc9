"""The context managers ``fuzz_programs`` draws, each counting the calls in progress: how a
``with`` names it (the key), how a read of its count is written, and its definition.

``MANAGERS`` (``managers=True``) are entered by name; ``MADE`` (``made=True``) are returned by
a call of a function of their module (the global instance, or a new instance whose class
attribute holds the count); ``ASYNC`` (``async_managers=True``) are entered by ``async with``:
a class whose ``__aenter__``/``__aexit__`` never suspend, and an ``asynccontextmanager``
generator that sleeps before it counts.
"""

from __future__ import annotations

_GAUGE = [
    "class Gauge:",
    "    def __init__(self):",
    "        self.active = 0",
    "",
    "    def __enter__(self):",
    "        self.active += 1",
    "        return self",
    "",
    "    def __exit__(self, *exc):",
    "        self.active -= 1",
    "",
    "",
    "GAUGE = Gauge()",
]

MANAGERS = {
    "GAUGE": ("GAUGE.active", _GAUGE),
    "busy()": (
        "ACTIVE",
        [
            "ACTIVE = 0",
            "",
            "",
            "@contextlib.contextmanager",
            "def busy():",
            "    global ACTIVE",
            "    ACTIVE += 1",
            "    try:",
            "        yield",
            "    finally:",
            "        ACTIVE -= 1",
        ],
    ),
}

MADE = {
    "make()": ("GAUGE.active", [*_GAUGE, "", "", "def make():", "    return GAUGE"]),
    "meter()": (
        "Meter.active",
        [
            "class Meter:",
            "    active = 0",
            "",
            "    def __enter__(self):",
            "        Meter.active += 1",
            "        return self",
            "",
            "    def __exit__(self, *exc):",
            "        Meter.active -= 1",
            "",
            "",
            "def meter():",
            "    return Meter()",
        ],
    ),
}

ASYNC = {
    "AGAUGE": (
        "AGAUGE.active",
        [
            "class AsyncGauge:",
            "    def __init__(self):",
            "        self.active = 0",
            "",
            "    async def __aenter__(self):",
            "        self.active += 1",
            "        return self",
            "",
            "    async def __aexit__(self, *exc):",
            "        self.active -= 1",
            "",
            "",
            "AGAUGE = AsyncGauge()",
        ],
    ),
    "abusy()": (
        "AACTIVE",
        [
            "AACTIVE = 0",
            "",
            "",
            "@contextlib.asynccontextmanager",
            "async def abusy():",
            "    global AACTIVE",
            "    await asyncio.sleep(0)",
            "    AACTIVE += 1",
            "    try:",
            "        yield",
            "    finally:",
            "        AACTIVE -= 1",
        ],
    ),
}

KINDS = {**MANAGERS, **MADE, **ASYNC}
