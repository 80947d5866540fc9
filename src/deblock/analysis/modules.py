"""Dotted module names for files, following the packages (``__init__.py``) around them."""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import PurePath

_EXTERNAL_ROOTS = frozenset(sys.stdlib_module_names) | {"builtins"}


def maybe_project(qualname: str) -> bool:
    """Whether a qualified name could be the project's own code (not stdlib, not builtins)."""
    return qualname.partition(".")[0] not in _EXTERNAL_ROOTS


@lru_cache(maxsize=4096)
def is_package_dir(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "__init__.py"))


def module_name(path: str) -> tuple[str, bool]:
    """The module's dotted name and whether it is a package's ``__init__``.

    The name starts at the outermost directory that is still a package, so
    ``src/app/utils/io.py`` is ``app.utils.io`` when ``app`` and ``utils`` hold an
    ``__init__.py``. Paths that do not exist (stdin) use their stem. Found once a path
    (several passes of a run ask) and working directory (a relative path's name depends
    on it).
    """
    return _module_name(path, os.getcwd())


@lru_cache(maxsize=16384)
def _module_name(path: str, cwd: str) -> tuple[str, bool]:
    pure = PurePath(path)
    is_package = pure.stem == "__init__"
    parts = [] if is_package else [pure.stem]
    directory = os.path.abspath(str(pure.parent))
    while is_package_dir(directory):
        parts.append(os.path.basename(directory))
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return ".".join(reversed(parts)) or pure.stem, is_package
