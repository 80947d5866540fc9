"""A pytest plugin for ``project_tests.py``: where the tests imported the package from.

At the end of the session it writes the file of ``$DEBLOCK_PACKAGE`` (the package the
fix rewrote, as imported by the tests) to ``$DEBLOCK_ORIGIN``: a run whose interpreter
imports an installed copy instead of the fixed one would test code no fix touched.
"""

import importlib
import os
import sys


def pytest_sessionfinish(session):
    name = os.environ["DEBLOCK_PACKAGE"]
    try:
        module = sys.modules.get(name) or importlib.import_module(name)
        origin = getattr(module, "__file__", None) or ""
    except ImportError:
        origin = ""
    with open(os.environ["DEBLOCK_ORIGIN"], "w", encoding="utf-8") as out:
        out.write(origin)
