"""Headless Chromium for project tests: serve a directory on 127.0.0.1, load a page, read what it shows.

Chromium (Debian's ``chromium``) runs the page's scripts with a virtual-time budget and prints the
rendered DOM (``--dump-dom``): no driver, no browser download. Each load is bounded; a page whose
content has not appeared is loaded again with a larger budget until the deadline. A page is judged
only once every one of its rendered markers (the app's own elements, e.g. Allure's
``test-result__name``) is in the DOM; one that never shows them is :class:`NotSettled`, an ERROR
that says what was missing, never an assertion's FAIL.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(directory: Path) -> Iterator[str]:
    """``http://127.0.0.1:<port>`` serving ``directory`` for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise AssertionError("headless Chromium is missing: ./harness test installs Debian's chromium")
    return found


class NotSettled(RuntimeError):
    """The page never showed its rendered markers before the deadline: nothing on it can be judged."""


def rendered(url: str, *, shows: str | tuple[str, ...], timeout_s: float = 90) -> str:
    """The DOM of ``url`` once it contains every marker in ``shows`` (:class:`NotSettled` at the deadline)."""
    markers = (shows,) if isinstance(shows, str) else shows
    deadline = time.monotonic() + timeout_s
    budget_ms = 5000
    # A timed-out Chromium's helpers may still write into the profile as it is removed: not a verdict.
    with tempfile.TemporaryDirectory(prefix="chromium-", ignore_cleanup_errors=True) as profile:
        while True:
            command = [
                chromium(),
                "--headless",
                "--disable-gpu",
                "--no-first-run",
                f"--user-data-dir={profile}",
                f"--virtual-time-budget={budget_ms}",
                "--dump-dom",
                url,
            ]
            if os.geteuid() == 0:
                command.insert(1, "--no-sandbox")  # Chromium refuses root otherwise
            left = max(deadline - time.monotonic(), 1)
            try:
                done = subprocess.run(command, capture_output=True, text=True, timeout=left, check=False)
                dom, problem = done.stdout, done.stderr.strip()[-500:]
            except subprocess.TimeoutExpired:
                dom, problem = "", "Chromium did not finish loading"
            missing = [m for m in markers if m not in dom]
            if not missing:
                return dom
            if time.monotonic() >= deadline:
                raise NotSettled(
                    f"cannot judge {url}: not settled within {timeout_s:.0f}s (virtual-time budget up to "
                    f"{budget_ms} ms): missing {missing} (last DOM {len(dom)} characters; "
                    f"{problem or 'no error'})"
                )
            budget_ms = min(budget_ms * 2, 40000)
