"""The inbox on SQLite and PostgreSQL: dedupe with expiry, order per sender, one claim at a time."""

from __future__ import annotations

import pytest
from ai_companion.database import open_database
from ai_companion.interfaces.whatsapp.dispatcher import Dispatcher
from ai_companion.interfaces.whatsapp.inbox import LEASE, Inbox
from ai_companion.interfaces.whatsapp.payload import IncomingMessage

ALICE, BOB = "4915100000001", "4915100000002"
HOUR = 3600.0


class Clock:
    """Seconds that only move when told to."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def said(sender: str, n: int) -> IncomingMessage:
    return IncomingMessage(f"wamid.{sender}.{n}", sender, "text", f"message {n}")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def database(database_settings):
    opened = await open_database(database_settings)
    yield opened
    await opened.aclose()


@pytest.fixture
async def inbox(database, clock) -> Inbox:
    return await Inbox.open(database, keep_for=HOUR, clock=clock)


async def test_an_id_is_accepted_once_until_it_expires(inbox, clock):
    hello = said(ALICE, 1)
    assert await inbox.accept([hello, said(BOB, 1)]) == [hello, said(BOB, 1)]
    assert await inbox.accept([hello]) == []
    assert await inbox.claim(ALICE) == hello
    await inbox.finish(hello)
    clock.now += HOUR - 1
    assert await inbox.accept([hello]) == []
    clock.now += 2
    assert await inbox.accept([hello]) == [hello]  # Meta stopped redelivering long ago


async def test_unfinished_messages_never_expire(inbox, clock):
    await inbox.accept([said(ALICE, 1)])
    clock.now += 10 * HOUR
    assert await inbox.accept([said(ALICE, 1)]) == []
    assert await inbox.unfinished() == 1


async def test_a_senders_messages_are_claimed_one_at_a_time_in_order(inbox):
    await inbox.accept([said(ALICE, 1), said(BOB, 1), said(ALICE, 2)])
    first = await inbox.claim(ALICE)
    assert first == said(ALICE, 1)
    assert await inbox.claim(ALICE) is None  # the first is in progress
    assert await inbox.claim(BOB) == said(BOB, 1)  # other senders are not held up
    await inbox.finish(first)
    assert await inbox.claim(ALICE) == said(ALICE, 2)
    assert sorted(await inbox.waiting_senders()) == [ALICE, BOB]


async def test_a_claim_left_unfinished_is_taken_again_after_the_lease(inbox, clock):
    await inbox.accept([said(ALICE, 1)])
    assert await inbox.claim(ALICE) == said(ALICE, 1)  # then its process dies
    clock.now += LEASE - 1
    assert await inbox.claim(ALICE) is None
    clock.now += 2
    assert await inbox.claim(ALICE) == said(ALICE, 1)


async def test_a_restarted_dispatcher_handles_what_was_accepted_before(database, clock):
    first = await Inbox.open(database, keep_for=HOUR, clock=clock)
    await first.accept([said(ALICE, 1), said(ALICE, 2)])  # accepted, then the process stopped
    handled = []

    async def handle(message: IncomingMessage) -> None:
        handled.append(message)

    restarted = await Inbox.open(database, keep_for=HOUR, clock=clock)
    async with Dispatcher(handle, restarted):
        pass
    assert handled == [said(ALICE, 1), said(ALICE, 2)]
    assert await restarted.unfinished() == 0
