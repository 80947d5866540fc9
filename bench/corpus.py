"""The pinned benchmark corpus: real async projects as PyPI source distributions.

    python bench/corpus.py                 # download (once), extract, count
    python bench/corpus.py --json
    python bench/corpus.py --corpus-dir D  # use D's subdirectories instead (no network)

Sdists are fetched with pip (`pip download --no-deps --no-binary NAME`) into
bench/.corpus/sdists and extracted into bench/.corpus/src/NAME-VERSION; both
steps are skipped when already done.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from common import DEFAULT_CORPUS_DIR, dump_json, table

# Exact versions, all published on PyPI as sdists.
PINS: dict[str, str] = {
    "aiohttp": "3.14.5",
    "starlette": "1.10.0",
    "httpx": "0.28.1",
    "uvicorn": "0.54.0",
    "sanic": "25.12.1",
    "discord.py": "2.7.1",
    "aiogram": "3.31.0",
    "redis": "8.1.0",
    "motor": "3.7.1",
    "channels": "4.3.2",
    "fastapi": "0.165.0",
    "anyio": "4.16.0",
    "trio": "0.35.0",
    "textual": "8.2.8",
    "websockets": "17.4",
}
PY_SUFFIXES = (".py", ".pyi")
DONE_MARKER = ".deblock-bench-complete"


@dataclass
class Project:
    name: str
    version: str
    path: Path
    files: list[Path]
    lines: int

    @property
    def label(self) -> str:
        return f"{self.name}-{self.version}" if self.version else self.name

    def row(self) -> list[object]:
        return [self.name, self.version or "-", len(self.files), self.lines]


def python_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in PY_SUFFIXES and p.is_file())


def count_lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(1 for _ in fh)


def scan(name: str, version: str, path: Path) -> Project:
    files = python_files(path)
    return Project(name, version, path, files, sum(count_lines(f) for f in files))


def download(name: str, version: str, sdist_dir: Path) -> Path:
    """The sdist archive of name==version, fetched by pip unless already here."""
    target = sdist_dir / f"{name}-{version}"
    archives = sorted(target.glob("*.tar.gz")) + sorted(target.glob("*.zip"))
    if archives:
        return archives[0]
    target.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        "--no-binary",  # its sdist; the tools that build its metadata may come as wheels
        name,
        f"{name}=={version}",
        "-d",
        str(target),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    archives = sorted(target.glob("*.tar.gz")) + sorted(target.glob("*.zip"))
    if proc.returncode != 0 or not archives:
        raise RuntimeError(f"pip download {name}=={version} failed:\n{proc.stderr[-2000:]}")
    return archives[0]


def extract(archive: Path, dest: Path) -> Path:
    """Unpack archive into dest (atomically, once); return its top-level folder."""
    if not (dest / DONE_MARKER).exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".extract-", dir=dest.parent))
        if archive.suffix == ".zip":
            with zipfile.ZipFile(archive) as zf:
                zf.extractall(tmp)
        else:
            with tarfile.open(archive) as tf:
                safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
                tf.extractall(tmp, **safe)
        (tmp / DONE_MARKER).touch()
        if dest.exists():
            shutil.rmtree(dest)
        tmp.rename(dest)
    children = [p for p in dest.iterdir() if p.is_dir()]
    return children[0] if len(children) == 1 else dest


def fetch(name: str, version: str, corpus_dir: Path) -> Project:
    archive = download(name, version, corpus_dir / "sdists")
    root = extract(archive, corpus_dir / "src" / f"{name}-{version}")
    return scan(name, version, root)


def pinned_corpus(
    corpus_dir: Path = DEFAULT_CORPUS_DIR, names: list[str] | None = None, jobs: int = 4
) -> list[Project]:
    """Download (once) and extract the pinned projects; names picks a subset."""
    wanted = names or list(PINS)
    unknown = [n for n in wanted if n not in PINS]
    if unknown:
        raise SystemExit(f"corpus: not pinned: {', '.join(unknown)} (known: {', '.join(PINS)})")
    with ThreadPoolExecutor(jobs) as pool:
        return list(pool.map(lambda n: fetch(n, PINS[n], corpus_dir), wanted))


def local_corpus(corpus_dir: Path, names: list[str] | None = None) -> list[Project]:
    """Every subdirectory of corpus_dir is a project (used by tests, no network)."""
    if not corpus_dir.is_dir():
        raise SystemExit(f"corpus: {corpus_dir} is not a directory")
    projects = [scan(p.name, "", p) for p in sorted(corpus_dir.iterdir()) if p.is_dir()]
    if names:
        projects = [p for p in projects if p.name in names or p.name.split("-")[0] in names]
    if not projects:
        raise SystemExit(f"corpus: no projects in {corpus_dir}")
    return projects


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus-dir",
        type=Path,
        help="use each subdirectory of this folder as a project "
        "instead of the pinned PyPI corpus (no download)",
    )
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="only these projects (default: all)"
    )


def load(args: argparse.Namespace, default: list[str] | None = None) -> list[Project]:
    names = args.only or default
    if args.corpus_dir:
        return local_corpus(args.corpus_dir, names)
    return pinned_corpus(DEFAULT_CORPUS_DIR, names)


def describe(projects: list[Project]) -> str:
    rows = [p.row() for p in projects]
    rows.append(["total", "", sum(len(p.files) for p in projects), sum(p.lines for p in projects)])
    return table(["project", "version", "files", "lines"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    projects = load(args)
    if args.json:
        dump_json(
            {
                "projects": [
                    {
                        "name": p.name,
                        "version": p.version,
                        "path": str(p.path),
                        "files": len(p.files),
                        "lines": p.lines,
                    }
                    for p in projects
                ]
            }
        )
    else:
        print(describe(projects))


if __name__ == "__main__":
    main()
