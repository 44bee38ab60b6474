"""What the server answered during the current check, kept for comparing two runs.

A passing check says only that the answer was acceptable; an upgrade can still change it (a 401
becomes a 403, Trino rewords a denial). The clients record each answer here in a normalised
form (query ids, timestamps and durations masked, secrets redacted); the pytest plugin stores the
lines of each check as a JUnit property, and ``python -m trino_harness compare`` diffs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from trino_harness.redaction import redact

PROPERTY = "observed"
_VOLATILE = [
    (re.compile(r"\b\d{8}_\d{6}_\d{5}_\w{5}\b"), "<query-id>"),
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?"), "<time>"),
    (re.compile(r"\b\d+(\.\d+)? ?(ms|milliseconds|seconds|s)\b"), "<duration>"),
    (re.compile(r"\b(nextUri|infoUri|id)=\S+"), r"\1=<…>"),
    # OAuth2 challenges name per-request URLs (the coordinator's port, a one-time id) in every 401.
    (re.compile(r"\b(x_redirect_server|x_token_server)=\\?\"[^\"\\]*\\?\""), r"\1=<…>"),
    # Random markers the checks put in their SQL (barriers, running-query markers, run ids).
    (re.compile(r"\b[0-9a-f]{12,}\b"), "<token>"),
]
_lines: list[str] | None = None


def normalise(text: str) -> str:
    """``text`` without what differs between two identical runs, and without secrets."""
    text = redact(" ".join(text.split()))
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return text[:300]


def observe(answer: object) -> None:
    """Record one server answer for the running check (no-op outside a check)."""
    if _lines is not None:
        _lines.append(normalise(str(answer)))


@contextmanager
def collecting() -> Iterator[list[str]]:
    """Collect the answers observed while the block runs (one check)."""
    global _lines
    previous, _lines = _lines, []
    try:
        yield _lines
    finally:
        _lines = previous
