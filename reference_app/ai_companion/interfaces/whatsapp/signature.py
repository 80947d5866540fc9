"""Meta's ``X-Hub-Signature-256``: HMAC-SHA256 of the raw request body with the app secret."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="


def sign(body: bytes, secret: str) -> str:
    """The header value Meta sends with ``body``."""
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def is_valid(header: str | None, body: bytes, secret: str) -> bool:
    """True when ``header`` signs exactly ``body`` with ``secret`` (constant-time compare)."""
    if not secret or not header or not header.startswith(PREFIX):
        return False
    return hmac.compare_digest(header.encode(), sign(body, secret).encode())
