"""A rogue worker: a real Trino worker of the same image and configuration as the cluster's, on the
cluster's own network, whose only fault is a shared secret of its own. The coordinator must refuse
its announcements; its log and the coordinator's say what happened.

Only the reference stack can host one (``Target.rogue_worker_recipe``): a
:class:`~trino_harness.stack.node.Node` its check starts. Its etc/ is the worker's, rendered for its
own alias, without the PostgreSQL catalog (so no real secret is written for it); its starter passes
the wrong secret in the environment. The container carries the run's labels, so the stack's
removal takes it too should the check's own removal not run.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker

from trino_harness import docker_engine
from trino_harness.redaction import redact, register_secret
from trino_harness.render.files import FileSet
from trino_harness.render.overlay import parse_properties
from trino_harness.render.trino_etc import SHARED_SECRET_ENV
from trino_harness.render.worker_etc import WorkerNode, render_worker_etc
from trino_harness.scenario.model import Scenario
from trino_harness.stack.containers import run_labels
from trino_harness.stack.node import Node, NodeRun
from trino_harness.target import RogueWorkerRecipe

TRINO_UID = 1000  # the image's trino user, as in stack/reference.py
ROGUE_ALIAS = "rogue-worker"


def _render(scenario: Scenario, coordinator_etc: FileSet, identity: WorkerNode, ca_pem: bytes) -> FileSet:
    etc = render_worker_etc(scenario, coordinator_etc, identity, ca_pem)
    return FileSet({k: v for k, v in etc.files.items() if not k.startswith("catalog/postgresql")})


def _target_part(run: NodeRun) -> dict[str, Any]:
    recipe = RogueWorkerRecipe(
        run_id=run.run_id,
        network=run.network,
        image=run.image,
        etc_dir=str(run.etc_dir),
        coordinator_container=run.containers["trino"].get_wrapped_container().name,
    )
    return {"rogue": recipe}


ROGUE_WORKER = Node(
    role=ROGUE_ALIAS,
    alias=lambda scenario: ROGUE_ALIAS,
    render=_render,
    started_by="check",
    target_part=_target_part,
)


@dataclass
class RogueWorker:
    node_id: str
    container: docker.models.containers.Container
    coordinator: docker.models.containers.Container
    since: int  # unix time the rogue was started: coordinator log lines from then on are its

    def log(self) -> str:
        return redact(self.container.logs().decode(errors="replace"))

    def coordinator_log(self) -> str:
        return redact(self.coordinator.logs(since=self.since).decode(errors="replace"))

    def is_running(self) -> bool:
        self.container.reload()
        return self.container.status == "running"


@contextmanager
def rogue_worker(recipe: RogueWorkerRecipe) -> Iterator[RogueWorker]:
    """Start the rogue worker with a fresh secret of its own; remove it however the block ends."""
    client = docker_engine.ensure_engine()
    etc = FileSet.read_from(Path(recipe.etc_dir))
    node_id = parse_properties(etc.text("node.properties"))["node.id"]
    wrong_secret = register_secret(secrets.token_urlsafe(48))
    container = client.containers.create(
        recipe.image,
        name=f"trino-harness-{recipe.run_id}-{node_id}",
        labels=run_labels(recipe.run_id),
        environment={SHARED_SECRET_ENV: wrong_secret},
        network=recipe.network,
        networking_config={recipe.network: client.api.create_endpoint_config(aliases=[node_id])},
    )
    try:
        container.put_archive("/", etc.tar("/etc/trino", uid=TRINO_UID, gid=TRINO_UID))
        since = int(time.time()) - 1
        container.start()
        yield RogueWorker(node_id, container, client.containers.get(recipe.coordinator_container), since)
    finally:
        try:
            container.remove(force=True, v=True)
        except docker.errors.NotFound:
            pass  # already gone with the stack
