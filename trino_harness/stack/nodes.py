"""The Trino nodes beside the coordinator: the one list the stack walks to render their etc/, start
the ones it starts itself and describe them to the checks (see :mod:`trino_harness.stack.node`)."""

from __future__ import annotations

from trino_harness.scenario.model import Scenario
from trino_harness.stack.node import Node
from trino_harness.stack.rogue_worker import ROGUE_WORKER
from trino_harness.stack.web_ui_oauth2 import WEB_UI_COORDINATOR
from trino_harness.stack.worker import WORKER

NODES: tuple[Node, ...] = (WORKER, ROGUE_WORKER, WEB_UI_COORDINATOR)


def nodes_of(scenario: Scenario) -> tuple[Node, ...]:
    """The nodes this scenario has (the Web UI coordinator only with an ``oidc:`` section)."""
    return tuple(node for node in NODES if node.enabled(scenario))
