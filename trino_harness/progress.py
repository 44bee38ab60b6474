"""Progress and timing lines for long steps.

Written to the real stderr so they show even while pytest captures output:
a cold build takes minutes and a silent terminal looks like a hang. An xdist worker's stderr
reaches no terminal, so a worker writes its lines to a file in the run directory instead
(:func:`mirror_to`), and the controller prints that file as it grows (:class:`ProgressTail`).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PREFIX = "[trino-harness] "
TAIL_INTERVAL_S = 0.5
_mirror: Path | None = None


def mirror_to(path: Path | None) -> None:
    """Send every later :func:`say` line to ``path`` (appended) instead of stderr; None: stderr again."""
    global _mirror
    _mirror = path


def say(message: str) -> None:
    """Print one progress line, bypassing pytest's capture."""
    line = f"{PREFIX}{message}\n"
    if _mirror is not None:
        with open(_mirror, "a") as fh:  # one write per line: whole lines for the tailing controller
            fh.write(line)
        return
    stream = sys.__stderr__ or sys.stderr
    stream.write(line)
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


class ProgressTail:
    """Print the complete lines appended to ``path`` on stderr, from a daemon thread, until stopped."""

    def __init__(self, path: Path, interval_s: float = TAIL_INTERVAL_S) -> None:
        self.path = path
        self.interval_s = interval_s
        self._offset = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="trino-harness-progress", daemon=True)

    def start(self) -> ProgressTail:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the thread and print whatever arrived since its last look."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self.drain()

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.drain()

    def drain(self) -> None:
        try:
            with open(self.path, "rb") as fh:
                fh.seek(self._offset)
                data = fh.read()
        except FileNotFoundError:
            return
        complete = data[: data.rfind(b"\n") + 1]
        if complete:
            self._offset += len(complete)
            stream = sys.__stderr__ or sys.stderr
            stream.write(complete.decode(errors="replace"))
            stream.flush()
