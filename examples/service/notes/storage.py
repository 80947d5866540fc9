"""Storing notes on disk."""

import json
import os
import time


def _settle():
    time.sleep(0.01)


def archive(directory, name):
    """Move a note into the archive (a sync helper that blocks)."""
    _settle()
    os.makedirs(os.path.join(directory, "archive"), exist_ok=True)
    os.rename(os.path.join(directory, name), os.path.join(directory, "archive", name))


async def save_note(directory, name, note):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "w") as fh:
        json.dump(note, fh)


async def load_note(directory, name):
    with open(os.path.join(directory, name)) as fh:
        return json.loads(fh.read())
