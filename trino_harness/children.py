"""Stopping a harness child process the way that lets it clean up.

A child that runs the suites (or serves a stack) removes its containers on SIGTERM, as on
Ctrl-C; SIGKILL would leave them behind. So callers ask first and kill only a child that lingers.
"""

from __future__ import annotations

import signal
import subprocess

GRACE_S = 120.0


def stop_gracefully(proc: subprocess.Popen, grace_s: float = GRACE_S) -> None:
    """SIGTERM ``proc`` and wait up to ``grace_s`` (draining its pipes); SIGKILL it if still running."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.communicate(timeout=grace_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
