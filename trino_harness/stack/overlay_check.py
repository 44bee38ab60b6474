"""Refuse a bad config overlay before any container starts, by applying it to an in-memory render.

Which files are rendered depends on the scenario (Kerberos, OIDC, user-mapping files), so the
list is not kept by hand: the baseline etc/ of the coordinator and of each node the stack renders
(``stack/nodes.py``: the worker, the rogue worker and, with an ``oidc:`` section, the Web UI OAuth2
coordinator) are rendered in memory with throw-away materials (a fresh CA and secrets, no Docker;
the Kerberos keytab, which only the KDC can issue, is a placeholder) and each overlay is applied
to a copy with the very code the stack uses. Rendering costs about a second, once per process,
however many overlays are checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from trino_harness.render.coordinator_etc import render_coordinator_etc
from trino_harness.render.files import FileSet
from trino_harness.render.materials import RunMaterials
from trino_harness.render.overlay import OverlayError, apply_overlay
from trino_harness.render.worker_etc import WorkerNode
from trino_harness.scenario.model import Scenario
from trino_harness.stack.node import Node
from trino_harness.stack.nodes import nodes_of

KEYTAB_PLACEHOLDER = b"not a keytab: the overlay check only needs the file to exist"


@dataclass(frozen=True)
class _Baseline:
    scenario: Scenario
    coordinator: FileSet
    ca_pem: bytes
    nodes: tuple[tuple[Node, WorkerNode], ...]


def _render(scenario: Scenario) -> _Baseline:
    materials = RunMaterials.generate(scenario)
    coordinator = render_coordinator_etc(scenario, materials, KEYTAB_PLACEHOLDER)
    nodes = tuple((node, WorkerNode.issue(materials.ca, node.alias(scenario))) for node in nodes_of(scenario))
    return _Baseline(scenario, coordinator, materials.ca.cert_pem, nodes)


def _problems(base: _Baseline, overlay: Path) -> list[str]:
    problems: list[str] = []
    etc = FileSet(dict(base.coordinator.files))
    try:
        apply_overlay(etc, overlay)
        coordinator_ok = True
    except OverlayError as exc:
        problems += str(exc).splitlines()
        coordinator_ok = False  # a node that follows the configuration starts from it: nothing to judge
    for node, identity in base.nodes:
        if node.own_overlay(overlay) is None or (node.follows_configuration and not coordinator_ok):
            continue
        source = etc if node.follows_configuration else base.coordinator
        try:
            node.etc(base.scenario, source, identity, base.ca_pem, overlay)
        except OverlayError as exc:
            problems += str(exc).splitlines()
    return problems


def overlay_problems(scenario: Scenario, overlays: Iterable[Path]) -> dict[Path, list[str]]:
    """Each overlay with its problems (one line each: file, field, fix); overlays without any are left out."""
    base = _render(scenario)
    found = {}
    for overlay in overlays:
        problems = _problems(base, overlay)
        if problems:
            found[overlay] = problems
    return found
