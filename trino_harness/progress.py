"""Progress and timing lines for long steps.

Written to the real stderr so they show even while pytest captures output:
a cold build takes minutes and a silent terminal looks like a hang.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


def say(message: str) -> None:
    """Print one progress line, bypassing pytest's capture."""
    stream = sys.__stderr__ or sys.stderr
    stream.write(f"[trino-harness] {message}\n")
    stream.flush()


@contextmanager
def step(title: str) -> Iterator[dict[str, float]]:
    """Announce a step, time it, and report its duration; yields a dict receiving ``seconds``."""
    say(f"{title} ...")
    started = time.monotonic()
    result: dict[str, float] = {}
    try:
        yield result
    finally:
        result["seconds"] = time.monotonic() - started
        say(f"{title}: {result['seconds']:.1f}s")
