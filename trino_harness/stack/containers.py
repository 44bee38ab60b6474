"""Testcontainers containers that carry the harness labels and a seed archive.

Labels let any run find and remove what it (or a crashed earlier run) left behind; the seed
archive is copied in between create and start, so secrets never need a bind mount from the host.
"""

from __future__ import annotations

import os
import socket
from typing import Any

from testcontainers.core.container import DockerContainer
from testcontainers.core.network import Network

from trino_harness.paths import REPO

LABEL_RUN = "io.trino-harness.run"
LABEL_PID = "io.trino-harness.pid"
LABEL_HOST = "io.trino-harness.host"
LABEL_CHECKOUT = "io.trino-harness.checkout"
# The checkout a run came from, so tests in one checkout ignore runs of another on the same engine.
CHECKOUT = str(REPO)
_SEED_MARKER = "__trino_harness_seed__"


def run_labels(run_id: str) -> dict[str, str]:
    return {
        LABEL_RUN: run_id,
        LABEL_PID: str(os.getpid()),
        LABEL_HOST: socket.gethostname(),
        LABEL_CHECKOUT: CHECKOUT,
    }


class HarnessNetwork(Network):
    """A per-run bridge network named and labelled for the run."""

    def __init__(self, run_id: str) -> None:
        super().__init__(docker_network_kw={"labels": run_labels(run_id)})
        self.name = f"trino-harness-{run_id}"


class SeededContainer(DockerContainer):
    """A labelled container whose seed archive is put in place before it starts."""

    def __init__(self, image: str, run_id: str, role: str, **kwargs: Any) -> None:
        super().__init__(image, labels=run_labels(run_id), name=f"trino-harness-{run_id}-{role}", **kwargs)
        self.role = role
        self._seeds: list[bytes] = []

    def with_seed(self, archive: bytes) -> SeededContainer:
        """Add a tar archive (absolute paths) to extract at ``/`` before the container starts."""
        self._seeds.append(archive)
        self.with_copy_into_container(b"", _SEED_MARKER)
        return self

    def publish_local(self, port: int) -> SeededContainer:
        """Publish ``port`` on 127.0.0.1 only, at a free host port."""
        self.ports[f"{port}/tcp"] = ("127.0.0.1", None)  # type: ignore[assignment]
        return self

    def _transfer_into_container(self, transferable: Any, destination_in_container: str, mode: int) -> None:
        if destination_in_container != _SEED_MARKER:
            super()._transfer_into_container(transferable, destination_in_container, mode)
            return
        archive = self._seeds.pop(0)
        wrapped = self.get_wrapped_container()
        if not wrapped.put_archive(path="/", data=archive):
            raise OSError(f"could not copy the seed into the {self.role} container")

    def host_port(self, port: int) -> int:
        wrapped = self.get_wrapped_container()
        wrapped.reload()
        bindings = wrapped.attrs["NetworkSettings"]["Ports"].get(f"{port}/tcp") or []
        for binding in bindings:
            if binding.get("HostIp") in ("127.0.0.1", ""):
                return int(binding["HostPort"])
        raise RuntimeError(f"{self.role}: port {port} is not published on 127.0.0.1")

    def is_running(self) -> bool:
        wrapped = self.get_wrapped_container()
        wrapped.reload()
        return wrapped.status == "running"

    def logs_text(self) -> str:
        out, err = self.get_logs()
        return (out + err).decode(errors="replace")
