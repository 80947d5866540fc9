"""Installed packages: where their modules are, found by the probe without importing them."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import NamedTuple

from deblock.config import ConfigError

_PROBE_TIMEOUT = 60
_PACKAGE_DIRECTORIES = ("site-packages", "dist-packages")


class PythonError(ConfigError):
    """The interpreter named by ``--python`` / ``python`` could not be asked (exit code 2)."""


class Package(NamedTuple):
    """An installed top-level package (or module) and the distribution it came from
    (``dist`` and ``version`` are None when they were not asked for)."""

    root: str
    dist: str | None
    version: str | None
    paths: tuple[str, ...]

    def module_file(self, module: str) -> str | None:
        """The source file of ``module`` (``root.a.b``) in this package, if there is one."""
        parts = module.split(".")[1:]
        for base in self.paths:
            if os.path.isfile(base):
                if not parts and base.endswith(".py"):
                    return base
                continue
            stem = os.path.join(base, *parts)
            for candidate in (os.path.join(stem, "__init__.py"), stem + ".py"):
                if os.path.isfile(candidate):
                    return candidate
        return None

    def modules(self) -> list[str]:
        """The names of every module in this package, sorted."""
        found = []
        for base in self.paths:
            if os.path.isfile(base):
                found.append(self.root)
                continue
            for directory, subdirectories, files in os.walk(base):
                subdirectories[:] = sorted(d for d in subdirectories if d.isidentifier())
                relative = os.path.relpath(directory, base)
                parts = [self.root] + ([] if relative == "." else relative.split(os.sep))
                for name in sorted(files):
                    stem, ext = os.path.splitext(name)
                    if ext == ".py" and stem.isidentifier():
                        found.append(".".join(parts if stem == "__init__" else [*parts, stem]))
        return sorted(set(found))


def locate(roots: list[str], python: str | None, versions: bool = True) -> dict[str, Package]:
    """The installed packages among top-level module names ``roots``, in this interpreter's
    environment or (``python``) in that interpreter's, which runs the probe once; with
    their distributions' names and versions unless ``versions`` is false."""
    if not roots:
        return {}
    from deblock.library import probe  # importlib.metadata: only when a name is looked for

    if python is None:
        found = probe.locate(roots, versions)
    else:
        found = _ask(python, Path(probe.__file__).read_text(encoding="utf-8"), roots)
    return {
        root: Package(root, info["dist"], info["version"], tuple(info["paths"]))
        for root, info in found.items()
    }


def _ask(python: str, source: str, roots: list[str]) -> dict[str, dict]:
    """Run the probe's ``source`` with ``python``."""
    import subprocess

    try:
        done = subprocess.run(
            [python, "-c", source, *roots],
            capture_output=True,
            text=True,
            timeout=_PROBE_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PythonError(f"cannot run the interpreter {python}: {exc}") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise PythonError(f"the interpreter {python} failed to list its packages: {last}")
    try:
        return json.loads(done.stdout)
    except ValueError:
        raise PythonError(f"the interpreter {python} printed no package list") from None


def environment_stamp(python: str | None) -> str:
    """A string that changes when packages are installed into or removed from the
    environment (its site-packages directories' modification times)."""
    if python is None:  # where this interpreter, so the probe, finds packages (sysconfig's
        # purelib and platlib, which cost ~1.5 ms a run to ask, plus any a .pth file adds)
        directories = {p for p in sys.path if os.path.basename(p) in _PACKAGE_DIRECTORIES}
    else:  # a virtual environment's (or a system's) interpreter: <prefix>/bin/python
        import glob

        prefix = os.path.dirname(os.path.dirname(python))
        directories = {
            *glob.glob(os.path.join(prefix, "lib*", "python*", "*-packages")),
            os.path.join(prefix, "Lib", "site-packages"),
        }
    stamps = [python or ""]
    for directory in sorted(directories):
        try:
            stamps.append(f"{directory}:{os.stat(directory).st_mtime_ns}")
        except OSError:
            continue
    return "|".join(stamps)
