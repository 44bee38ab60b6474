"""The stack's Keycloak: its container (realms imported as it starts), its readiness, and what the
target learns.

Only started when the scenario has an ``oidc:`` section, once per run with the other services (a
coordinator restart for the next config variant leaves it alone). The readiness probe talks to the
port published on 127.0.0.1, verifying Keycloak's certificate against the run's CA, and ignores
proxy variables (``trust_env=False``): traffic stays on this machine.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from trino_harness.clients import tls_context
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
from trino_harness.stack.waiting import wait_until
from trino_harness.target import OidcTarget


def configure_keycloak(keycloak: SeededContainer, oidc: Oidc, materials: OidcMaterials) -> SeededContainer:
    seed = render_keycloak_seed(oidc, materials).tar(KEYCLOAK_SEED, uid=KEYCLOAK_UID, gid=KEYCLOAK_UID)
    return keycloak.with_seed(seed).publish_local(KEYCLOAK_PORT)


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
