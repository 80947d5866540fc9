"""Turning a file's bytes into source text the way Python itself would.

Honours PEP 263 coding cookies and a UTF-8 BOM, normalises CRLF and CR line endings,
and rejects binary data and undecodable bytes with a clear reason.
"""

from __future__ import annotations

import codecs
import io
import tokenize


class SourceError(ValueError):
    """Bytes that are not Python source text; ``line`` is 1-based when known."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line


def decode_source(data: bytes) -> str:
    """The text of a module's bytes, with ``\\n`` line endings and no BOM."""
    if b"\0" in data:
        raise SourceError("binary file (contains NUL bytes); not analysed")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise SourceError(f"invalid encoding declaration: {exc.msg}", exc.lineno) from None
    try:
        text = codecs.decode(data, encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start : exc.start + 1].hex()
        raise SourceError(
            f"cannot decode byte 0x{byte} as {encoding} (add a PEP 263 coding cookie "
            "or re-encode the file as UTF-8)",
            line,
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
