"""The docker-compose export is the reference stack: the same services, every variable defined."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from trino_harness import paths
from trino_harness.compose import render_compose
from trino_harness.images.build import StackImages
from trino_harness.render.kerberos import KDC_ALIAS
from trino_harness.render.materials import AUDIT_ALIAS, LDAP_ALIAS, POSTGRES_ALIAS
from trino_harness.render.oidc import KEYCLOAK_ALIAS
from trino_harness.scenario.loader import load_scenario

COMPOSE = paths.REPO / "docker-compose.yml"
IMAGES = StackImages("t:1", "l:1", "p:1", "a:1", "k:1", "kc:1")


def _aliases(services: dict) -> set[str]:
    return {a for s in services.values() for a in s["networks"]["stack"]["aliases"]}


def test_compose_runs_every_service_of_the_reference_stack(tmp_path: Path):
    scenario = load_scenario()
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    stack = {POSTGRES_ALIAS, LDAP_ALIAS, AUDIT_ALIAS, KDC_ALIAS, KEYCLOAK_ALIAS}
    stack |= {scenario.trino.coordinator_alias, scenario.cluster.worker_alias}
    assert _aliases(services) == stack


def test_every_compose_variable_and_mounted_directory_is_rendered(tmp_path: Path):
    out = tmp_path / "compose"
    env_file = render_compose(out, load_scenario(), IMAGES, None)
    env = dict(line.split("=", 1) for line in env_file.read_text().splitlines())
    text = COMPOSE.read_text()
    used = set(re.findall(r"\$\{([A-Z0-9_]+)\}", text))
    assert used <= set(env), used - set(env)
    for source in re.findall(r"\$\{HARNESS_COMPOSE_DIR\}/([^:\"]+):", text):
        if source != "kdc-out/service.keytab":  # the KDC writes it as it starts; Trino mounts it
            assert (out / source).exists(), source
    assert (out / "kdc-out").is_dir()
    assert (out / "trino/etc/trino/kerberos/service.keytab").read_bytes() == b""  # the mount point
    assert list((out / "keycloak/import").glob("*.json"))  # realms imported at Keycloak's start
    assert env_file.stat().st_mode & 0o777 == 0o600
