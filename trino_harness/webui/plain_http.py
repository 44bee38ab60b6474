"""Is the Web UI served over plain HTTP? A refusal counts only when it is one.

A refusal is an answer that says no: Trino's "Web Interface is Disabled" page (``/ui/disabled.html``,
where Trino sends a browser it will not log in over HTTP), a 401/403, or a connection refused or
closed at the declared plain-HTTP port while the same host answers over HTTPS right now (Docker's
proxy accepts and closes at a published port with no listener behind it). A timeout, a name that
does not resolve, a port that speaks TLS, an unexpected status, or silence from a host that does
not answer HTTPS either judge nothing: the verdict is "cannot judge".
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

import httpx

from trino_harness.tls import describe_transport_error

DISABLED_PATH = "/ui/disabled.html"
DISABLED_TEXT = "Web Interface is Disabled"
Verdict = Literal["served", "refused", "cannot judge"]


@dataclass(frozen=True)
class PlainHttpLook:
    url: str
    observed: str
    verdict: Verdict


def look_over_plain_http(
    url: str, https_problem: Callable[[], str | None], timeout_s: float = 30
) -> PlainHttpLook:
    """``GET url`` over plain HTTP (redirects followed); ``https_problem()`` says why HTTPS does not
    answer (None: it answers), asked only when the HTTP port said nothing."""
    try:
        with httpx.Client(trust_env=False, timeout=timeout_s, follow_redirects=True) as http:
            response = http.get(url)
    except httpx.TransportError as exc:
        problem = describe_transport_error(exc)
        observed = f"no answer ({problem})"
        if problem.kind not in ("refused", "closed"):
            return PlainHttpLook(url, f"{observed}: not a refusal", "cannot judge")
        if problem.kind == "closed" and _speaks_tls(url, timeout_s):
            return PlainHttpLook(
                url, f"{observed}, and the port speaks TLS: not an HTTP port", "cannot judge"
            )
        https = https_problem()
        if https is not None:
            observed += f", and HTTPS does not answer either ({https})"
            return PlainHttpLook(url, observed, "cannot judge")
        return PlainHttpLook(url, f"{observed}; HTTPS answers", "refused")
    observed = f"HTTP {response.status_code} at {response.url.path}"
    if response.url.path == DISABLED_PATH and DISABLED_TEXT in response.text:
        return PlainHttpLook(url, f"{observed} ({DISABLED_TEXT!r})", "refused")
    if response.status_code in (401, 403):
        return PlainHttpLook(url, observed, "refused")
    if response.status_code == 200:
        return PlainHttpLook(url, observed, "served")
    return PlainHttpLook(url, f"{observed}: neither the UI nor a refusal", "cannot judge")


def _speaks_tls(url: str, timeout_s: float) -> bool:
    """A port that closed on plain HTTP but completes a TLS handshake is an HTTPS port, not a refusal."""
    parts = urlsplit(url)
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # only: does it speak TLS?
    try:
        with socket.create_connection((parts.hostname or "", parts.port or 80), timeout=timeout_s) as raw:
            with context.wrap_socket(raw, server_hostname=parts.hostname):
                return True
    except (OSError, ssl.SSLError):
        return False
