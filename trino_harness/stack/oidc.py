"""The stack's Keycloak: its container (realms imported as it starts), its readiness, and what the
target learns.

Only started when the scenario has an ``oidc:`` section, once per run with the other services (a
coordinator restart for the next config variant leaves it alone). The readiness probe talks to the
port published on 127.0.0.1, verifying Keycloak's certificate against the run's CA, and ignores
proxy variables (``trust_env=False``): traffic stays on this machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from trino_harness.clients import tls_context
from trino_harness.render.files import FileSet
from trino_harness.render.oidc import (
    KEYCLOAK_ALIAS,
    KEYCLOAK_PORT,
    KEYCLOAK_SEED,
    KEYCLOAK_UID,
    OidcMaterials,
    issuer_url,
    render_keycloak_seed,
)
from trino_harness.scenario.oidc import Oidc
from trino_harness.stack.containers import SeededContainer
from trino_harness.stack.service import RunContext, Service
from trino_harness.stack.waiting import wait_until
from trino_harness.target import OidcTarget


def wait_realms(keycloak: SeededContainer, oidc: Oidc, ca_path: Path) -> float:
    """Wait until both imported realms answer discovery over verified TLS; return seconds waited."""
    base = f"https://127.0.0.1:{keycloak.host_port(KEYCLOAK_PORT)}"

    def realms_answer() -> bool:
        with httpx.Client(verify=tls_context(str(ca_path)), trust_env=False, timeout=5) as client:
            return all(
                client.get(f"{base}/realms/{realm}/.well-known/openid-configuration").status_code == 200
                for realm in (oidc.realm, oidc.other_realm)
            )

    return wait_until(keycloak, realms_answer, "the imported realms' discovery over verified TLS", 240, 0.5)


def oidc_target(oidc: Oidc, materials: OidcMaterials, keycloak: SeededContainer) -> OidcTarget:
    port = keycloak.host_port(KEYCLOAK_PORT)
    base = f"https://127.0.0.1:{port}"
    secrets = materials.client_secrets
    return OidcTarget(
        issuer=issuer_url(oidc.realm),
        token_url=f"{base}/realms/{oidc.realm}/protocol/openid-connect/token",
        client_id=oidc.client_id,
        client_secret=secrets[oidc.client_id],
        other_client_id=oidc.other_client_id,
        other_client_secret=secrets[oidc.other_client_id],
        short_lived_client_id=oidc.short_lived_client_id,
        short_lived_client_secret=secrets[oidc.short_lived_client_id],
        other_issuer_token_url=f"{base}/realms/{oidc.other_realm}/protocol/openid-connect/token",
        passwords=dict(materials.passwords),
        browser_host_rules=f"MAP {KEYCLOAK_ALIAS}:{KEYCLOAK_PORT} 127.0.0.1:{port}",
    )


def _seed(run: RunContext) -> FileSet:
    assert run.scenario.oidc is not None and run.oidc is not None
    return render_keycloak_seed(run.scenario.oidc, run.oidc)


def _ready(container: SeededContainer, run: RunContext) -> float:
    assert run.scenario.oidc is not None
    return wait_realms(container, run.scenario.oidc, run.ca_path)


def _target_part(container: SeededContainer, run: RunContext) -> dict[str, Any]:
    assert run.scenario.oidc is not None and run.oidc is not None
    return {"oidc": oidc_target(run.scenario.oidc, run.oidc, container)}


KEYCLOAK = Service(
    role="keycloak",
    alias=KEYCLOAK_ALIAS,
    image=lambda images: images.keycloak,
    image_env="KEYCLOAK_IMAGE",
    seed=_seed,
    seed_dir=KEYCLOAK_SEED,
    seed_owner=KEYCLOAK_UID,
    ports=(KEYCLOAK_PORT,),
    ready=_ready,
    enabled=lambda run: run.scenario.oidc is not None and run.oidc is not None,
    target_part=_target_part,
)
