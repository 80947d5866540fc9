"""``[tool.deblock]`` configuration: finding it, validating it, and the ``Settings`` it yields.

The configuration is the first ``pyproject.toml`` with a ``[tool.deblock]`` table found
walking up from the first checked path (or the working directory), or the file given
with ``--config``. Its directory is the project root: relative patterns in ``exclude`` and
``per-file-ignores`` and the default cache directory are resolved against it.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cached_property
from pathlib import Path

from deblock import __version__
from deblock.analysis import AnalysisOptions
from deblock.cache import digest
from deblock.records import record
from deblock.rules import CONFIGURED_CODE
from deblock.rules.model import Blocking
from deblock.selection import PREFIX, Selector, unknown_codes

DEFAULT_EXCLUDE = (
    ".bzr", ".direnv", ".eggs", ".git", ".hg", ".mypy_cache", ".nox", ".pants.d",
    ".pytype", ".ruff_cache", ".deblock_cache", ".svn", ".tox", ".venv", "venv",
    "__pypackages__", "__pycache__", "_build", "buck-out", "build", "dist",
    "node_modules", "site-packages",
)  # fmt: skip
ASYNC_LIBRARIES = ("auto", "asyncio", "trio", "anyio")
CACHE_DIR_NAME = ".deblock_cache"
_QUALNAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*(\.\*)?")
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


class ConfigError(ValueError):
    """An unreadable configuration, an unknown key or a bad value (exit code 2)."""


@record(frozen=True)
class Settings:
    """Everything a run needs from the configuration and the command line."""

    root: Path
    config_file: Path | None = None
    select: tuple[str, ...] = (PREFIX,)
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    extend_blocking_calls: tuple[Blocking, ...] = ()
    async_twins: tuple[tuple[str, str], ...] = ()
    async_library: str = "auto"
    force_exclude: bool = False
    python: str | None = None
    thread_bridge: str | None = None

    def analysis_options(self) -> AnalysisOptions:
        """The options handed to the analyzer."""
        return AnalysisOptions(
            async_library=self.async_library,
            extend_blocking_calls=self.extend_blocking_calls,
            async_twins=self.async_twins,
            thread_bridge=self.thread_bridge,
        )

    def fingerprint(self) -> str:
        """Identifies everything that changes raw findings: deblock's version, its rules and
        catalogue (which change between releases while developing), and the options. The
        catalogue's ~530 records go in as plain tuples through ``marshal``'s version 2 (it
        writes no references, so equal records give equal bytes in any run): a quarter of
        the time their ``repr`` took, ~7M instructions of a run with a cache."""
        from deblock.rules import RULES, catalogue_with

        built_in = catalogue_with()
        groups = (RULES, built_in.entries, built_in.returns)
        records = [(type(record).__name__, *record) for group in groups for record in group]
        key = marshal.dumps((__version__, records, repr(self.analysis_options())), 2)
        return digest(key, size=12)

    @property
    def default_cache_dir(self) -> Path:
        """Where the cache lives unless ``--cache-dir`` says otherwise."""
        return self.root / CACHE_DIR_NAME

    @cached_property
    def selector(self) -> Selector:
        """Filters findings by ``select``, ``ignore`` and ``per-file-ignores``."""
        return Selector(self.select, self.ignore, self.per_file_ignores, str(self.root))

    def overridden(
        self,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] = (),
        force_exclude: bool = False,
        python: str | None = None,
    ) -> Settings:
        """These settings with ``--select`` (replacing), ``--ignore`` (adding),
        ``--force-exclude`` and ``--python`` applied."""
        changes: dict = {"force_exclude": True} if force_exclude else {}
        if python is not None:
            changes["python"] = interpreter(python, Path.cwd(), "--python")
        if select is not None:
            changes["select"] = _codes(list(select), "--select")
        if ignore:
            changes["ignore"] = (*self.ignore, *_codes(list(ignore), "--ignore"))
        return replace(self, **changes) if changes else self


def load_settings(paths: Sequence[str] = (), config_file: str | Path | None = None) -> Settings:
    """The settings for checking ``paths``: from ``config_file``, else the nearest
    ``pyproject.toml`` with ``[tool.deblock]``, else the defaults rooted at the cwd."""
    if config_file is not None:
        path = Path(config_file).absolute()
        data = _read_toml(path)
        table = _deblock_table(data) if "tool" in data else data  # a standalone deblock.toml
        return _settings_from(table or {}, path)
    start = Path(paths[0]).absolute() if paths else Path.cwd()
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file() and b"deblock" in _read_bytes(candidate):
            table = _deblock_table(_read_toml(candidate))
            if table is not None:
                return _settings_from(table, candidate)
    return Settings(root=Path.cwd())


def _deblock_table(data: dict) -> object | None:
    tool = data.get("tool")
    return tool.get("deblock") if isinstance(tool, dict) else None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None


def toml_parser():
    """The TOML parser (``tomllib``, ``tomli`` before Python 3.11), imported only when a
    file is read: ~11M instructions, which a one-file run in a project without a
    ``[tool.deblock]`` table spends on nothing else."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib


