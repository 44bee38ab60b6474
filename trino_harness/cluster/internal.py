"""Probes of a node's internal endpoint: plain HTTP, TLS under the name other nodes use, and
internal-only resources requested without (or with a forged) internal bearer token.

Trino's nodes authenticate each other with a JWT in ``X-Trino-Internal-Bearer``, HS256-signed
with the SHA-256 of ``internal-communication.shared-secret`` (``InternalAuthenticationManager``);
resources marked internal-only answer 403 "Internal only resource" to anything else, an
authenticated end user included, and a token signed with another secret is refused with 401.
"""

from __future__ import annotations

import hashlib
import http.client
import secrets
import socket
import ssl
import time
from dataclasses import dataclass

import jwt
import requests

from trino_harness.evidence import cannot_judge
from trino_harness.redaction import redact
from trino_harness.target import InternalEndpoint
from trino_harness.tls import describe_transport_error

BEARER_HEADER = "X-Trino-Internal-Bearer"


@dataclass(frozen=True)
class HttpAnswer:
    status: int | None  # None: no HTTP answer at all
    text: str  # the body's start, or what happened instead
    transport: str | None = None  # why no answer came (``TransportProblem.kind``), else None

    def __str__(self) -> str:
        return f"HTTP {self.status}: {self.text!r}" if self.status is not None else self.text


def plain_http(endpoint: InternalEndpoint, path: str = "/v1/info", timeout: float = 5) -> HttpAnswer:
    """A plain-HTTP GET where the node's HTTP listener would be (and on its TLS port, in the clear)."""
    assert endpoint.plain_http_port is not None
    return _get(f"http://{endpoint.host}:{endpoint.plain_http_port}{path}", None, {}, timeout)


def cleartext_on_tls_port(
    endpoint: InternalEndpoint, path: str = "/v1/info", timeout: float = 5
) -> HttpAnswer:
    return _get(f"http://{endpoint.host}:{endpoint.port}{path}", None, {}, timeout)


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
        if _tls_record(exc):
            return HttpAnswer(
                None, "answered with a TLS record, not HTTP: the port speaks only TLS", "tls-only"
            )
        problem = describe_transport_error(exc)
        return HttpAnswer(None, str(problem), problem.kind)
    return HttpAnswer(response.status_code, redact(response.text)[:160])


# Answers that prove a plain-HTTP request was refused: nothing listens (RST), or a published port
# whose container does not listen (Docker's proxy accepts, then closes without an HTTP answer).
# A TLS port answering a cleartext request with a TLS record (an alert) refuses it too.
REFUSING_TRANSPORT = ("refused", "closed", "tls-only")


def _tls_record(exc: BaseException) -> bool:
    """Whether the server answered plain HTTP with a TLS record (content type 0x15 alert / 0x16 handshake,
    version 3.x): Jetty's TLS connector does that, and Python reports it as a bad status line."""
    current: BaseException | None = exc
    while current is not None:
        for arg in current.args:
            if isinstance(arg, BaseException) and _tls_record(arg):
                return True
        if isinstance(current, http.client.BadStatusLine) and str(getattr(current, "line", ""))[:2] in (
            "\x15\x03",
            "\x16\x03",
        ):
            return True
        current = current.__cause__ or current.__context__
    return False


# Statuses that say "not for you": a login required (401) or refused (403, Trino's "Internal only
# resource"). Anything else at 4xx/5xx decides nothing: a 502/503/504 is a gateway with nothing
# behind it, a 429 a rate limit, a 500 a crash, a 404/405 a listener that serves other paths.
REFUSING_STATUSES = frozenset({401, 403})
# nginx's own answer to cleartext on its TLS port (its documented 497 error, sent as a 400 page).
CLEARTEXT_ON_TLS_PAGE = "The plain HTTP request was sent to HTTPS port"


def plain_http_refused(answer: HttpAnswer) -> bool | None:
    """True: refused (nothing listens, a TLS-only port, HTTP 401/403); False: served (2xx/3xx);
    None: cannot tell (a gateway's 502/503/504, any other 4xx/5xx, a timeout, a name that does not
    resolve: none of them is evidence either way)."""
    if answer.status is not None:
        if answer.status in REFUSING_STATUSES:
            return True
        if answer.status == 400 and CLEARTEXT_ON_TLS_PAGE in answer.text:
            return True
        return False if answer.status < 400 else None
    return True if answer.transport in REFUSING_TRANSPORT else None


def forged_bearer(node_id: str = "rogue-worker") -> str:
    """An internal token as Trino makes one, signed with a secret the cluster does not have."""
    key = hashlib.sha256(secrets.token_urlsafe(32).encode()).digest()
    return jwt.encode({"sub": node_id, "exp": int(time.time()) + 300}, key, algorithm="HS256")


@dataclass(frozen=True)
class TlsUnderAlias:
    ok: bool
    detail: str  # the protocol, or why the handshake failed


# Why no handshake took place at all: nothing listens, the connection was reset, no answer came.
# That is no verdict on the node's certificate.
NO_HANDSHAKE = ("refused", "closed", "timeout", "other")


def tls_under_alias(endpoint: InternalEndpoint, ca_path: str, timeout: float = 10) -> TlsUnderAlias:
    """Handshake as another node would: SNI and hostname check for the alias, trusting only the CA.
    A node that does not answer at all is :class:`CannotJudge`, not a failed handshake."""
    context = ssl.create_default_context(cafile=ca_path)
    try:
        with socket.create_connection((endpoint.host, endpoint.port), timeout=timeout) as raw:
            with context.wrap_socket(raw, server_hostname=endpoint.alias) as tls:
                return TlsUnderAlias(True, tls.version() or "unknown")
    except OSError as exc:
        problem = describe_transport_error(exc)
        if problem.kind in NO_HANDSHAKE:
            cannot_judge(
                f"no TLS handshake with {endpoint.alias} ({endpoint.host}:{endpoint.port}): {problem}"
            )
        return TlsUnderAlias(False, str(problem))
