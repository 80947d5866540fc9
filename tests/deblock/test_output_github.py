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
