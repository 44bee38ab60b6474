"""Bounded polls with a reason on timeout; never a bare sleep."""

from __future__ import annotations

import time
from collections.abc import Callable

from trino_harness.stack.containers import SeededContainer


class NotReady(RuntimeError):
    """A container did not become ready, or exited while we waited."""


def wait_until(
    container: SeededContainer,
    ready: Callable[[], bool],
    what: str,
    timeout_s: float,
    interval_s: float = 0.25,
) -> float:
    """Poll ``ready`` until true; fail early if the container stops. Returns seconds waited."""
    started = time.monotonic()
    while True:
        try:
            if ready():
                return time.monotonic() - started
        except Exception:
            pass
        if not container.is_running():
            raise NotReady(f"{container.role} exited while waiting for {what}")
        if time.monotonic() - started > timeout_s:
            raise NotReady(f"{container.role}: {what} not seen within {timeout_s:.0f}s")
        time.sleep(interval_s)


def wait_for_log(container: SeededContainer, text: str, timeout_s: float) -> float:
    return wait_until(container, lambda: text in container.logs_text(), f"log line '{text}'", timeout_s)