def _read_toml(path: Path) -> dict:
    data = _read_bytes(path)
    if not data.strip(b" \t\n"):  # an empty configuration (the bench's): no parser needed
        return {}
    toml = toml_parser()
    try:
        return toml.loads(data.decode("utf-8"))
    except (toml.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None


def _settings_from(table: dict, path: Path) -> Settings:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.deblock] must be a table")
    values: dict = {}
    for key, value in table.items():
        parse = _KEYS.get(key)
        if parse is None:
            import difflib  # only for this error

            close = difflib.get_close_matches(key, _KEYS, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            raise ConfigError(f"{path}: unknown key `{key}` in [tool.deblock]{hint}")
        try:
            values[key.replace("-", "_")] = parse(value, f"`{key}`")
        except ConfigError as exc:
            raise ConfigError(f"{path}: [tool.deblock] {exc}") from None
    if "python" in values:
        values["python"] = interpreter(values["python"], path.parent, f"{path}: `python`")
    return Settings(root=path.parent, config_file=path, **values)


def interpreter(value: str, base: Path, key: str) -> str:
    """The Python interpreter ``value`` names: a path (relative to ``base``) or a command
    on PATH; whose installed packages deblock reads."""
    import shutil  # only when an interpreter is named (it imports the compression modules)

    found = shutil.which(base / value if os.sep in value or "/" in value else value)
    if found is None:
        raise ConfigError(f"{key}: no Python interpreter at {value!r}")
    return os.path.abspath(found)


def _strings(value: object, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{key} must be a list of strings, not {value!r}")
    return tuple(value)


def _codes(value: object, key: str) -> tuple[str, ...]:
    codes = tuple(code.strip().upper() for code in _strings(value, key))
    codes = tuple(PREFIX if code == "ALL" else code for code in codes)
    bad = unknown_codes(codes)
    if bad:
        raise ConfigError(f"{key}: unknown rule code or prefix {', '.join(map(repr, bad))}")
    return codes


def _per_file_ignores(value: object, key: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{key} must be a table of glob = [codes], not {value!r}")
    return tuple((glob, _codes(codes, f"{key}.{glob!r}")) for glob, codes in value.items())


def _blocking_call(item: object, key: str) -> Blocking:
    if isinstance(item, str):
        item = {"name": item}
    if not isinstance(item, dict):
        raise ConfigError(f"{key} entries must be strings or {{name, message}} tables")
    unknown = set(item) - {"name", "message"}
    if unknown:
        raise ConfigError(f"{key}: unknown field(s) {', '.join(sorted(unknown))}")
    name, message = item.get("name"), item.get("message")
    if not isinstance(name, str) or not _QUALNAME.fullmatch(name):
        raise ConfigError(f"{key}: `name` must be a qualified name like pkg.mod.func")
    if message is not None and not isinstance(message, str):
        raise ConfigError(f"{key}: `message` of {name} must be a string")
    return Blocking(name, CONFIGURED_CODE, message=message)


def _blocking_calls(value: object, key: str) -> tuple[Blocking, ...]:
    if not isinstance(value, list):
        raise ConfigError(f"{key} must be a list, not {value!r}")
    return tuple(_blocking_call(item, key) for item in value)


def _async_twins(value: object, key: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict) or not all(
        isinstance(v, str) and _IDENTIFIER.fullmatch(v) and _IDENTIFIER.fullmatch(k)
        for k, v in value.items()
    ):
        raise ConfigError(f'{key} must be a table of sync_method = "async_method" names')
    return tuple(value.items())


def _string(value: object, key: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{key} must be a string, not {value!r}")
    return value


def _bridge(value: object, key: str) -> str:
    qualified = isinstance(value, str) and _QUALNAME.fullmatch(value) and "." in value
    if not qualified or value.endswith(".*"):
        raise ConfigError(f"{key} must be a qualified name like pkg.aio.run_sync, not {value!r}")
    return value


def _boolean(value: object, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{key} must be true or false, not {value!r}")
    return value


def _async_library(value: object, key: str) -> str:
    if value not in ASYNC_LIBRARIES:
        raise ConfigError(f"{key} must be one of {', '.join(ASYNC_LIBRARIES)}, not {value!r}")
    return value


_KEYS: dict[str, Callable[[object, str], object]] = {
    "select": _codes,
    "ignore": _codes,
    "exclude": _strings,
    "extend-exclude": _strings,
    "per-file-ignores": _per_file_ignores,
    "extend-blocking-calls": _blocking_calls,
    "async-twins": _async_twins,
    "async-library": _async_library,
    "force-exclude": _boolean,
    "python": _string,
    "thread-bridge": _bridge,
}
