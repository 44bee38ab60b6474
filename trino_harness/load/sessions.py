"""An HTTP session that presents one way's identity on every request of a statement.

Built on :func:`trino_harness.clients.http_session` (verifies against the target's CA only and
ignores ``REQUESTS_CA_BUNDLE``). One session per simulated user keeps its connection alive, as
JDBC and the Python client do, so a per-connection cost (the TLS handshake) is not charged to
every statement.
"""

from __future__ import annotations

import requests

from trino_harness.clients import http_session, mint_jwt
from trino_harness.load.ways import Access
from trino_harness.target import Target


def open_session(
    target: Target, access: Access, token_lifetime_s: int = 3600
) -> tuple[requests.Session, dict]:
    """A session authenticating as ``access`` and the extra headers each request carries."""
    session = http_session(target)
    headers: dict[str, str] = {}
    if access.provider in ("file", "ldap"):
        session.auth = (access.principal, target.password(access.provider, access.principal))
    elif access.provider == "jwt":
        token = mint_jwt(target, access.principal, lifetime_s=token_lifetime_s)
        session.headers["Authorization"] = f"Bearer {token}"
    elif access.provider == "certificate":
        cert = target.client_certs[access.principal]
        session.cert = (cert.cert_path, cert.key_path)
    else:
        raise ValueError(f"unknown provider '{access.provider}'")
    if access.as_user:
        headers["X-Trino-User"] = access.as_user
    return session, headers
