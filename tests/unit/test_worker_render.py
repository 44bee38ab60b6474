"""The worker's etc/ is the coordinator's minus everything only a coordinator needs, plus its own
node identity and certificate; a variant's worker/ part reaches the worker only."""

from pathlib import Path

import pytest
from cryptography import x509

from trino_harness.render.files import SECRET_MODE
from trino_harness.render.materials import RunMaterials
from trino_harness.render.overlay import apply_overlay, parse_properties
from trino_harness.render.trino_etc import render_trino_etc
from trino_harness.render.worker_etc import WorkerNode, coordinator_part, render_worker_etc
from trino_harness.scenario.loader import load_scenario
from trino_harness.stack.rogue_worker import ROGUE_WORKER
from trino_harness.stack.worker import WORKER

VARIANTS = Path(__file__).resolve().parents[2] / "scenarios" / "variants"


@pytest.fixture(scope="module")
def rendered():
    scenario = load_scenario()
    materials = RunMaterials.generate(scenario)
    coordinator = render_trino_etc(
        scenario, materials, [coordinator_part(scenario.cluster.include_coordinator)]
    )
    worker = WorkerNode.issue(materials.ca, scenario.cluster.worker_alias)
    return (
        scenario,
        materials,
        coordinator,
        worker,
        render_worker_etc(scenario, coordinator, worker, materials.ca.cert_pem),
    )


def test_worker_is_a_worker_of_the_coordinator_over_https_with_the_same_secret_reference(rendered):
    scenario, _, coordinator, worker, etc = rendered
    config = parse_properties(etc.text("config.properties"))
    coordinator_config = parse_properties(coordinator.text("config.properties"))
    assert config["coordinator"] == "false"
    assert config["discovery.uri"] == f"https://{scenario.trino.coordinator_alias}:8443"
    assert config["internal-communication.https.required"] == "true"
    assert config["http-server.http.enabled"] == "false"
    assert (
        config["internal-communication.shared-secret"]
        == coordinator_config["internal-communication.shared-secret"]
        == "${ENV:TRINO_SHARED_SECRET}"
    )
    node = parse_properties(etc.text("node.properties"))
    assert node["node.id"] == node["node.internal-address"] == worker.alias
    assert node["node.environment"] == scenario.trino.environment
    assert coordinator_config["node-scheduler.include-coordinator"] == "false"


def test_worker_holds_no_coordinator_only_secrets_or_rules(rendered):
    _, materials, _, _, etc = rendered
    for coordinator_only in ("password.db", "rules.json", "jwt/public.pem", "http-event-listener.properties"):
        assert coordinator_only not in etc.files
    everything = b"".join(data for data, _ in etc.files.values())
    assert materials.shared_secret.encode() not in everything
    assert materials.trino_tls.key_pem not in everything  # its own key, not the coordinator's
    assert "catalog/postgresql.properties" in etc.files


def test_worker_certificate_names_its_alias_and_is_kept_secret(rendered):
    _, _, _, worker, etc = rendered
    assert etc.files["tls/server.pem"][1] == SECRET_MODE
    sans = worker.tls.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert worker.alias in sans.get_values_for_type(x509.DNSName)


def test_worker_overlay_reaches_the_worker_only(rendered):
    scenario, materials, coordinator, worker, etc = rendered
    variant = VARIANTS / "internal-https-not-required"
    assert WORKER.own_overlay(variant) == variant / "worker"
    overlaid, applied = WORKER.etc(scenario, coordinator, worker, materials.ca.cert_pem, variant)
    assert (
        applied
        and parse_properties(overlaid.text("config.properties"))["internal-communication.https.required"]
        == "false"
    )
    assert parse_properties(etc.text("config.properties"))["internal-communication.https.required"] == "true"
    copy = type(coordinator)(dict(coordinator.files))
    apply_overlay(copy, variant)
    assert not any(rel.startswith("worker/") for rel in copy.files)
    assert WORKER.own_overlay(VARIANTS / "cluster-secret-mismatch") is None
    assert ROGUE_WORKER.own_overlay(variant) is None  # the rogue is the baseline's worker, always


def test_the_rogue_worker_is_the_worker_under_its_own_name_without_the_catalog_secret(rendered):
    scenario, materials, coordinator, _, etc = rendered
    rogue_id = WorkerNode.issue(materials.ca, ROGUE_WORKER.alias(scenario))
    rogue, _ = ROGUE_WORKER.etc(scenario, coordinator, rogue_id, materials.ca.cert_pem, None)
    assert parse_properties(rogue.text("node.properties"))["node.id"] == "rogue-worker"
    assert rogue.text("config.properties") == etc.text("config.properties")
    assert "catalog/postgresql.properties" in etc.files
    assert not any(rel.startswith("catalog/postgresql") for rel in rogue.files)
