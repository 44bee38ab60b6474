"""The stack's audit collector: Trino's HTTP event listener posts query events to it (HTTPS), and it
stores each in PostgreSQL (``trino_harness/audit/collector.py`` runs inside). Ready once it listens.
"""

from __future__ import annotations

from trino_harness.render.materials import AUDIT_ALIAS
from trino_harness.render.postgres import render_audit_seed
from trino_harness.stack.service import Service, ready_on_log

NOBODY = 65534  # the collector runs unprivileged and owns only its seed


AUDIT_COLLECTOR = Service(
    role="audit",
    alias=AUDIT_ALIAS,
    image=lambda images: images.audit,
    image_env="AUDIT_IMAGE",
    seed=lambda run: render_audit_seed(run.materials),
    seed_dir="/harness/audit",
    seed_owner=NOBODY,
    ready=ready_on_log("audit collector listening", 120),
)
