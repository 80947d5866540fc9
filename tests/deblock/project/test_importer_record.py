"""A run over one file with a cache finds its importers as the first run did while none of
the project's other modules changed, reading none of their texts, and anew when one did."""

import os
import shutil
from pathlib import Path

from json_check import checked

FIXTURES = Path(__file__).parent / "fixtures" / "one_file_reach"


def _awaited(tmp_path: Path) -> Path:
    """A copy of the ``awaited`` project: ``app/main.py`` awaits ``app/counter.py``'s
    ``settle`` between a read and a write of shared state."""
    root = tmp_path / "awaited"
    shutil.copytree(FIXTURES / "awaited", root)
    return root


def test_a_second_cached_run_reads_no_other_module(tmp_path, monkeypatch):
    from deblock.config import load_settings
    from deblock.project import importers
    from deblock.runner import analyze_paths

    root = _awaited(tmp_path)
    monkeypatch.chdir(root)
    settings = load_settings(["."], root / "empty.toml")
    cache = tmp_path / "cache"
    first = analyze_paths(["app/counter.py"], settings, jobs=1, cache_dir=cache)

    def unread(path):
        raise AssertionError(f"read {path}")

    monkeypatch.setattr(importers, "_text", unread)
    again = analyze_paths(["app/counter.py"], settings, jobs=1, cache_dir=cache)
    assert again.findings == first.findings
    assert [f.unsafe_because and "record" in f.unsafe_because for f in again.findings] == [True]


def test_an_edit_of_another_module_makes_it_an_importer_again(tmp_path):
    """``main.py`` first names no ``counter`` (recorded with a time old enough to keep
    the record), then, edited back, awaits it: the cached run declines as the directory
    run does."""
    root = _awaited(tmp_path)
    main = root / "app" / "main.py"
    text = main.read_text()
    main.write_text("from app import store\n\n\nasync def record():\n    store.ITEMS.append(0)\n")
    os.utime(main, (1_000_000_000, 1_000_000_000))
    cache = tmp_path / "cache"
    alone = checked(root, "app/counter.py", cache=cache)
    assert [f["unsafe_because"] for f in alone] == [None]
    main.write_text(text)
    whole = [f for f in checked(root, ".") if f["path"] == "app/counter.py"]
    assert "record" in whole[0]["unsafe_because"]
    assert checked(root, "app/counter.py", cache=cache) == whole
