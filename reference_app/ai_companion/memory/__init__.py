"""Conversation history and long-term facts in the companion's database."""

from ai_companion.memory.store import MemoryStore, StoredMessage

__all__ = ["MemoryStore", "StoredMessage"]
