"""This repository's fixture files and directories, copied into a test's temporary
directory to be checked or fixed there: run in place, a run over part of the repository's
project takes in the rest of it (``importers`` searches a file's whole project, wherever in
it the run starts), and a fix would change the repository."""

from __future__ import annotations

import shutil
from pathlib import Path


def copied(source: Path, into: Path) -> Path:
    """``into / source.name``: a copy of the fixture file or directory ``source``, made
    the first time a test asks for it."""
    target = into / source.name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)
    return target
