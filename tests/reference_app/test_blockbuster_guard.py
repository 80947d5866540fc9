"""The autouse fixture must really catch blocking calls made on the event loop."""

import time

import pytest
from blockbuster import BlockingError


async def test_time_sleep_in_a_coroutine_is_caught():
    with pytest.raises(BlockingError, match="time.sleep"):
        time.sleep(0.01)  # noqa: ASYNC251 -- deliberate: the fixture must catch it


async def test_blocking_file_io_in_a_coroutine_is_caught(tmp_path):
    with pytest.raises(BlockingError):
        (tmp_path / "note.txt").write_text("blocking")


def test_sync_code_outside_a_loop_may_block():
    time.sleep(0.001)
