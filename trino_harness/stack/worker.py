"""The reference stack's worker (a :class:`~trino_harness.stack.node.Node`): rendered from the
baseline's etc/, started beside the first coordinator, kept across coordinator restarts (it
re-announces itself to whichever coordinator answers at the alias) until its etc/ changes.

Readiness is judged from the coordinator's side: the worker counts once ``system.runtime.nodes``
lists it ACTIVE, since that is what the scheduler uses.
"""

from __future__ import annotations

from typing import Any

import requests
from trino.exceptions import HttpError, TrinoConnectionError, TrinoQueryError

from trino_harness.cluster.nodes import cluster_nodes
from trino_harness.polling import PollStopped, poll
from trino_harness.render.overlay import WORKER_OVERLAY
from trino_harness.render.trino_etc import HTTP_PORT, HTTPS_PORT
from trino_harness.render.worker_etc import render_worker_etc
from trino_harness.scenario.model import Principal
from trino_harness.stack.containers import SeededContainer
from trino_harness.stack.node import Node, NodeRun
from trino_harness.stack.waiting import NotReady
from trino_harness.target import InternalEndpoint, Target

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


def _target_part(run: NodeRun) -> dict[str, Any]:
    alias = run.scenario.cluster.worker_alias
    container = run.containers["worker"]
    endpoint = InternalEndpoint(
        role="worker",
        alias=alias,
        host="127.0.0.1",
        port=container.host_port(HTTPS_PORT),
        plain_http_port=container.host_port(HTTP_PORT),
    )
    return {"workers": (alias,), "endpoints": (endpoint,)}


WORKER = Node(
    role="worker",
    alias=lambda scenario: scenario.cluster.worker_alias,
    render=render_worker_etc,
    started_by="stack",
    target_part=_target_part,
    overlay_dir=WORKER_OVERLAY,
)
