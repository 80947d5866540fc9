"""A package fix that its project's tests do not run, run here: concurrent calls of the fixed
coroutine, original and fixed, on a busy default thread pool; the outcomes compared.

    python bench/fixed_functions.py saq ORIGINAL FIXED --python PY [--trials N]
    python bench/fixed_functions.py aiogram-dialog ORIGINAL/src FIXED/src --python PY
    python bench/fixed_functions.py piccolo-api ORIGINAL FIXED --python PY
    python bench/fixed_functions.py sphinx-autobuild ORIGINAL FIXED --python PY

ORIGINAL and FIXED are the project's import roots: the sdist's and the copy
``project_tests.py`` fixed (bench/.work/tests-saq, its venv tests-saq-venv, with starlette
and httpx added), or, for piccolo-api (its sdist does not build), its wheel unpacked and a
copy of it `deblock fix` rewrote, PY a venv with the wheel installed (piccolo with it).
Each side runs in its own interpreter, with its root first on the path, ``--trials`` times:
the outcomes of each trial (what the calls returned or raised, the files left) must be ones
the original allows (here: ones it had; each side's trials came out alike).

- saq: its dashboard's static files (``GZStaticFiles``, the fix's `os.path.exists`), 24
  concurrent GETs through the ASGI app, gzip accepted or not, of files with and without a
  ``.gz`` beside them; each response's status, encoding and body must match the original's.
- aiogram-dialog: the web preview's ``Controller.transitions`` (the fix's ``f.read()``), 8
  concurrent calls, each with its own temporary PNG, written in a child process by a stub
  renderer that puts the file's name in it: each call must return a file of its own (8
  distinct names), removed since.
- piccolo-api: ``LocalMediaStorage``'s ``bulk_delete_files`` and ``get_file_keys`` (each
  fix a locked section), 8 bulk deletes of disjoint groups of 5 files, one of 3 names whose
  second is missing (it deletes the first and raises `FileNotFoundError`), 9 listings, all
  at once: each listing must see whole calls' deletions (the original runs each call in one
  step, with no await), and the same files must be left.
- sphinx-autobuild: ``RebuildServer.watch`` (the fix's ``Path.resolve`` of each changed
  path), 4 servers watching at once, each handed 5 batches of changes (a file, a symlink to
  it, a relative path, a directory's ``..``) by a stand-in for ``watchfiles.awatch``: each
  server's rebuild callback (in its process pool) must get the same resolved paths, batch
  by batch, and its ``flag`` must be set.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

WORKERS = 4


async def busy(calls):
    """Run the coroutines ``calls`` at once while the default pool's workers are kept
    busy (each thread hop queues); what each returned, or the name of what it raised."""
    loop = asyncio.get_running_loop()
    loop.set_default_executor(ThreadPoolExecutor(WORKERS))
    done = threading.Event()

    async def occupy():
        while not done.is_set():
            await loop.run_in_executor(None, done.wait, 0.001)

    occupiers = [asyncio.ensure_future(occupy()) for _ in range(WORKERS - 1)]
    try:
        results = await asyncio.gather(*calls, return_exceptions=True)
    finally:
        done.set()
        await asyncio.gather(*occupiers)
    return [type(r).__name__ if isinstance(r, BaseException) else r for r in results]


async def saq_trial() -> list:
    import httpx
    from saq.web.common import STATIC_PATH
    from saq.web.starlette import GZStaticFiles
    from starlette.applications import Starlette
    from starlette.routing import Mount

    app = Starlette(routes=[Mount("/static", GZStaticFiles(directory=STATIC_PATH))])
    transport = httpx.ASGITransport(app=app)
    names = ("app.js", "snabbdom.js", "pico.min.css")  # no .gz; .gz only; .gz only
    async with httpx.AsyncClient(transport=transport, base_url="http://saq") as client:

        async def get(name: str, gzip: bool):
            headers = {"accept-encoding": "gzip" if gzip else "identity"}
            r = await client.get(f"/static/{name}", headers=headers)
            digest = hashlib.sha256(r.content).hexdigest()[:12]
            return [name, gzip, r.status_code, r.headers.get("content-encoding"), digest]

        calls = [get(n, g) for _ in range(4) for n in names for g in (True, False)]
        return await busy(calls)


def aiogram_dialog_trial() -> list:
    from aiogram_dialog.tools.web_preview import Controller

    controller = Controller("unused", "unused")
    controller.renderer = StubRenderer()

    async def call():
        response = await controller.transitions(None)
        return response.body.decode()

    async def main():
        return await busy([call() for _ in range(8)])

    bodies = asyncio.run(main())
    # each call read a file of its own, removed since
    names = [body.removeprefix("PNG of ") for body in bodies]
    checked = [
        [body.startswith("PNG of "), Path(name).exists()]
        for body, name in zip(bodies, names, strict=True)
    ]
    return [*checked, ["distinct files", len(set(names))]]


class StubRenderer:
    """Writes a PNG stand-in naming its file, in the executor's child process."""

    def load_transitions(self, path: str) -> None:
        Path(path).write_text(f"PNG of {path}")


