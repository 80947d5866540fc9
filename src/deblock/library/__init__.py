"""Installed libraries read as source: their classes ' coroutine twins, async classes and bases."""
