"""`--format github`: workflow commands, escaped as GitHub's runner expects."""

from __future__ import annotations

from deblock.findings import FileError, Finding
from deblock.output import render
from deblock.runner import RunResult


def test_properties_and_messages_are_escaped():
    finding = Finding("a,b:c.py", 3, 5, 4, 2, "DBK790", "100% slow\nreally", "x.y")
    result = RunResult(files={"a,b:c.py": [finding]}, errors=[FileError("bad.py", "binary")])
    assert render(result, "github").splitlines() == [
        "::error file=a%2Cb%3Ac.py,line=3,col=5,endLine=4,endColumn=2,title=DBK790::"
        "100%25 slow%0Areally",
        "::error file=bad.py,title=deblock::binary",
    ]


def test_a_function_handed_by_reference_is_annotated_at_the_call_a_fix_runs(deblock, project):
    """The annotation spans the call a fix runs whole (code-point columns after non-ASCII
    text; several lines where the call is written so) and names what is handed to what."""
    root = project("handed_references.py")
    ran = deblock("check", "--no-cache", "--format", "github", "handed_references.py", cwd=root)
    assert ran.returncode == 1
    annotated = []
    for line in ran.stdout.splitlines():
        command, message = line.removeprefix("::error file=handed_references.py,").split("::")
        values = [value.partition("=")[2] for value in command.split(",")]
        annotated.append((*values, " ".join(message.split()[:4])))
    assert annotated == [
        ("10", "12", "10", "50", "DBK301", "`os.path.getmtime` handed to `sorted`"),
        ("14", "45", "14", "79", "DBK203", "`Path.read_text` handed to `map`"),
        ("18", "12", "20", "6", "DBK301", "`os.path.getsize` handed to `map`"),
        ("24", "18", "24", "46", "DBK203", "`Path.read_text` handed to `map`"),
        ("29", "12", "29", "34", "DBK201", "`open` handed to `map`"),
    ]
