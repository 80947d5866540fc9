"""A pytest plugin for ``project_tests.py``: where the tests imported the package from.

At the end of the session it writes the file of ``$DEBLOCK_PACKAGE`` (the package the
fix rewrote, as imported by the tests) to ``$DEBLOCK_ORIGIN``: a run whose interpreter
imports an installed copy instead of the fixed one would test code no fix touched. A
namespace package (langgraph's) has no file: its directory under the tests' working
directory (the copy the fix rewrote) stands for it, else its first.
"""

import importlib
import os
import sys
from pathlib import Path


def pytest_sessionfinish(session):
    name = os.environ["DEBLOCK_PACKAGE"]
    try:
        module = sys.modules.get(name) or importlib.import_module(name)
        origin = getattr(module, "__file__", None) or _portion(getattr(module, "__path__", []))
    except ImportError:
        origin = ""
    with open(os.environ["DEBLOCK_ORIGIN"], "w", encoding="utf-8") as out:
        out.write(origin)


def _portion(paths) -> str:
    """Of a namespace package's directories, the one under the working directory, if any."""
    here = Path.cwd().resolve()
    paths = list(paths)
    return next(
        (p for p in paths if Path(p).resolve().is_relative_to(here)), paths[0] if paths else ""
    )
