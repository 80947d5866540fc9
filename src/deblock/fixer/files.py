"""Reading a module for fixing and writing it back byte-faithfully and atomically.

The text is decoded as Python would (``deblock.source``); writing restores the
encoding, the BOM and the newline style, and keeps the file mode. A temporary file in
the same directory replaces the original in one ``os.replace``, with Ctrl-C held off
until it has (``uninterrupted``), so an interrupted run leaves each file entirely old or
entirely new, and no temporary.
"""

from __future__ import annotations

import io
import os
import stat
import tempfile
import tokenize

from deblock.records import record
from deblock.source import SourceError, decode_source
from deblock.uninterrupted import uninterrupted


@record(frozen=True)
class SourceFile:
    """A module's text (``\\n`` line endings, no BOM) and how to write it back."""

    path: str
    text: str
    encoding: str
    newline: str
    mode: int

    @classmethod
    def read(cls, path: str) -> SourceFile:
        """Read ``path``; raises ``OSError`` or ``SourceError`` when it cannot be fixed."""
        with open(path, "rb") as fh:
            data = fh.read()
        text = decode_source(data)
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        kinds = _newlines(data)
        if len(kinds) > 1:
            raise SourceError("mixed line endings; not fixed")
        source = cls(
            path,
            text,
            encoding,
            kinds.pop() if kinds else "\n",
            stat.S_IMODE(os.stat(path).st_mode),
        )
        if source.encode(text) != data:
            raise SourceError("its bytes do not round-trip through decoding; not fixed")
        return source

    def encode(self, text: str) -> bytes:
        """``text`` as this file's bytes: its newline style, encoding and BOM."""
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        return text.encode(self.encoding)

    def write(self, text: str) -> None:
        """Replace the file's content with ``text``, atomically, keeping its mode."""
        directory, name = os.path.split(os.path.abspath(self.path))
        with uninterrupted():
            fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".deblock", dir=directory)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(self.encode(text))
                    fh.flush()
                    os.fsync(fh.fileno())
                os.chmod(temp, self.mode)
                os.replace(temp, self.path)
            except BaseException:
                if os.path.exists(temp):
                    os.unlink(temp)
                raise


def _newlines(data: bytes) -> set[str]:
    """The line ending styles used in ``data``."""
    crlf = data.count(b"\r\n")
    counts = (("\r\n", crlf), ("\r", data.count(b"\r") - crlf), ("\n", data.count(b"\n") - crlf))
    return {style for style, count in counts if count}
