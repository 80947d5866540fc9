"""Parameters that only an annotation types as a stream (``out: IO[bytes]``): a call handing
them an in-memory buffer (``io.BytesIO``, ``io.StringIO``) or a standard stream
(``sys.stdout``), or leaving one to a default the helper rebinds to a standard stream, runs
no blocking call there, one handing a file or what nothing types does; cold and warm runs
alike."""

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from expectations import expected_findings
from fixture_copies import copied

HANDED_STREAMS = Path(__file__).parent / "fixtures" / "handed_streams"


@pytest.mark.parametrize("cached", [False, True])
def test_a_buffer_handed_to_an_annotated_stream_parameter_does_not_block(tmp_path, cached):
    (tmp_path / "empty.toml").touch()
    command = [sys.executable, "-m", "deblock", "check", "--format", "json"]
    command += ["--config", str(tmp_path / "empty.toml"), "."]
    command += ["--cache-dir", str(tmp_path / "cache")] if cached else ["--no-cache"]
    runs = 2 if cached else 1  # the second reads the summaries the first cached
    for _ in range(runs):
        run = subprocess.run(
            command,
            cwd=copied(HANDED_STREAMS, tmp_path),
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode in (0, 1), run.stderr
        found = Counter((f["path"], f["line"], f["code"]) for f in json.loads(run.stdout))
        expected = Counter()
        for module in sorted(HANDED_STREAMS.rglob("*.py")):
            path = str(module.relative_to(HANDED_STREAMS))
            expected += expected_findings(module.read_text(), path)
        assert found == expected


def test_a_default_helper_made_to_return_a_file_blocks_its_callers_on_a_warm_run(tmp_path):
    """Only ``terminal.py`` changes (``default_stdout`` returns a file): the cached run of the
    unchanged ``echoing.py`` reports ``echo``'s calls that leave the file to that default."""
    project = tmp_path / "project"
    shutil.copytree(HANDED_STREAMS, project)
    (tmp_path / "empty.toml").touch()
    command = [sys.executable, "-m", "deblock", "check", "--format", "json", "."]
    command += ["--config", str(tmp_path / "empty.toml"), "--cache-dir", str(tmp_path / "c")]

    def echoed() -> set[int]:
        run = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
        assert run.returncode in (0, 1), run.stderr
        found = json.loads(run.stdout)
        return {f["line"] for f in found if f["path"] == "codec/echoing.py"}

    source = (project / "codec" / "echoing.py").read_text().splitlines()
    defaulted = {"echo(message)", "echo(message, err=True)"}  # each reads default_stdout()
    leaving = {n for n, line in enumerate(source, 1) if line.strip() in defaulted}
    before = echoed()
    terminal = project / "codec" / "terminal.py"
    text = terminal.read_text()
    made = 'return open("out.txt", "a")  # noqa: SIM115'
    terminal.write_text(text.replace("return sys.stdout\n", f"{made}\n", 1))
    assert len(leaving) == 2
    assert echoed() - before == leaving
