"""Handlers of the notes service."""

import asyncio
import subprocess
import time

from .storage import archive, load_note, save_note


class CircuitBreaker:
    """Counts failures; refuses calls while open."""

    def __init__(self):
        self.failures = 0

    def call(self, fn, *args):
        try:
            return fn(*args)
        except Exception:
            self.failures += 1
            raise

    async def call_async(self, fn, *args):
        try:
            return await fn(*args)
        except Exception:
            self.failures += 1
            raise


class NotesService:
    def __init__(self, directory):
        self.directory = directory
        self.breaker = CircuitBreaker()

    async def create(self, name, text, attempts=3):
        for attempt in range(attempts):
            try:
                await save_note(self.directory, name, {"text": text})
                return name
            except OSError:
                time.sleep(0.05 * 2**attempt)
        raise RuntimeError("could not save")

    async def read(self, name):
        return await load_note(self.directory, name)

    async def retire(self, name):
        archive(self.directory, name)

    async def version(self):
        return self.breaker.call(subprocess.check_output, ["python3", "--version"])


async def main(directory):
    service = NotesService(directory)
    await service.create("hello.json", "Hello from deblock")
    note = await service.read("hello.json")
    await service.retire("hello.json")
    version = await service.version()
    print(note["text"], "-", version.decode().strip())


if __name__ == "__main__":
    asyncio.run(main("notes-data"))
