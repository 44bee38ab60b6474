"""The stack's Keycloak: its container, provisioning through its admin REST API, and what the
target learns.

Only started when the scenario has an ``oidc:`` section, once per run with the other services (a
coordinator restart for the next config variant leaves it alone). Provisioning talks to the port
published on 127.0.0.1, verifying Keycloak's certificate against the run's CA, and ignores proxy
variables (``trust_env=False``): traffic stays on this machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from trino_harness.clients import tls_context
from trino_harness.redaction import redact
from trino_harness.render.oidc import (
    KEYCLOAK_ADMIN,
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

# Trino's callback on whatever 127.0.0.1 port the coordinator of this run (or of the next variant)
# gets: Keycloak allows a trailing wildcard only, so the pattern pins scheme and address, not port or
# path. Loose for a real deployment, harmless here: only this machine can reach either side.
REDIRECT_URIS = ["https://127.0.0.1:*"]
SHORT_TOKEN_SECONDS = 1


def configure_keycloak(keycloak: SeededContainer, materials: OidcMaterials) -> SeededContainer:
    seed = render_keycloak_seed(materials).tar(KEYCLOAK_SEED, uid=KEYCLOAK_UID, gid=KEYCLOAK_UID)
    return keycloak.with_seed(seed).publish_local(KEYCLOAK_PORT)


def _admin_client(base: str, ca_path: Path, materials: OidcMaterials) -> httpx.Client:
    client = httpx.Client(base_url=base, verify=tls_context(str(ca_path)), trust_env=False, timeout=30)
    answer = client.post(
        "/realms/master/protocol/openid-connect/token",
        data={
            "grant_type": "password",
            "client_id": "admin-cli",
            "username": KEYCLOAK_ADMIN,
            "password": materials.admin_password,
        },
    )
    answer.raise_for_status()
    client.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
    return client


def _audience_mapper(audience: str) -> dict[str, Any]:
    return {
        "name": f"audience-{audience}",
        "protocol": "openid-connect",
        "protocolMapper": "oidc-audience-mapper",
        "config": {
            "included.client.audience": audience,
            "access.token.claim": "true",
            "id.token.claim": "false",
        },
    }


def _client(client_id: str, secret: str, audience: str, lifespan_s: int | None = None) -> dict[str, Any]:
    """A confidential client (code flow + direct access grants) whose access tokens carry ``audience``."""
    return {
        "clientId": client_id,
        "enabled": True,
        "protocol": "openid-connect",
        "publicClient": False,
        "clientAuthenticatorType": "client-secret",
        "secret": secret,
        "standardFlowEnabled": True,
        "directAccessGrantsEnabled": True,
        "redirectUris": REDIRECT_URIS,
        "attributes": {"access.token.lifespan": str(lifespan_s)} if lifespan_s else {},
        "protocolMappers": [_audience_mapper(audience)],
    }


def _user(username: str, password: str) -> dict[str, Any]:
    # Keycloak 24+ refuses logins of users whose declared profile (email, names) is incomplete.
    return {
        "username": username,
        "enabled": True,
        "email": f"{username}@harness.test",
        "emailVerified": True,
        "firstName": username,
        "lastName": "Harness",
        "credentials": [{"type": "password", "value": password, "temporary": False}],
    }


def _post(client: httpx.Client, path: str, body: dict[str, Any]) -> None:
    answer = client.post(path, json=body)
    if answer.status_code not in (201, 204):
        raise RuntimeError(
            f"Keycloak admin API {path}: HTTP {answer.status_code} {redact(answer.text)[:300]}"
        )


def provision(oidc: Oidc, materials: OidcMaterials, base: str, ca_path: Path) -> None:
    """Realm, Trino's client, another app's client, a short-lived client and the users; then a
    second realm with the same client and users (another issuer)."""
    secrets = materials.client_secrets
    admin = _admin_client(base, ca_path, materials)
    try:
        for realm, clients in (
            (
                oidc.realm,
                [
                    _client(oidc.client_id, secrets[oidc.client_id], oidc.client_id),
                    _client(oidc.other_client_id, secrets[oidc.other_client_id], oidc.other_client_id),
                    _client(
                        oidc.short_lived_client_id,
                        secrets[oidc.short_lived_client_id],
                        oidc.client_id,
                        SHORT_TOKEN_SECONDS,
                    ),
                ],
            ),
            (oidc.other_realm, [_client(oidc.client_id, secrets[oidc.client_id], oidc.client_id)]),
        ):
            _post(admin, "/admin/realms", {"realm": realm, "enabled": True, "sslRequired": "all"})
            for body in clients:
                _post(admin, f"/admin/realms/{realm}/clients", body)
            for username, password in materials.passwords.items():
                _post(admin, f"/admin/realms/{realm}/users", _user(username, password))
    finally:
        admin.close()


def wait_and_provision(
    keycloak: SeededContainer, oidc: Oidc, materials: OidcMaterials, ca_path: Path
) -> float:
    """Wait until the master realm answers over verified TLS, then provision; return seconds waited."""
    base = f"https://127.0.0.1:{keycloak.host_port(KEYCLOAK_PORT)}"

    def master_realm_answers() -> bool:
        with httpx.Client(verify=tls_context(str(ca_path)), trust_env=False, timeout=5) as client:
            return client.get(f"{base}/realms/master/.well-known/openid-configuration").status_code == 200

    waited = wait_until(keycloak, master_realm_answers, "the master realm over verified TLS", 180, 0.5)
    provision(oidc, materials, base, ca_path)
    return waited


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
