"""The contract every service of the reference stack keeps, so the stack walks one list.

A service is a container on the run's network beside Trino: PostgreSQL, OpenLDAP, the audit
collector, the KDC, Keycloak. Each says, as data and small functions:

- whether this run needs it (the KDC only with a ``kerberos:`` section);
- its image, role and network alias, its seed (files rendered for this run, copied into the
  container before it starts) and the ports it publishes on 127.0.0.1;
- what the coordinator's etc/ needs from it before Trino boots (the KDC's keytab), if anything;
- when it is ready (a bounded poll on a real signal), and any figure worth keeping;
- its part of the :class:`~trino_harness.target.Target` the checks talk to.

Trino's own nodes (the worker, the extra Web UI coordinator, the rogue worker) keep a contract of
their own (``stack/node.py``, listed in ``stack/nodes.py``): their etc/ is rendered from the
coordinator's, and they may change with each configuration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trino_harness.images.build import StackImages
from trino_harness.render.files import FileSet
from trino_harness.render.kerberos import KerberosMaterials
from trino_harness.render.materials import RunMaterials
from trino_harness.render.oidc import OidcMaterials
from trino_harness.scenario.model import Scenario
from trino_harness.stack.containers import SeededContainer
from trino_harness.stack.waiting import wait_for_log


@dataclass(frozen=True)
class RunContext:
    """What a service reads of this run: the scenario, its secrets and the host-side files."""

    scenario: Scenario
    materials: RunMaterials
    krb: KerberosMaterials | None
    oidc: OidcMaterials | None
    ca_path: Path  # the run CA, for verified probes from the host
    client_dir: Path  # host-side client files (krb5.conf, keys)


def ready_on_log(text: str, timeout_s: float) -> Callable[[SeededContainer, RunContext], None]:
    """Readiness for a service that says so in its log: ``text`` seen within ``timeout_s``."""

    def ready(container: SeededContainer, run: RunContext) -> None:
        wait_for_log(container, text, timeout_s)

    return ready


def _always(run: RunContext) -> bool:
    return True


def _nothing_at_boot(container: SeededContainer, run: RunContext) -> bytes | None:
    return None


def _no_target_part(container: SeededContainer, run: RunContext) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Service:
    role: str  # the container's role label, and its folder in a compose rendering
    alias: str  # its name on the run's network
    image: Callable[[StackImages], str]
    image_env: str  # the variable naming its image in a compose rendering's .env
    seed: Callable[[RunContext], FileSet]
    seed_dir: str  # where the seed lands in the container
    ready: Callable[[SeededContainer, RunContext], float | None]  # seconds worth recording, or None
    seed_owner: int | None = None  # uid (and gid) of the seed's files; None: root
    ports: tuple[int, ...] = ()  # published on 127.0.0.1 for the host's probes and checks
    enabled: Callable[[RunContext], bool] = _always
    at_boot: Callable[[SeededContainer, RunContext], bytes | None] = _nothing_at_boot
    target_part: Callable[[SeededContainer, RunContext], dict[str, Any]] = _no_target_part

    def container(self, base: SeededContainer, run: RunContext) -> SeededContainer:
        """``base`` (image, network, alias) with this run's seed and published ports."""
        owner = {} if self.seed_owner is None else {"uid": self.seed_owner, "gid": self.seed_owner}
        container = base.with_seed(self.seed(run).tar(self.seed_dir, **owner))
        for port in self.ports:
            container = container.publish_local(port)
        return container
