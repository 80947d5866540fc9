"""The entries of directories, listed once a run.

Discovery walks the run's directories; the module names then probe them for packages, and
the projects' own sources walk the packages and the directories that lead ``sys.path``,
most of them directories discovery listed (on the bench corpus, 713 listings of a cold
directory run were made again). Each reads the same listing: an ``os.DirEntry`` keeps the
kinds it read, as a second ``os.scandir`` at the same moment would give them. A run
forgets the listings at its start (``forget_listings``): the next lists the file system as
it is then.
"""

from __future__ import annotations

import os

# The listings made since ``forget_listings``, by absolute directory: its entries by name
# (in the order ``os.scandir`` gave them), or the error listing it raised.
_listed: dict[str, dict[str, os.DirEntry] | OSError] = {}


def forget_listings() -> None:
    """Forget every listing (a run lists the file system as it is when it starts)."""
    _listed.clear()


def entries(directory: str) -> dict[str, os.DirEntry]:
    """The entries of the absolute ``directory`` by name, listed once since
    ``forget_listings``; raises the ``OSError`` listing it raised."""
    listed = _listed.get(directory)
    if listed is None:
        try:
            with os.scandir(directory) as found:
                listed = {entry.name: entry for entry in found}
        except OSError as error:
            listed = error
        _listed[directory] = listed
    if isinstance(listed, OSError):
        raise listed
    return listed


def holds_file(directory: str, name: str) -> bool:
    """Whether the absolute ``directory`` holds a file ``name`` (or a link to one), as
    ``os.path.isfile`` tells: from the run's listing of it when there is one (a probe of
    one name costs less than a listing)."""
    known = _listed.get(directory)
    if known is None or isinstance(known, OSError):
        return os.path.isfile(os.path.join(directory, name))
    entry = known.get(name)
    try:
        return entry is not None and entry.is_file()
    except OSError:
        return False


def is_directory(entry: os.DirEntry) -> bool:
    """Whether ``entry`` is a directory, or a link to one (``os.walk``'s test: a link
    that loops or cannot be followed is none)."""
    try:
        return entry.is_dir()
    except OSError:
        return False
