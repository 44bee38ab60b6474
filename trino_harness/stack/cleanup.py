"""Remove harness containers and networks by label: this run's, or those of runs that died."""

from __future__ import annotations

import os
import socket

import docker
from docker.errors import APIError, NotFound
from docker.models.networks import Network

from trino_harness.polling import poll
from trino_harness.stack.containers import CHECKOUT, LABEL_CHECKOUT, LABEL_HOST, LABEL_PID, LABEL_RUN


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_run(client: docker.DockerClient, run_id: str | None = None) -> int:
    """Remove the containers and networks of ``run_id`` (all harness runs when None); return the count."""
    selector = f"{LABEL_RUN}={run_id}" if run_id else LABEL_RUN
    removed = 0
    for container in client.containers.list(all=True, filters={"label": selector}):
        try:
            container.remove(force=True, v=True)
            removed += 1
        except NotFound:
            pass
    for network in client.networks.list(filters={"label": selector}):
        if _remove_network(network):
            removed += 1
    return removed


def _remove_network(network: Network, timeout_s: float = 15.0) -> bool:
    """Remove ``network``; Docker may still hold an endpoint of a container it has just removed
    ("has active endpoints"), so ask again, bounded, instead of leaving the network behind."""

    def gone() -> bool:
        try:
            network.remove()
        except NotFound:
            return True
        except APIError:
            return False
        return True

    return poll(gone, timeout_s=timeout_s, interval_s=0.2, max_interval_s=1.0).held


def reap_orphans(client: docker.DockerClient) -> list[str]:
    """Remove leftovers of runs on this host whose owning process is gone (e.g. killed with -9)."""
    host = socket.gethostname()
    orphan_runs: set[str] = set()
    for container in client.containers.list(all=True, filters={"label": LABEL_RUN}):
        labels = container.labels
        if labels.get(LABEL_HOST) == host and not _alive(int(labels.get(LABEL_PID, "0") or 0)):
            orphan_runs.add(labels[LABEL_RUN])
    for network in client.networks.list(filters={"label": LABEL_RUN}):
        labels = network.attrs.get("Labels") or {}
        if labels.get(LABEL_HOST) == host and not _alive(int(labels.get(LABEL_PID, "0") or 0)):
            orphan_runs.add(labels[LABEL_RUN])
    for run_id in orphan_runs:
        remove_run(client, run_id)
    return sorted(orphan_runs)


def remove_checkout(client: docker.DockerClient, checkout: str = CHECKOUT) -> int:
    """Remove every harness container and network started from ``checkout`` (default: this one)."""
    selector = f"{LABEL_CHECKOUT}={checkout}"
    runs = {c.labels.get(LABEL_RUN) for c in client.containers.list(all=True, filters={"label": selector})}
    runs |= {
        (n.attrs.get("Labels") or {}).get(LABEL_RUN)
        for n in client.networks.list(filters={"label": selector})
    }
    return sum(remove_run(client, run_id) for run_id in runs if run_id)
