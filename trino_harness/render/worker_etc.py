"""Render a worker's ``/etc/trino`` from the coordinator's rendered pieces.

A worker needs far less than the coordinator: no authenticators, access rules, password file,
event listener or group provider (those act on the coordinator only), but the same JVM settings,
catalogs, CA and internal-communication settings, its own node identity and its own server
certificate (the coordinator calls it by its alias over HTTPS). Everything shared is taken from
:func:`~trino_harness.render.trino_etc.render_trino_etc`'s output, so the two cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass

from trino_harness.pki import CertificateAuthority, Issued
from trino_harness.render.files import SECRET_MODE, EtcPart, FileSet, properties
from trino_harness.render.overlay import parse_properties
from trino_harness.render.trino_etc import DATA_DIR, ETC, HTTPS_PORT
from trino_harness.scenario.model import Scenario

# Files of the coordinator's etc/ a worker uses as they are.
SHARED_FILES = ("jvm.config", "log.properties", "tls/ca.pem")
# Properties of the coordinator's config.properties a worker takes over unchanged.
SHARED_PROPERTIES = (
    "http-server.http.enabled",
    "http-server.https.enabled",
    "http-server.https.port",
    "http-server.https.keystore.path",
    "http-server.https.truststore.path",
    "internal-communication.shared-secret",
    "internal-communication.https.required",
    "internal-communication.https.keystore.path",
    "internal-communication.https.truststore.path",
    "catalog.management",
)


@dataclass(frozen=True)
class WorkerNode:
    """One worker: its alias on the stack network (also its node id) and its server certificate."""

    alias: str
    tls: Issued

    @classmethod
    def issue(cls, ca: CertificateAuthority, alias: str) -> WorkerNode:
        # clientAuth too: the worker presents the same key pair when it calls the coordinator.
        return cls(alias, ca.issue_server(alias, [alias, "localhost", "127.0.0.1"], also_client=True))


def render_worker_etc(
    scenario: Scenario, coordinator_etc: FileSet, worker: WorkerNode, ca_pem: bytes
) -> FileSet:
    """The worker's etc/, built from the coordinator's (rendered, before any variant overlay)."""
    files = FileSet()
    for rel in SHARED_FILES:
        files.add(rel, *coordinator_etc.files[rel])
    for rel, entry in coordinator_etc.files.items():
        if rel.startswith("catalog/"):
            files.add(rel, *entry)
    files.add("tls/server.pem", worker.tls.key_pem + worker.tls.cert_pem + ca_pem, SECRET_MODE)
    files.add(
        "node.properties",
        properties(
            {
                "node.environment": scenario.trino.environment,
                "node.id": worker.alias,
                "node.data-dir": DATA_DIR,
                "node.internal-address": worker.alias,
            }
        ),
    )
    coordinator = parse_properties(coordinator_etc.text("config.properties"))
    config: dict[str, str | int | bool] = {"coordinator": False}
    config |= {key: coordinator[key] for key in SHARED_PROPERTIES if key in coordinator}
    config["discovery.uri"] = f"https://{scenario.trino.coordinator_alias}:{HTTPS_PORT}"
    config["http-server.https.keystore.path"] = f"{ETC}/tls/server.pem"
    files.add("config.properties", properties(config))
    return files


# How long a query waits for a worker before failing with "Insufficient active worker nodes"
# (Trino's default is 5m): a worker that cannot join then shows in seconds, not as a hang.
REQUIRED_WORKERS_MAX_WAIT = "10s"


def coordinator_part(include_coordinator: bool) -> EtcPart:
    """Whether the coordinator schedules work itself, and a short wait for workers (before any
    variant overlay, which may change either)."""
    return EtcPart(
        properties={
            "node-scheduler.include-coordinator": include_coordinator,
            "query-manager.required-workers-max-wait": REQUIRED_WORKERS_MAX_WAIT,
        }
    )
