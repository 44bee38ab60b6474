"""The contract of the Trino nodes beside the coordinator, so the stack walks one list of them.

A node is a Trino server of the run's image on the run's network: the worker, the rogue worker
(a worker whose only fault is its shared secret) and the extra coordinator whose Web UI logs in
through OAuth2. Unlike a service (``stack/service.py``) a node has no seed of its own: its etc/
is rendered from the coordinator's, so the two cannot drift. Each says, as data and functions:

- whether this run has it (the Web UI coordinator only with an ``oidc:`` section);
- its role (its container's label, its folder under the run's etc/ and in a compose rendering)
  and its alias on the network (also its node id and the name its server certificate carries);
- its etc/, from the coordinator's etc/: the baseline's, rendered once (the workers: a variant
  overlay is the coordinator's), or each configuration's effective one (the Web UI coordinator,
  so a user's overlay is judged there too); then its own part of a variant overlay, if any;
- who starts it: the stack, beside the first coordinator (the worker, whose readiness is that
  the coordinator lists it ACTIVE), or its check, from a recipe in the Target;
- its part of the :class:`~trino_harness.target.Target`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from trino_harness.render.files import FileSet
from trino_harness.render.overlay import apply_overlay
from trino_harness.render.worker_etc import WorkerNode
from trino_harness.scenario.model import Scenario
from trino_harness.stack.containers import SeededContainer


@dataclass(frozen=True)
class NodeRun:
    """What a node's part of the Target reads of the running stack."""

    scenario: Scenario
    containers: dict[str, SeededContainer]  # by role: the coordinator's is "trino"
    network: str
    image: str
    run_id: str
    etc_dir: Path  # where the node's etc/ of the current configuration is written


def _always(scenario: Scenario) -> bool:
    return True


@dataclass(frozen=True)
class Node:
    role: str
    alias: Callable[[Scenario], str]
    render: Callable[[Scenario, FileSet, WorkerNode, bytes], FileSet]  # (scenario, coordinator etc/, id, CA)
    started_by: Literal["stack", "check"]
    target_part: Callable[[NodeRun], dict[str, Any]]
    follows_configuration: bool = False  # from each configuration's effective etc/, not the baseline's
    overlay_dir: str | None = None  # its subdirectory of a variant overlay, applied last
    enabled: Callable[[Scenario], bool] = _always

    def own_overlay(self, overlay: Path | None) -> Path | None:
        """Its part of ``overlay`` (a subdirectory of the same overlay form), if the overlay has one."""
        if overlay is None or self.overlay_dir is None or not (overlay / self.overlay_dir).is_dir():
            return None
        return overlay / self.overlay_dir

    def etc(
        self, scenario: Scenario, coordinator_etc: FileSet, identity: WorkerNode, ca_pem: bytes,
        overlay: Path | None,
    ) -> tuple[FileSet, list[str]]:  # fmt: skip
        """Its etc/ from ``coordinator_etc`` with its part of ``overlay``, and what that part changed."""
        etc = self.render(scenario, coordinator_etc, identity, ca_pem)
        own = self.own_overlay(overlay)
        return etc, (apply_overlay(etc, own) if own else [])
