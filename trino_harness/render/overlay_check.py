"""Refuse a bad config overlay before any container starts, by applying it to an in-memory render.

Which files are rendered depends on the scenario (Kerberos, OIDC, user-mapping files), so the
list is not kept by hand: the baseline etc/ of the coordinator, the worker and (with an ``oidc:``
section) the Web UI OAuth2 coordinator are rendered in memory with throw-away materials (a fresh
CA and secrets, no Docker; the Kerberos keytab, which only the KDC can issue, is a placeholder) and
each overlay is applied to a copy with the very code the stack uses. Rendering costs about a
second, once per process, however many overlays are checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from trino_harness.render.coordinator_etc import render_coordinator_etc
from trino_harness.render.files import FileSet
from trino_harness.render.materials import RunMaterials
from trino_harness.render.overlay import OverlayError, apply_overlay
from trino_harness.render.web_ui_oauth2 import UI_OAUTH2_ALIAS, render_web_ui_oauth2_etc, ui_oauth2_overlay_of
from trino_harness.render.worker_etc import (
    WorkerNode,
    overlaid_worker_etc,
    render_worker_etc,
    worker_overlay_of,
)
from trino_harness.scenario.model import Scenario

KEYTAB_PLACEHOLDER = b"not a keytab: the overlay check only needs the file to exist"


@dataclass(frozen=True)
class _Baseline:
    coordinator: FileSet
    worker: FileSet
    ca_pem: bytes
    ui_oauth2: WorkerNode | None


def _render(scenario: Scenario) -> _Baseline:
    materials = RunMaterials.generate(scenario)
    coordinator = render_coordinator_etc(scenario, materials, KEYTAB_PLACEHOLDER)
    worker = WorkerNode.issue(materials.ca, scenario.cluster.worker_alias)
    ui = WorkerNode.issue(materials.ca, UI_OAUTH2_ALIAS) if scenario.oidc is not None else None
    worker_etc = render_worker_etc(scenario, coordinator, worker, materials.ca.cert_pem)
    return _Baseline(coordinator, worker_etc, materials.ca.cert_pem, ui)


def _problems(base: _Baseline, overlay: Path) -> list[str]:
    problems: list[str] = []
    etc = FileSet(dict(base.coordinator.files))
    try:
        apply_overlay(etc, overlay)
        coordinator_ok = True
    except OverlayError as exc:
        problems += str(exc).splitlines()
        coordinator_ok = False  # the extra coordinator starts from this etc/: nothing to judge it on
    worker = worker_overlay_of(overlay)
    if worker is not None:
        try:
            overlaid_worker_etc(base.worker, worker)
        except OverlayError as exc:
            problems += str(exc).splitlines()
    if coordinator_ok and base.ui_oauth2 is not None and ui_oauth2_overlay_of(overlay) is not None:
        try:
            render_web_ui_oauth2_etc(etc, base.ui_oauth2, base.ca_pem, overlay)
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
