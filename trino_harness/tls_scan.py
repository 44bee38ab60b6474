"""Which protocol versions and cipher suites a TLS endpoint accepts, as sslyze sees them.

sslyze drives real handshakes for every protocol from SSL 2.0 to TLS 1.3 (with its own legacy
OpenSSL for the old ones), so the harness does not hand-write a single ClientHello.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sslyze import (
    ScanCommand,
    Scanner,
    ServerNetworkLocation,
    ServerScanRequest,
    ServerScanStatusEnum,
)

PROTOCOL_COMMANDS = {
    "SSLv2": (ScanCommand.SSL_2_0_CIPHER_SUITES, "ssl_2_0_cipher_suites"),
    "SSLv3": (ScanCommand.SSL_3_0_CIPHER_SUITES, "ssl_3_0_cipher_suites"),
    "TLSv1.0": (ScanCommand.TLS_1_0_CIPHER_SUITES, "tls_1_0_cipher_suites"),
    "TLSv1.1": (ScanCommand.TLS_1_1_CIPHER_SUITES, "tls_1_1_cipher_suites"),
    "TLSv1.2": (ScanCommand.TLS_1_2_CIPHER_SUITES, "tls_1_2_cipher_suites"),
    "TLSv1.3": (ScanCommand.TLS_1_3_CIPHER_SUITES, "tls_1_3_cipher_suites"),
}

# IANA cipher-suite name fragments for each weak family.
WEAK_CIPHER_FRAGMENTS = {
    "NULL": ("_NULL_", "WITH_NULL"),
    "EXPORT": ("EXPORT",),
    "RC4": ("_RC4_",),
    "DES": ("_DES_", "_DES40_"),
    "3DES": ("_3DES_",),
    "anon": ("_anon_",),
    "MD5": ("_MD5",),
}


class TlsScanError(RuntimeError):
    """sslyze could not complete the scan: the endpoint's TLS posture is unknown, not good."""


@dataclass(frozen=True)
class TlsScan:
    endpoint: str
    accepted: dict[str, list[str]] = field(default_factory=dict)  # protocol -> accepted suites
    errors: dict[str, str] = field(default_factory=dict)  # protocol -> why it could not be tested

    def accepts(self, protocol: str) -> bool:
        return bool(self.accepted.get(protocol))

    def suites_matching(self, family: str) -> list[str]:
        fragments = WEAK_CIPHER_FRAGMENTS[family]
        return sorted(
            {
                f"{proto} {suite}"
                for proto, suites in self.accepted.items()
                for suite in suites
                if any(f in suite for f in fragments)
            }
        )

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> TlsScan:
        return cls(**data)


def scan(host: str, port: int) -> TlsScan:
    """Try every protocol version with every cipher suite sslyze knows."""
    location = ServerNetworkLocation(hostname=host, port=port)
    request = ServerScanRequest(
        server_location=location, scan_commands={cmd for cmd, _ in PROTOCOL_COMMANDS.values()}
    )
    scanner = Scanner()
    scanner.queue_scans([request])
    result = next(iter(scanner.get_results()))
    if result.scan_status != ServerScanStatusEnum.COMPLETED or result.scan_result is None:
        raise TlsScanError(
            f"sslyze could not connect to {host}:{port}: "
            f"{result.connectivity_error_trace or result.scan_status}"
        )
    accepted: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    for protocol, (_, attribute) in PROTOCOL_COMMANDS.items():
        attempt = getattr(result.scan_result, attribute)
        if attempt.result is None:
            errors[protocol] = str(attempt.error_reason or attempt.status)
            continue
        accepted[protocol] = [s.cipher_suite.name for s in attempt.result.accepted_cipher_suites]
    return TlsScan(f"{host}:{port}", accepted, errors)
