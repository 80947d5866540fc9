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

    The name is the one Python imports the module by: it starts at the outermost
    directory that is still a package, so ``src/app/utils/io.py`` is ``app.utils.io``
    when ``app`` and ``utils`` hold an ``__init__.py``, and it takes in the directories
    without one that a package holds (namespace portions, PEP 420: ``app/jobs/io.py`` is
    ``app.jobs.io`` too, not ``io``). Paths that do not exist (stdin) use their stem. Found
    once a path (several passes of a run ask) and working directory (a relative path's
    name depends on it).
    """
    return _module_name(path, os.getcwd())


@lru_cache(maxsize=16384)
def _module_name(path: str, cwd: str) -> tuple[str, bool]:
    pure = PurePath(path)
    is_package = pure.stem == "__init__"
    parts = [] if is_package else [pure.stem]
    portion: list[str] = []  # directories without ``__init__.py``, named if a package holds them
    directory = os.path.abspath(str(pure.parent))
    while True:
        name = os.path.basename(directory)
        if is_package_dir(directory):
            parts += [*portion, name]
            portion = []
        elif name.isidentifier():
            portion.append(name)
        else:
            break
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return ".".join(reversed(parts)) or pure.stem, is_package


def beside(path: str, name: str) -> str | None:
    """The dotted name of module ``name`` (a bare import's first part) when it lies beside
    the module at ``path`` in a namespace portion inside a package: run by pytest or as a
    script, that directory leads ``sys.path``, so ``from helpers import x`` in
    ``app/tests/test_io.py`` imports ``app.tests.helpers``. None elsewhere: in a package
    a bare import names a top-level module, and a top-level module's siblings are named
    by their stem already."""
    directory = os.path.dirname(os.path.abspath(path))
    own = module_name(path)[0]
    if is_package_dir(directory) or "." not in own:
        return None
    sibling = os.path.join(directory, name)
    if os.path.isfile(sibling + ".py") or is_package_dir(sibling):
        return f"{own.rpartition('.')[0]}.{name}"
    return None
