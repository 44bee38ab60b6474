"""Reach a Docker engine, starting one where we may, and set what Testcontainers needs here.

Import this module before ``testcontainers``: Testcontainers reads its settings from the
environment when it is first imported.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import docker
from docker.errors import DockerException

from trino_harness.polling import poll
from trino_harness.progress import say

# The Ryuk reaper image cannot be pulled without a registry, and /.dockerenv makes
# Testcontainers guess it runs inside a container; the harness cleans up by label instead.
os.environ.setdefault("TESTCONTAINERS_RYUK_DISABLED", "true")
os.environ.setdefault("TESTCONTAINERS_CONNECTION_MODE", "docker_host")


class DockerUnavailable(RuntimeError):
    """No Docker engine could be reached or started."""


def _ping() -> bool:
    try:
        client = docker.from_env(timeout=10)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except DockerException:
        return False


def _can_start_engine() -> bool:
    return os.geteuid() == 0 and shutil.which("apt-get") is not None


def _start_dockerd(log_path: str = "/tmp/trino-harness-dockerd.log") -> None:
    if shutil.which("dockerd") is None:
        say("no dockerd found: installing docker.io from Debian (apt-get)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "docker.io"], check=True, env=env)
    say(f"starting dockerd (log: {log_path})")
    with open(log_path, "ab") as log:
        subprocess.Popen(["dockerd"], stdout=log, stderr=log, start_new_session=True)


def ensure_engine(timeout_s: float = 60.0) -> docker.DockerClient:
    """Return a client for a running engine; start ``dockerd`` when we are root on Debian."""
    if not _ping():
        if not _can_start_engine():
            raise DockerUnavailable(
                "No Docker engine answers at DOCKER_HOST or /var/run/docker.sock. Start one "
                "(e.g. `sudo systemctl start docker`) or run as root on Debian so the harness "
                "can install docker.io and start dockerd itself."
            )
        _start_dockerd()
        if not poll(_ping, timeout_s=timeout_s).held:
            raise DockerUnavailable(
                f"dockerd did not answer within {timeout_s:.0f}s; see /tmp/trino-harness-dockerd.log"
            )
    return docker.from_env(timeout=600)
