"""The coordinator's complete baseline etc/: the scenario's render plus Kerberos, OIDC and workers.

One function for the stack and for the overlay check (``render/overlay_check.py``), so an
overlay is judged against exactly the files the stack will write.
"""

from __future__ import annotations

from trino_harness.render.files import FileSet
from trino_harness.render.kerberos import add_to_trino_etc as add_kerberos
from trino_harness.render.materials import RunMaterials
from trino_harness.render.oidc import add_to_trino_etc as add_oidc
from trino_harness.render.trino_etc import render_trino_etc
from trino_harness.render.worker_etc import configure_coordinator_for_workers
from trino_harness.scenario.model import Scenario


def render_coordinator_etc(scenario: Scenario, materials: RunMaterials, keytab: bytes) -> FileSet:
    """Before any overlay; ``keytab`` is the KDC's service keytab (any bytes when only checking)."""
    etc = render_trino_etc(scenario, materials)
    if scenario.kerberos is not None:
        add_kerberos(etc, scenario.kerberos, keytab, scenario.trino.coordinator_alias)
    if scenario.oidc is not None:
        add_oidc(etc, scenario.oidc)
    configure_coordinator_for_workers(etc, scenario.cluster.include_coordinator)
    return etc
