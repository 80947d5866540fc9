"""Memory on SQLite and PostgreSQL: persistence across restarts, de-duplication, relevance."""

from __future__ import annotations

import asyncio

import aiofiles.os
from ai_companion.database import open_database
from ai_companion.database.base import fetch_one
from ai_companion.memory import MemoryStore
from ai_companion.settings import Settings


async def open_memory(settings: Settings) -> MemoryStore:
    return await MemoryStore.open(await open_database(settings))


async def test_history_survives_a_restart(database_settings):
    store = await open_memory(database_settings)
    await store.add_message("c1", "user", "first")
    await store.add_message("c1", "assistant", "second")
    await store.remember("c1", ["User likes tea"])
    await store.close()

    reopened = await open_memory(database_settings)
    history = await reopened.history("c1")
    assert [(m.role, m.content) for m in history] == [("user", "first"), ("assistant", "second")]
    assert await reopened.facts("c1") == ["User likes tea"]
    await reopened.close()


async def test_sqlite_is_in_the_data_directory_in_wal_mode(tmp_path):
    store = await open_memory(Settings(data_dir=tmp_path / "nested"))
    assert await fetch_one(store.database, "PRAGMA journal_mode") == ("wal",)
    await store.close()
    assert await aiofiles.os.path.isfile(tmp_path / "nested" / "memory.sqlite3")


async def test_facts_are_deduplicated_ignoring_case_and_punctuation(database_settings):
    store = await open_memory(database_settings)
    assert await store.remember("c1", ["User's name is Sam.", "User lives in Lyon"]) == 2
    assert await store.remember("c1", ["user's name is sam", "User lives in Lyon!"]) == 0
    assert await store.remember("c2", ["User's name is Sam"]) == 1  # per conversation
    assert await store.facts("c1") == ["User's name is Sam.", "User lives in Lyon"]
    await store.close()


async def test_facts_are_retrieved_by_relevance(database_settings):
    store = await open_memory(database_settings)
    await store.remember(
        "c1",
        [
            "User works as a nurse at the city hospital",
            "User likes hiking in the mountains",
            "User's favourite food is ramen",
            "User has a dog called Pixel",
        ],
    )
    await store.remember("other", ["User likes hiking in the desert"])
    assert await store.relevant_facts("c1", "Any hiking plans this weekend?") == [
        "User likes hiking in the mountains"
    ]
    best = await store.relevant_facts("c1", "Do you remember my dog? I want to walk the dog")
    assert best[0] == "User has a dog called Pixel"
    ranked = await store.relevant_facts("c1", "mountains hiking or hospital", limit=2)
    assert ranked == [
        "User likes hiking in the mountains",
        "User works as a nurse at the city hospital",
    ]
    assert await store.relevant_facts("c1", "quantum chromodynamics") == []
    await store.close()


async def test_concurrent_writers_keep_conversations_apart(database_settings):
    store = await open_memory(database_settings)

    async def chat(conversation: str) -> None:
        for i in range(5):
            await store.add_message(conversation, "user", f"{conversation} says {i}")

    await asyncio.gather(*(chat(f"c{n}") for n in range(10)))
    for n in range(10):
        history = await store.history(f"c{n}")
        assert [m.content for m in history] == [f"c{n} says {i}" for i in range(5)]
    await store.close()


async def test_summary_hides_the_messages_it_covers(database_settings):
    store = await open_memory(database_settings)
    ids = [await store.add_message("c1", "user", f"m{i}") for i in range(4)]
    await store.save_summary("c1", "m0 and m1 happened", ids[1])
    assert [m.content for m in await store.history("c1")] == ["m2", "m3"]
    assert await store.summary("c1") == "m0 and m1 happened"
    await store.close()
