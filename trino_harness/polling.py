"""The one bounded poll: ask until an answer holds or the bound runs out; never a bare sleep.

Every wait in the harness is one of these: a real signal (a log line, a stored event, a page, a
node list) asked again at a growing interval, ended by the signal or by ``timeout_s``, with a
``stop`` check for waits that cannot succeed any more (a container that exited).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Polled(Generic[T]):
    """The last answer, whether it held, and the seconds waited."""

    value: T
    held: bool
    waited_s: float


def poll(
    ask: Callable[[], T],
    holds: Callable[[T], bool] = bool,
    *,
    timeout_s: float,
    interval_s: float = 0.05,
    max_interval_s: float = 0.5,
    stop: Callable[[], str | None] = lambda: None,
) -> Polled[T]:
    """Call ``ask`` until ``holds(answer)`` or ``timeout_s`` has passed (the last answer is kept
    either way, as evidence). ``stop`` returning a reason raises :class:`PollStopped` at once."""
    started = time.monotonic()
    interval = interval_s
    while True:
        value = ask()
        waited = time.monotonic() - started
        if holds(value):
            return Polled(value, True, waited)
        if waited > timeout_s:
            return Polled(value, False, waited)
        reason = stop()
        if reason:
            raise PollStopped(reason)
        time.sleep(interval)
        interval = min(interval * 2, max_interval_s)


def wait_past(instant: float, *, timeout_s: float) -> bool:
    """Wait (bounded) until the wall clock is past ``instant`` (epoch seconds), for what expires on
    the clock: a token, a ticket. False if the bound ran out first."""
    return poll(time.time, lambda now: now >= instant, timeout_s=timeout_s, interval_s=0.25).held


class PollStopped(RuntimeError):
    """The wait cannot succeed any more (e.g. the container it waited on has exited)."""
