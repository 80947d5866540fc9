"""Where a runtime fixture's ``sys.stdout`` and ``sys.stderr`` go while the harness runs it
(files of ``root``), and what the calls wrote there: the JSON documents, one after another."""

import json
import os
import re
import sys

STREAMS = ("stdout", "stderr")
_SPACE = re.compile(r"\s*")


def redirect(root):
    for name in STREAMS:
        setattr(sys, name, open(os.path.join(root, name), "w"))


def restore(root):
    """Each stream's documents' ``n``, sorted, and whether the whole stream parsed (it does
    not when pieces of writes came between each other's). The files are removed: the order of
    the writes is no result."""
    written = {}
    for name in STREAMS:
        getattr(sys, name).close()
        setattr(sys, name, getattr(sys, f"__{name}__"))
        path = os.path.join(root, name)
        with open(path, errors="replace") as log:
            written[name] = _documents(log.read())
        os.remove(path)
    return written


def _documents(text):
    decoder = json.JSONDecoder()
    found = []
    at = _SPACE.match(text).end()
    while at < len(text):
        try:
            document, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError:
            return sorted(found), False
        found.append(document["n"])
        at = _SPACE.match(text, at).end()
    return sorted(found), True
