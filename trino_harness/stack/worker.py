"""The reference stack's worker: rendered once, started beside the first coordinator, kept across
coordinator restarts (it re-announces itself to whichever coordinator answers at the alias).

Readiness is judged from the coordinator's side: the worker counts once ``system.runtime.nodes``
lists it ACTIVE, since that is what the scheduler uses.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import requests
from trino.exceptions import HttpError, TrinoConnectionError, TrinoQueryError

from trino_harness.cluster.nodes import cluster_nodes
from trino_harness.polling import PollStopped, poll
from trino_harness.render.files import FileSet
from trino_harness.render.trino_etc import HTTP_PORT, HTTPS_PORT
from trino_harness.render.worker_etc import WorkerNode, render_worker_etc
from trino_harness.scenario.model import Principal, Scenario
from trino_harness.stack.containers import SeededContainer
from trino_harness.stack.waiting import NotReady
from trino_harness.target import ClusterTarget, InternalEndpoint, RogueWorkerRecipe, Target

ROGUE_ALIAS = "rogue-worker"
NO_WORKER_ERRORS = ("NO_NODES_AVAILABLE", "GENERIC_INSUFFICIENT_RESOURCES")


def _worker_listed(target: Target, operator: Principal, node_id: str) -> bool | None:
    """True: ACTIVE; False: not (yet) listed ACTIVE; None: the operator cannot read the node list."""
    try:
        return any(n.node_id == node_id and n.state == "active" for n in cluster_nodes(target, operator))
    except TrinoQueryError as exc:
        # No worker yet: NO_NODES_AVAILABLE, or "Insufficient active worker nodes" once the
        # coordinator's query-manager.required-workers-max-wait has passed.
        return False if exc.error_name in NO_WORKER_ERRORS else None
    except HttpError:
        return None  # the operator cannot log in (a variant): nothing to observe with
    except TrinoConnectionError as exc:
        if isinstance(exc.__context__, requests.exceptions.SSLError):
            return None  # a deliberately broken server certificate: the TLS suite judges it
        return False


def wait_worker_active(
    containers: dict[str, SeededContainer],
    target: Target,
    operator: Principal,
    node_id: str,
    timeout_s: float,
) -> tuple[bool | None, float]:
    """(joined, seconds waited): True once ``node_id`` is ACTIVE, False if it was not within
    ``timeout_s``, None if the operator cannot read the node list (then the scan probe decides).

    Not joining is no error here: a variant that keeps the worker out (a different shared secret)
    must still reach the checks, which then say what is missing. A container that exits is one.
    """

    def exited() -> str | None:
        gone = [role for role in ("trino", "worker") if not containers[role].is_running()]
        return f"{gone[0]} exited while waiting for worker {node_id} to be ACTIVE" if gone else None

    try:  # the first ask is the coordinator's first query
        polled = poll(
            lambda: _worker_listed(target, operator, node_id),
            lambda listed: listed is not False,
            timeout_s=timeout_s,
            interval_s=0.5,
            max_interval_s=0.5,
            stop=exited,
        )
    except PollStopped as exc:
        raise NotReady(str(exc)) from None
    return polled.value, polled.waited_s


def cluster_target(
    scenario: Scenario,
    containers: dict[str, SeededContainer],
    network: str,
    image: str,
    run_id: str,
    rogue_etc: Path,
) -> ClusterTarget:
    """What the cluster checks need to know about the reference stack's two nodes."""
    endpoints = tuple(
        InternalEndpoint(
            role=role,
            alias=alias,
            host="127.0.0.1",
            port=containers[key].host_port(HTTPS_PORT),
            plain_http_port=containers[key].host_port(HTTP_PORT),
        )
        for key, role, alias in (
            ("trino", "coordinator", scenario.trino.coordinator_alias),
            ("worker", "worker", scenario.cluster.worker_alias),
        )
    )
    rogue = RogueWorkerRecipe(
        run_id=run_id,
        network=network,
        image=image,
        etc_dir=str(rogue_etc),
        coordinator_container=containers["trino"].get_wrapped_container().name,
    )
    return ClusterTarget(workers=(scenario.cluster.worker_alias,), endpoints=endpoints, rogue=rogue)


def render_worker_dirs(
    scenario: Scenario,
    coordinator_etc: FileSet,
    ca_pem: bytes,
    worker: WorkerNode,
    rogue: WorkerNode,
    root: Path,
) -> tuple[FileSet, Path]:
    """The worker's etc/ (returned) and a rogue worker's etc/ written under ``root`` for the checks.

    The rogue is a real worker in every way but its secret, which its starter passes in the
    environment; it has no PostgreSQL catalog, so no real secret is written for it.
    """
    etc = render_worker_etc(scenario, coordinator_etc, worker, ca_pem)
    rogue_etc = render_worker_etc(scenario, coordinator_etc, rogue, ca_pem)
    rogue_etc.files = {k: v for k, v in rogue_etc.files.items() if not k.startswith("catalog/postgresql")}
    for name, files in (("worker", etc), (ROGUE_ALIAS, rogue_etc)):
        shutil.rmtree(root / name, ignore_errors=True)
        files.write_to(root / name)
    return etc, root / ROGUE_ALIAS
