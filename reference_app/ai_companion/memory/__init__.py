"""Conversation history and long-term facts in SQLite, through ``aiosqlite``."""

from ai_companion.memory.store import MemoryStore, StoredMessage

__all__ = ["MemoryStore", "StoredMessage"]
