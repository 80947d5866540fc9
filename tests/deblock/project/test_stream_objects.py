"""A section that writes a standard stream in a worker thread is declined when another
module writes that stream through click or rich, or logs a warning that
``logging.lastResort`` writes (``analysis.stream_objects``), each writer alone, a module with
no coroutine too; handed a file, they write no standard stream, nor records below
``WARNING`` or with a handler configured. ``runtime_declined/stream_objects`` runs such a
program."""

import pytest

from deblock.config import load_settings
from deblock.runner import analyze_paths

# Two sections, each writing a journal and dumping a report to one stream in its ``with``
# block (a section declined leaves its file writes on the loop, which declines the other too).
PROGRAM = """\
import json
import os
import sys


async def journal_out(root, n):
    with open(os.path.join(root, "out"), "a") as log:
        log.write(f"{n}\\n")
        json.dump({"n": n}, sys.stdout)


async def journal_err(root, n):
    with open(os.path.join(root, "err"), "a") as log:
        log.write(f"{n}\\n")
        json.dump({"n": n}, sys.stderr)
"""
WRITERS = {
    "click.echo": ("import click\n\n\nasync def chat(x):\n    click.echo(x)\n", "stdout"),
    "echo err=True": (
        "from click import echo\n\n\nasync def chat(x):\n    echo(x, err=True)\n",
        "stderr",
    ),
    "secho, no coroutine": ("import click\n\n\ndef chat(x):\n    click.secho(x)\n", "stdout"),
    "Console().print": (
        "from rich.console import Console\n\n\nasync def chat(x):\n    Console().print(x)\n",
        "stdout",
    ),
    "Console(stderr=True) bound": (
        "from rich.console import Console\n\nERRORS = Console(stderr=True)\n\n\n"
        "async def chat(x):\n    ERRORS.log(x)\n",
        "stderr",
    ),
    "self.console": (
        "import rich.console\n\n\nclass Chat:\n    def __init__(self):\n"
        "        self.console = rich.console.Console()\n\n"
        "    async def chat(self, x):\n        self.console.print(x)\n",
        "stdout",
    ),
    "rich.print": ("import rich\n\n\nasync def chat(x):\n    rich.print(x)\n", "stdout"),
    "logger.warning, no handler": (
        "import logging\n\nLOG = logging.getLogger(__name__)\n\n\n"
        "async def chat(x):\n    LOG.warning(x)\n",
        "stderr",
    ),
    "logging.error, no coroutine": (
        "import logging\n\n\ndef chat(x):\n    logging.error(x)\n",
        "stderr",
    ),
    "logger.info": (
        "import logging\n\nLOG = logging.getLogger(__name__)\n\n\n"
        "async def chat(x):\n    LOG.info(x)\n",
        None,
    ),
    "logger.warning, a file handler": (
        "import logging\n\nLOG = logging.getLogger(__name__)\n\n\ndef main():\n"
        "    logging.basicConfig(filename='log')\n\n\nasync def chat(x):\n"
        "    LOG.warning(x)\n",
        None,
    ),
    "echo to a file": (
        "import click\n\n\nasync def chat(fh, x):\n    click.echo(x, file=fh)\n",
        None,
    ),
    "Console(file=...)": (
        "import sys\nfrom rich.console import Console\n\nNOTES = Console(file=open('notes', 'w'))"
        "\n\n\nasync def chat(x):\n    NOTES.print(x)\n",
        None,
    ),
}


@pytest.mark.parametrize("writer", WRITERS)
def test_a_write_through_click_or_rich_declines_another_module_s_section_on_its_stream(
    tmp_path, writer
):
    text, stream = WRITERS[writer]
    (tmp_path / "program.py").write_text(PROGRAM)
    (tmp_path / "chatter.py").write_text(text)
    files = analyze_paths([str(tmp_path)], load_settings([str(tmp_path)]), jobs=1).files
    found = files[str(tmp_path / "program.py")]
    named = {f.declined.split("`")[1] for f in found if f.declined and "`chatter" in f.declined}
    assert named == ({f"sys.{stream}"} if stream else set())
    assert all(f.strategy for f in found) == (stream is None)


def test_a_writer_read_back_from_the_cache_without_its_writes_is_made_whole(tmp_path):
    """A module without findings leaves its stream writes unmade (``ModuleSummary.deferred``);
    read back from the cache once another module's section writes the stream, it is made
    whole, and the section is declined as on a cold run."""
    text, stream = WRITERS["logger.warning, no handler"]
    project = tmp_path / "project"
    project.mkdir()
    (project / "chatter.py").write_text(text)
    settings = load_settings([str(project)])
    cache = str(tmp_path / "cache")
    assert not analyze_paths([str(project)], settings, jobs=1, cache_dir=cache).files[
        str(project / "chatter.py")
    ]
    (project / "program.py").write_text(PROGRAM)
    files = analyze_paths([str(project)], settings, jobs=1, cache_dir=cache).files
    declined = [f.declined for f in files[str(project / "program.py")] if f.declined]
    assert any(f"`sys.{stream}`, which `chatter" in why for why in declined)
