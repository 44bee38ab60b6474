"""Children are asked to stop (SIGTERM) before they are killed, and never waited on forever."""

import signal
import subprocess
import sys

from trino_harness.children import stop_gracefully


def test_child_that_honours_sigterm_stops_with_it():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    stop_gracefully(proc, grace_s=10)
    assert proc.returncode == -signal.SIGTERM


def test_child_that_ignores_sigterm_is_killed_after_the_grace_period():
    code = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('ready', flush=True); time.sleep(60)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    stop_gracefully(proc, grace_s=0.5)
    assert proc.returncode == -signal.SIGKILL