def piccolo_api_trial() -> list:
    from piccolo.columns import Varchar
    from piccolo_api.media.local import LocalMediaStorage

    groups = [[f"g{g}-{i}.txt" for i in range(5)] for g in range(8)]
    failing = ["m-0.txt", "missing.txt", "m-1.txt"]  # deletes m-0.txt, then raises
    effects = [set(group) for group in groups] + [{"m-0.txt"}]
    with tempfile.TemporaryDirectory() as media:
        for name in [n for group in groups for n in group] + ["m-0.txt", "m-1.txt"]:
            Path(media, name).write_text(name)
        storage = LocalMediaStorage(Varchar(), media_path=media)
        everything = set(os.listdir(media))

        async def main():
            calls = []
            for group in [*groups, failing]:
                calls.append(storage.bulk_delete_files(group))
                calls.append(storage.get_file_keys())
            return await busy(calls)

        results = asyncio.run(main())
        left = sorted(os.listdir(media))
    outcome = [["left", left]]
    for result in results:
        if isinstance(result, list):  # a listing: whole calls' effects gone, or a part
            gone = everything - set(result)
            whole = gone == set().union(*(e for e in effects if e <= gone))
            outcome.append(["listing", "whole calls" if whole else sorted(gone)])
        else:
            outcome.append(["delete", result])
    return outcome


def sphinx_autobuild_trial() -> list:
    import watchfiles
    from sphinx_autobuild import server
    from sphinx_autobuild.filter import IgnoreFilter

    with tempfile.TemporaryDirectory() as top:
        root = Path(top).resolve()
        (root / "docs" / "api").mkdir(parents=True)
        (root / "docs" / "index.rst").write_text("index")
        (root / "docs" / "link.rst").symlink_to(root / "docs" / "index.rst")
        os.chdir(root)  # a relative path resolves against it
        names = ("docs/index.rst", "docs/link.rst", "docs/api/../index.rst", "docs/api")
        changes = [
            {(watchfiles.Change.modified, str(root / n)) for n in names},
            *[
                {(watchfiles.Change.added, str(root / name)), (watchfiles.Change.deleted, name)}
                for name in names
            ],
        ]

        async def awatch(*paths, watch_filter):
            for batch in changes:
                yield {(c, p) for c, p in batch if watch_filter(c, p)}

        server.watchfiles.awatch = awatch
        servers = [
            server.RebuildServer(
                [root / "docs"],
                IgnoreFilter([], []),
                functools.partial(record_rebuild, root / f"rebuilds-{i}"),
            )
            for i in range(4)
        ]
        asyncio.run(busy([s.watch() for s in servers]))
        logs = [(root / f"rebuilds-{i}").read_text() for i in range(4)]
        rebuilds = [log.replace(str(root), "ROOT").splitlines() for log in logs]
        return [[s.flag.is_set(), r] for s, r in zip(servers, rebuilds, strict=True)]


def record_rebuild(log: Path, changed_paths) -> None:
    """A rebuild callback (run in the server's process pool): the paths it was handed."""
    with log.open("a") as f:
        f.write(json.dumps(sorted(map(str, changed_paths))) + "\n")


PACKAGES = {
    "saq": "saq",
    "aiogram-dialog": "aiogram_dialog",
    "piccolo-api": "piccolo_api",
    "sphinx-autobuild": "sphinx_autobuild",
}
TRIALS = {
    "saq": lambda: asyncio.run(saq_trial()),
    "aiogram-dialog": aiogram_dialog_trial,
    "piccolo-api": piccolo_api_trial,
    "sphinx-autobuild": sphinx_autobuild_trial,
}


def side(project: str, root: Path, python: str, trials: int) -> dict:
    """The outcomes of ``trials`` trials, run by ``python`` with ``root`` first on its path,
    and where the package was imported from."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    ran = subprocess.run(
        [python, __file__, project, str(root), "--trial", str(trials)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if ran.returncode != 0:
        raise RuntimeError(ran.stderr[-2000:])
    return json.loads(ran.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", choices=sorted(TRIALS))
    parser.add_argument("original", type=Path)
    parser.add_argument("fixed", type=Path, nargs="?")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--trial", type=int, help=argparse.SUPPRESS)  # one side, in-process
    args = parser.parse_args()
    if args.trial:
        trials = [TRIALS[args.project]() for _ in range(args.trial)]
        package = sys.modules[PACKAGES[args.project]].__file__
        json.dump({"from": package, "trials": trials}, sys.stdout)
        return
    if args.fixed is None:
        parser.error("FIXED is needed")
    roots = (args.original, args.fixed)
    ran = [side(args.project, root.resolve(), args.python, args.trials) for root in roots]
    for root, data in zip(roots, ran, strict=True):
        if not Path(data["from"]).resolve().is_relative_to(root.resolve()):
            sys.exit(f"{args.project}: imported from {data['from']}, not {root}")
    original, fixed = (data["trials"] for data in ran)
    seen = {json.dumps(sorted(map(json.dumps, t))) for t in original}
    outside = [t for t in fixed if json.dumps(sorted(map(json.dumps, t))) not in seen]
    print(f"{args.project}: {args.trials} trials each")
    print(f"  original outcomes: {len(seen)} distinct")
    print(f"  fixed outcomes: {len({json.dumps(sorted(map(json.dumps, t))) for t in fixed})}")
    print(f"  fixed trials with an outcome the original never had: {len(outside)}")
    for trial in outside[:3]:
        print(f"    {json.dumps(trial)[:400]}")
    sys.exit(1 if outside else 0)


if __name__ == "__main__":
    main()
