"""Probes of a node's internal endpoint: plain HTTP, TLS under the name other nodes use, and
internal-only resources requested without (or with a forged) internal bearer token.

Trino's nodes authenticate each other with a JWT in ``X-Trino-Internal-Bearer``, HS256-signed
with the SHA-256 of ``internal-communication.shared-secret`` (``InternalAuthenticationManager``);
resources marked internal-only answer 403 "Internal only resource" to anything else, an
authenticated end user included, and a token signed with another secret is refused with 401.
"""

from __future__ import annotations

import hashlib
import secrets
import socket
import ssl
import time
from dataclasses import dataclass

import jwt
import requests

from trino_harness.redaction import redact
from trino_harness.target import InternalEndpoint
from trino_harness.tls import describe_transport_error

BEARER_HEADER = "X-Trino-Internal-Bearer"


@dataclass(frozen=True)
class HttpAnswer:
    status: int | None  # None: no HTTP answer at all
    text: str  # the body's start, or what happened instead

    def __str__(self) -> str:
        return f"HTTP {self.status}: {self.text!r}" if self.status is not None else self.text


def plain_http(endpoint: InternalEndpoint, path: str = "/v1/info", timeout: float = 5) -> HttpAnswer:
    """A plain-HTTP GET where the node's HTTP listener would be (and on its TLS port, in the clear)."""
    assert endpoint.plain_http_port is not None
    return _get(f"http://{endpoint.host}:{endpoint.plain_http_port}{path}", None, {}, timeout)


def cleartext_on_tls_port(
    endpoint: InternalEndpoint, path: str = "/v1/info", timeout: float = 5
) -> HttpAnswer:
    return _get(f"http://{endpoint.host}:{endpoint.port}{path}", None, {}, 5)


def internal_get(
    endpoint: InternalEndpoint, path: str, ca_path: str, headers: dict[str, str] | None = None
) -> HttpAnswer:
    return _get(f"https://{endpoint.host}:{endpoint.port}{path}", ca_path, headers or {}, 10)


def _get(url: str, ca_path: str | None, headers: dict[str, str], timeout: float) -> HttpAnswer:
    session = requests.Session()
    session.trust_env = False
    try:
        response = session.get(url, headers=headers, verify=ca_path or False, timeout=timeout)
    except requests.RequestException as exc:
        return HttpAnswer(None, str(describe_transport_error(exc)))
    return HttpAnswer(response.status_code, redact(response.text)[:160])


def forged_bearer(node_id: str = "rogue-worker") -> str:
    """An internal token as Trino makes one, signed with a secret the cluster does not have."""
    key = hashlib.sha256(secrets.token_urlsafe(32).encode()).digest()
    return jwt.encode({"sub": node_id, "exp": int(time.time()) + 300}, key, algorithm="HS256")


@dataclass(frozen=True)
class TlsUnderAlias:
    ok: bool
    detail: str  # the protocol, or why the handshake failed


def tls_under_alias(endpoint: InternalEndpoint, ca_path: str, timeout: float = 10) -> TlsUnderAlias:
    """Handshake as another node would: SNI and hostname check for the alias, trusting only the CA."""
    context = ssl.create_default_context(cafile=ca_path)
    try:
        with socket.create_connection((endpoint.host, endpoint.port), timeout=timeout) as raw:
            with context.wrap_socket(raw, server_hostname=endpoint.alias) as tls:
                return TlsUnderAlias(True, tls.version() or "unknown")
    except OSError as exc:
        return TlsUnderAlias(False, str(describe_transport_error(exc)))
