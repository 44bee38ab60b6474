"""Keep generated secrets out of every output: a process-wide registry and a scrubber."""

from __future__ import annotations

import re
import threading

_lock = threading.Lock()
_secrets: set[str] = set()
MASK = "***"
# Shapes that are secret whatever their value: PEM private keys and compact JWTs.
_PATTERNS = (
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S),
    re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*"),
)


def register_secret(value: str) -> str:
    """Remember ``value`` (and return it) so :func:`redact` masks it."""
    if value and len(value) >= 6:
        with _lock:
            _secrets.add(value)
    return value


def redact(text: str) -> str:
    """``text`` with every registered secret, private key and JWT replaced by ``***``."""
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    return text
