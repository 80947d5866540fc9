"""Runtime proof for ``fixtures/guarded_gets_valid.py``: the gets deblock no longer reports
never wait. ``queue.Queue.get`` is made to raise ``queue.Empty`` where it would wait, and
the coroutines run while another thread puts into the facade's queue meanwhile."""

import asyncio
import importlib.util
import queue
import threading
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "guarded_gets_valid.py"


def _load():
    spec = importlib.util.spec_from_file_location("guarded_gets_valid", FIXTURE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_unreported_gets_return_at_once(monkeypatch):
    module = _load()
    get = queue.Queue.get
    monkeypatch.setattr(queue.Queue, "get", lambda self, *_, **__: get(self, block=False))
    facade = module.Facade()
    facade.add_protocol("first")
    feeder = threading.Thread(target=lambda: [facade.add_protocol(n) for n in range(2000)])

    async def run():
        feeder.start()
        await facade.connect()
        return await module.drained(range(50)), await module.newest("abc", True)

    drained, newest = asyncio.run(run())
    feeder.join()
    while not facade._to_set_up.empty():  # what the feeder put after connect's last test
        facade._handlers[facade._to_set_up.get()] = None
    assert len(facade._handlers) == 2001
    assert (drained, newest) == (list(range(50)), "c")


def test_a_queue_handed_to_a_method_that_only_puts_is_drained_at_once(monkeypatch):
    module = _load()
    get = queue.Queue.get
    monkeypatch.setattr(queue.Queue, "get", lambda self, *_, **__: get(self, block=False))
    transcript, hooks = module.Transcript(), []
    asyncio.run(transcript.on_turn(["a", "b"], hooks))
    assert transcript.logged == ["incoming", "a", "b"] and len(hooks) == 1
