"""Render the OpenID Connect pieces: Keycloak's seed and the coordinator's OAUTH2 properties.

**One issuer name for everyone.** Keycloak runs with ``--hostname https://keycloak:8443``: every
token's ``iss`` and every URL in its discovery document use the stack-network alias, whatever
address the request came in on. The coordinator (in the network) reaches that name directly, so
Trino's issuer and OIDC discovery need no rewriting; the harness on the host talks to the port
published on 127.0.0.1 (the certificate names ``keycloak``, ``localhost`` and ``127.0.0.1``) and
gets the same ``iss``; the browser of the redirect-flow check resolves ``keycloak:8443`` to that
published port with Chromium's ``--host-resolver-rules``. The alternative (Trino's explicit
``auth-url``/``token-url``/``jwks-url`` with discovery off, Keycloak on its dynamic hostname)
would make ``iss`` depend on who asked, i.e. differ between the browser's code and Trino's check.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from trino_harness.pki import CertificateAuthority, Issued
from trino_harness.redaction import register_secret
from trino_harness.render.files import SECRET_MODE, EtcPart, FileSet
from trino_harness.render.materials import LOCAL_HOSTS
from trino_harness.scenario.oidc import Oidc

KEYCLOAK_ALIAS = "keycloak"
KEYCLOAK_PORT = 8443
KEYCLOAK_URL = f"https://{KEYCLOAK_ALIAS}:{KEYCLOAK_PORT}"
KEYCLOAK_SEED = "/harness/keycloak"
KEYCLOAK_UID = 1000
KEYCLOAK_ADMIN = "admin"
CLIENT_SECRET_ENV = "TRINO_OAUTH2_CLIENT_SECRET"
ETC = "/etc/trino"
# Trino's callback on whatever 127.0.0.1 port the coordinator of this run (or of the next variant)
# gets: Keycloak allows a trailing wildcard only, so the pattern pins scheme and address, not port or
# path. Loose for a real deployment, harmless here: only this machine can reach either side.
REDIRECT_URIS = ["https://127.0.0.1:*"]
SHORT_TOKEN_SECONDS = 1
# How long Trino's start retries the issuer's discovery while Keycloak is still starting beside
# it (Trino's default, 30 s, is shorter than Keycloak's start on a loaded machine).
DISCOVERY_TIMEOUT = "240s"


def issuer_url(realm: str) -> str:
    return f"{KEYCLOAK_URL}/realms/{realm}"


def _secret() -> str:
    return register_secret(secrets.token_urlsafe(24))


@dataclass(frozen=True)
class OidcMaterials:
    """Per-run secrets of the identity provider: admin bootstrap password, client secrets, user
    passwords, and Keycloak's server certificate from the run's CA."""

    admin_password: str
    client_secrets: dict[str, str]  # client id -> secret (Trino's, the other app's, the short-lived one)
    passwords: dict[str, str]  # Keycloak user name -> password
    tls: Issued

    @classmethod
    def generate(cls, oidc: Oidc, ca: CertificateAuthority) -> OidcMaterials:
        clients = (oidc.client_id, oidc.other_client_id, oidc.short_lived_client_id)
        tls = ca.issue_server(KEYCLOAK_ALIAS, [KEYCLOAK_ALIAS, *LOCAL_HOSTS])
        register_secret(tls.key_pem.decode())
        return cls(
            admin_password=_secret(),
            client_secrets={c: _secret() for c in clients},
            passwords={u.username: _secret() for u in oidc.users},
            tls=tls,
        )


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


def realms(oidc: Oidc, materials: OidcMaterials) -> list[dict[str, Any]]:
    """The realm with Trino's client, another app's client, a short-lived client and the users; a
    second realm with the same client and users (another issuer). Keycloak imports them as it
    starts, so the issuer's discovery document exists as soon as Keycloak answers at all: Trino,
    starting beside it, retries a refused connection but gives up on a 404."""
    secret_of = materials.client_secrets
    users = [_user(name, password) for name, password in materials.passwords.items()]
    main_clients = [
        _client(oidc.client_id, secret_of[oidc.client_id], oidc.client_id),
        _client(oidc.other_client_id, secret_of[oidc.other_client_id], oidc.other_client_id),
        _client(
            oidc.short_lived_client_id,
            secret_of[oidc.short_lived_client_id],
            oidc.client_id,
            SHORT_TOKEN_SECONDS,
        ),
    ]
    other_clients = [_client(oidc.client_id, secret_of[oidc.client_id], oidc.client_id)]
    return [
        {"realm": realm, "enabled": True, "sslRequired": "all", "clients": clients, "users": users}
        for realm, clients in ((oidc.realm, main_clients), (oidc.other_realm, other_clients))
    ]


def render_keycloak_seed(oidc: Oidc, materials: OidcMaterials) -> FileSet:
    files = FileSet()
    files.add("tls.crt", materials.tls.cert_pem)
    files.add("tls.key", materials.tls.key_pem, SECRET_MODE)
    files.add("hostname", KEYCLOAK_URL + "\n")
    files.add("admin-password", materials.admin_password, SECRET_MODE)
    for realm in realms(oidc, materials):
        files.add(f"import/{realm['realm']}.json", json.dumps(realm, indent=2) + "\n", SECRET_MODE)
    return files


def coordinator_part(oidc: Oidc) -> EtcPart:
    """OAUTH2 after the other authenticators; the client secret only as ``${ENV:...}``."""
    prefix = "http-server.authentication.oauth2"
    return EtcPart(
        properties={
            f"{prefix}.issuer": issuer_url(oidc.realm),
            f"{prefix}.client-id": oidc.client_id,
            f"{prefix}.client-secret": f"${{ENV:{CLIENT_SECRET_ENV}}}",
            f"{prefix}.principal-field": oidc.principal_field,
            f"{prefix}.user-mapping.pattern": oidc.user_mapping_pattern,
            f"{prefix}.max-clock-skew": f"{oidc.max_clock_skew_seconds}s",
            # Validate access tokens as JWTs (signature, issuer, audience, expiry). Trino's default asks
            # the provider's userinfo endpoint instead, which accepts a token of ANY audience of the
            # issuer (observed on 476 with Keycloak; variant oidc-userinfo-validation).
            f"{prefix}.oidc.use-userinfo-endpoint": False,
            f"{prefix}.oidc.discovery.timeout": DISCOVERY_TIMEOUT,
            # Discovery, JWKS and the code exchange go through this client: trust the run's CA.
            "oauth2-jwk.http-client.trust-store-path": f"{ETC}/tls/ca.pem",
        },
        authenticators=("OAUTH2",),
    )


def trino_oidc_environment(oidc: Oidc, materials: OidcMaterials) -> dict[str, str]:
    return {CLIENT_SECRET_ENV: materials.client_secrets[oidc.client_id]}
