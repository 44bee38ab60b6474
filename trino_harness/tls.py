"""Name a TLS or connection failure precisely, and describe the certificate a server presents.

"Connection error" helps nobody at 3 a.m.: an expired certificate, a certificate for another
host and one from an unknown CA need three different fixes, so each gets its own name.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass

from cryptography import x509

# OpenSSL X509_V_ERR_* codes that Python's ssl module reports in ``verify_code``.
_VERIFY_CODES = {
    9: ("not-yet-valid", "the certificate is not yet valid"),
    10: ("expired", "the certificate has expired"),
    18: ("unknown-ca", "the certificate is self-signed and not trusted"),
    19: ("unknown-ca", "the chain ends in a self-signed CA that is not trusted"),
    20: ("unknown-ca", "the certificate was issued by an unknown CA"),
    21: ("unknown-ca", "the certificate's issuer cannot be verified"),
    62: ("wrong-host", "the certificate does not name this host"),
    64: ("wrong-host", "the certificate does not name this IP address"),
}


@dataclass(frozen=True)
class TransportProblem:
    """Why no HTTP answer came: ``kind`` is stable for checks, ``detail`` is for people."""

    # expired | not-yet-valid | wrong-host | unknown-ca | tls-alert | tls | refused | closed | timeout | other
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def describe_transport_error(exc: BaseException) -> TransportProblem:
    """Classify the first meaningful cause in ``exc``'s chain."""
    for cause in _chain(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            kind, text = _VERIFY_CODES.get(cause.verify_code, ("tls", "certificate verification failed"))
            return TransportProblem(kind, f"{text} ({cause.verify_message})")
        if isinstance(cause, ssl.SSLError):
            reason = cause.reason or str(cause)
            kind = "tls-alert" if "ALERT" in reason.upper() else "tls"
            return TransportProblem(kind, f"TLS handshake failed: {reason}")
        if isinstance(cause, ConnectionRefusedError):
            return TransportProblem("refused", "connection refused: nothing listens on that port")
        if isinstance(cause, ConnectionResetError | BrokenPipeError) or "Server disconnected" in str(cause):
            return TransportProblem("closed", "the connection was closed without an HTTP answer")
        if isinstance(cause, TimeoutError | socket.timeout):
            return TransportProblem("timeout", "no answer before the timeout")
    return TransportProblem("other", f"{type(exc).__name__}: {exc}")


@dataclass(frozen=True)
class PresentedCertificate:
    subject: str
    issuer: str
    names: tuple[str, ...]
    not_before: str
    not_after: str

    def __str__(self) -> str:
        return (
            f"subject {self.subject}; issuer {self.issuer}; names {list(self.names)}; "
            f"valid {self.not_before} .. {self.not_after}"
        )


def presented_certificate(host: str, port: int, timeout: float = 10) -> PresentedCertificate:
    """The leaf certificate ``host:port`` presents, read without trusting it (for evidence only)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection((host, port), timeout=timeout) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            der = tls.getpeercert(binary_form=True)
    if der is None:
        raise ssl.SSLError(f"{host}:{port} presented no certificate")
    cert = x509.load_der_x509_certificate(der)
    try:
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = tuple(str(n.value) for n in sans)
    except x509.ExtensionNotFound:
        names = ()
    return PresentedCertificate(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        names=names,
        not_before=cert.not_valid_before_utc.isoformat(),
        not_after=cert.not_valid_after_utc.isoformat(),
    )


def verified_handshake(host: str, port: int, ca_path: str, timeout: float = 10) -> str:
    """Handshake as a careful client (chain to ``ca_path``, hostname checked); return the protocol."""
    context = ssl.create_default_context(cafile=ca_path)
    with socket.create_connection((host, port), timeout=timeout) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            return tls.version() or "unknown"
