"""The coordinator's complete baseline etc/: the scenario's render plus what Kerberos, OIDC and the
workers add to it (each an :class:`~trino_harness.render.files.EtcPart`: files and properties as data).

One function for the stack and for the overlay check (``stack/overlay_check.py``), so an
overlay is judged against exactly the files the stack will write.
"""

from __future__ import annotations

from trino_harness.render import kerberos, oidc, worker_etc
from trino_harness.render.files import EtcPart, FileSet
from trino_harness.render.materials import RunMaterials
from trino_harness.render.trino_etc import render_trino_etc
from trino_harness.scenario.model import Scenario


def coordinator_parts(scenario: Scenario, keytab: bytes) -> list[EtcPart]:
    """What the scenario's optional sections and its workers add to the coordinator's etc/."""
    parts = []
    if scenario.kerberos is not None:
        parts.append(kerberos.coordinator_part(scenario.kerberos, keytab, scenario.trino.coordinator_alias))
    if scenario.oidc is not None:
        parts.append(oidc.coordinator_part(scenario.oidc))
    parts.append(worker_etc.coordinator_part(scenario.cluster.include_coordinator))
    return parts


def render_coordinator_etc(scenario: Scenario, materials: RunMaterials, keytab: bytes) -> FileSet:
    """Before any overlay; ``keytab`` is the KDC's service keytab (any bytes when only checking)."""
    return render_trino_etc(scenario, materials, coordinator_parts(scenario, keytab))
