"""Run a load generator (Locust, or the raw reference client) as a bounded child process.

Children run in their own session so that Ctrl-C or SIGTERM reaching the runner stops them by
their process group, which is theirs alone; a hard timeout kills a child that overstays its
run time. The generator's own CPU use is the user+system time of the child and of every
process it reaped (Locust's ``--processes`` workers), read with ``getrusage``.
"""

from __future__ import annotations

import math
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from trino_harness.paths import LOCUSTFILE

GRACE_S = 15.0
# What Locust logs when a generator process passes 90% CPU (local runner, or a worker).
CPU_WARNINGS = ("CPU usage above", "exceeded cpu threshold", "CPU usage threshold was exceeded")


class GeneratorFailed(RuntimeError):
    """A load generator exited badly; the message names its log."""


@dataclass(frozen=True)
class LocustSettings:
    users: int
    spawn_rate: float
    run_time_s: float
    processes: int = 0  # 0: a single process; N: Locust's --processes N (master + N workers here)
    stop_timeout_s: int = 10
    master_port: int = 0  # only with processes; a free port on 127.0.0.1


@dataclass(frozen=True)
class ChildRun:
    returncode: int
    wall_s: float
    cpu_s: float
    cpu_warning: bool  # Locust reported a generator above 90% CPU

    @property
    def cpu_percent(self) -> float:
        """Average CPU use in percent of one core (over 100 means more than one core)."""
        return 100 * self.cpu_s / self.wall_s if self.wall_s else 0.0

    def as_dict(self) -> dict[str, object]:
        return asdict(self) | {"cpu_percent": self.cpu_percent}


def locust_command(
    classes: list[str], settings: LocustSettings, out_dir: Path, locustfile: Path = LOCUSTFILE
) -> list[str]:
    """Headless, bounded Locust writing CSV, HTML and JSON under ``out_dir``; stats reset at full load."""
    cmd = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(locustfile),
        "--headless",
        "--users",
        str(settings.users),
        "--spawn-rate",
        str(settings.spawn_rate),
        "--run-time",
        f"{math.ceil(settings.run_time_s)}s",
        "--stop-timeout",
        str(settings.stop_timeout_s),
        "--reset-stats",
        "--csv",
        str(out_dir / "locust"),
        "--html",
        str(out_dir / "locust.html"),
        "--json-file",
        str(out_dir / "locust"),  # Locust appends .json
        "--only-summary",
        "--exit-code-on-error",
        "0",  # failures are judged from the samples, not by Locust's exit code
    ]
    if settings.processes:
        port = str(settings.master_port)
        cmd += ["--processes", str(settings.processes), "--master-bind-host", "127.0.0.1"]
        cmd += ["--master-bind-port", port, "--master-port", port]
    return cmd + classes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _stop_group(proc: subprocess.Popen) -> None:
    """SIGTERM the child's own process group (Locust then writes its reports), SIGKILL if it lingers."""
    for sig, wait_s in ((signal.SIGTERM, GRACE_S), (signal.SIGKILL, 5.0)):
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            continue


def run_child(cmd: list[str], env: dict[str, str], log_path: Path, timeout_s: float) -> ChildRun:
    """Run ``cmd`` to completion (bounded by ``timeout_s``), output to ``log_path``."""
    cpu_before = _children_cpu()
    started = time.monotonic()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            _stop_group(proc)
            raise GeneratorFailed(
                f"{cmd[2]} overran its {timeout_s:.0f}s bound and was stopped; log: {log_path}"
            ) from None
        finally:
            _stop_group(proc)  # no-op when it already exited; stops it on Ctrl-C/SIGTERM of the runner
    wall = time.monotonic() - started
    text = log_path.read_text(errors="replace")
    warned = any(marker in text for marker in CPU_WARNINGS)
    return ChildRun(proc.returncode, wall, _children_cpu() - cpu_before, warned)
