"""A pytest plugin (``-p guarded_tests``, with ``-p no:asyncio``) that runs each coroutine
test, one at a time as pytest does, on a busy default thread pool (``busy_pool``); under
blockbuster when ``GUARDED_TESTS`` is set, to the functions where blocking stays allowed
(``file:function``, comma-separated: what a fix leaves on the event loop)."""

from __future__ import annotations

import asyncio
import inspect
import os

import pytest
from blockbuster import BlockBuster
from busy_pool import concurrently


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    test = pyfuncitem.obj
    if not inspect.iscoroutinefunction(test):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    guard = _blockbuster(os.environ.get("GUARDED_TESTS"))
    try:
        (outcome,) = asyncio.run(concurrently(lambda _: test(**arguments), "", calls=1))
    finally:
        if guard is not None:
            guard.deactivate()
    assert outcome is None, outcome  # the name of what the test raised
    return True


def _blockbuster(allowed: str | None) -> BlockBuster | None:
    if allowed is None:
        return None
    guard = BlockBuster()
    for pair in filter(None, allowed.split(",")):
        filename, function = pair.split(":")
        for blocking in guard.functions.values():
            blocking.can_block_in(filename, function)
    guard.activate()
    return guard
