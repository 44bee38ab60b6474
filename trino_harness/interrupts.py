"""Signals for long-running commands: SIGTERM means Ctrl-C, and a cleanup is not cut short.

CI cancels a job with SIGTERM; every harness command treats it as Ctrl-C so the same cleanup
runs (stacks removed, children stopped). While that cleanup runs, a second signal is ignored.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def raise_interrupt(signum: int, frame: Any) -> None:
    """A signal handler that turns SIGTERM (CI cancelling) into Ctrl-C's KeyboardInterrupt."""
    raise KeyboardInterrupt(f"signal {signum}")


@contextmanager
def signals_held() -> Iterator[None]:
    """Let a cleanup finish even if Ctrl-C or SIGTERM arrives again meanwhile."""
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
