"""Bounded polls with a reason on timeout; never a bare sleep."""

from __future__ import annotations

from collections.abc import Callable

from trino_harness.polling import PollStopped, poll
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

    def asked() -> bool:
        try:
            return bool(ready())
        except Exception:  # not answering yet is what we wait out
            return False

    def exited() -> str | None:
        return None if container.is_running() else f"{container.role} exited while waiting for {what}"

    try:
        polled = poll(
            asked, timeout_s=timeout_s, interval_s=interval_s, max_interval_s=interval_s, stop=exited
        )
    except PollStopped as exc:
        raise NotReady(str(exc)) from None
    if not polled.held:
        raise NotReady(f"{container.role}: {what} not seen within {timeout_s:.0f}s")
    return polled.waited_s


def wait_for_log(container: SeededContainer, text: str, timeout_s: float) -> float:
    return wait_until(container, lambda: text in container.logs_text(), f"log line '{text}'", timeout_s)
