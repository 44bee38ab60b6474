"""Real clients for a target: the ``trino`` DB-API client per identity, and JWT minting.

Sessions ignore ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE``: requests lets those environment
variables override a session's ``verify``, which would silently trust another CA bundle than
the one the target names.
"""

from __future__ import annotations

import ssl
import time
from pathlib import Path
from typing import Any

import jwt
import requests
import trino
from trino.auth import Authentication, BasicAuthentication, CertificateAuthentication, JWTAuthentication

from trino_harness.redaction import register_secret
from trino_harness.scenario.model import Principal
from trino_harness.target import Target


def http_session(target: Target) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.verify = target.ca_path
    return session


def tls_context(ca_path: str) -> ssl.SSLContext:
    """A verifying context (hostname and chain) trusting only ``ca_path``."""
    return ssl.create_default_context(cafile=ca_path)


def mint_jwt(target: Target, subject: str, lifetime_s: int = 300, **overrides: Any) -> str:
    """An RS256 token from the target's signing key with its issuer and audience; ``overrides`` win."""
    key = Path(target.jwt_key()).read_bytes()
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": subject,
        "iss": target.jwt_issuer,
        "aud": target.jwt_audience,
        "iat": now,
        "exp": now + lifetime_s,
    }
    claims.update(overrides)
    return register_secret(jwt.encode(claims, key, algorithm="RS256"))


def authentication(target: Target, who: Principal) -> Authentication:
    """How ``who`` authenticates against ``target``."""
    if who.provider in ("file", "ldap"):
        return BasicAuthentication(who.principal, target.password(who.provider, who.principal))
    if who.provider == "jwt":
        return JWTAuthentication(mint_jwt(target, who.principal))
    cert = target.client_cert(who.principal)
    return CertificateAuthentication(cert.cert_path, cert.key_path)


def connect(
    target: Target,
    who: Principal,
    user: str | None = None,
    source: str = "trino-harness",
    client_info: str | None = None,
) -> trino.dbapi.Connection:
    """A DB-API connection authenticating as ``who``; ``user`` requests impersonation (X-Trino-User)."""
    return trino.dbapi.connect(
        host=target.host,
        port=target.port,
        http_scheme="https",
        auth=authentication(target, who),
        user=user,
        source=source,
        http_session=http_session(target),
        request_timeout=60,
        http_headers={"X-Trino-Client-Info": client_info} if client_info else None,
    )
