"""Which protocol versions and cipher suites a TLS endpoint accepts, the certificate it serves,
and how it measures up to a Mozilla TLS profile, as sslyze sees them.

sslyze drives real handshakes for every protocol from SSL 2.0 to TLS 1.3 (with its own legacy
OpenSSL for the old ones), so the harness does not hand-write a single ClientHello; its Mozilla
checker judges the same scan against Mozilla's server-side TLS recommendations.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from sslyze import (
    CertificateInfoExtraArgument,
    ScanCommand,
    ScanCommandsExtraArguments,
    Scanner,
    ServerNetworkLocation,
    ServerScanRequest,
    ServerScanResult,
    ServerScanStatusEnum,
)
from sslyze.mozilla_tls_profile.tls_config_checker import (
    SCAN_COMMANDS_NEEDED_BY_MOZILLA_CHECKER,
    MozillaTlsConfiguration,
    ServerNotCompliantWithTlsConfiguration,
    ServerScanResultIncomplete,
    TlsConfigurationEnum,
    check_server_against_tls_configuration,
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


# A TLS 1.0-1.2 suite has forward secrecy when its key exchange is ephemeral (EC)DH; TLS 1.3 always has.
FORWARD_SECRET_PREFIXES = ("TLS_ECDHE_", "TLS_DHE_", "SSL_DHE_")
PRE_TLS13 = ("SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2")


class TlsScanError(RuntimeError):
    """sslyze could not complete the scan: the endpoint's TLS posture is unknown, not good."""


@dataclass(frozen=True)
class ServedCertificate:
    """One certificate the endpoint serves (sslyze's certificate info), as facts: the leaf of a
    chain, or a certificate sent after it (an intermediate, or a root sent needlessly)."""

    subject: str
    key_type: str  # "RSA", "EC" or the key class's name
    key_bits: int
    signature_algorithm: str  # OpenSSL's name, as Mozilla's profiles spell it: sha256WithRSAEncryption
    not_before: str  # ISO 8601, UTC
    not_after: str
    chain_verified: bool  # its chain leads to the trusted CA (the target's CA file, or sslyze's stores)
    leaf: bool = True  # the first of its chain: the server's own certificate
    self_signed: bool = False  # a root: nobody checks its own signature

    def __str__(self) -> str:
        return f"{self.subject} ({'leaf' if self.leaf else 'sent in the chain'})"

    @property
    def lifetime_days(self) -> int:
        return (datetime.fromisoformat(self.not_after) - datetime.fromisoformat(self.not_before)).days


@dataclass(frozen=True)
class TlsScan:
    endpoint: str
    accepted: dict[str, list[str]] = field(default_factory=dict)  # protocol -> accepted suites
    errors: dict[str, str] = field(default_factory=dict)  # protocol -> why it could not be tested
    # Every certificate of every chain the endpoint serves (sslyze tries RSA and ECDSA clients: a
    # server with both keys serves two chains), leaves first.
    certificates: tuple[ServedCertificate, ...] = ()
    certificate_error: str | None = None  # why sslyze could not read the certificates
    # The declared Mozilla profile: sslyze's issues with it ({} = compliant), or why it could not judge.
    mozilla_profile: str | None = None
    mozilla_issues: dict[str, str] = field(default_factory=dict)
    mozilla_error: str | None = None

    def without_forward_secrecy(self) -> list[str]:
        """Accepted TLS 1.0-1.2 suites whose key exchange is static (TLS_RSA_*, TLS_ECDH_*, ...)."""
        return sorted(
            f"{proto} {suite}"
            for proto in PRE_TLS13
            for suite in self.accepted.get(proto, [])
            if not suite.startswith(FORWARD_SECRET_PREFIXES)
        )

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
        certificates = tuple(ServedCertificate(**c) for c in data.get("certificates") or ())
        return cls(**{**data, "certificates": certificates})


def mozilla_profile(name: str) -> object:
    """Mozilla's server-side TLS configuration ``name`` (modern, intermediate, old) as sslyze ships it."""
    return MozillaTlsConfiguration.get(TlsConfigurationEnum(name))


def scan(host: str, port: int, ca_path: str | None = None, profile: str | None = None) -> TlsScan:
    """Try every protocol version with every cipher suite sslyze knows, read the served certificate
    (validated against ``ca_path`` besides sslyze's stores) and, when a Mozilla ``profile`` is
    declared, run what sslyze's checker needs and judge the scan against it."""
    location = ServerNetworkLocation(hostname=host, port=port)
    commands = {cmd for cmd, _ in PROTOCOL_COMMANDS.values()} | {ScanCommand.CERTIFICATE_INFO}
    if profile:
        commands |= SCAN_COMMANDS_NEEDED_BY_MOZILLA_CHECKER
    extra = (
        ScanCommandsExtraArguments(
            certificate_info=CertificateInfoExtraArgument(custom_ca_file=Path(ca_path))
        )
        if ca_path
        else ScanCommandsExtraArguments()
    )
    request = ServerScanRequest(
        server_location=location, scan_commands=commands, scan_commands_extra_arguments=extra
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
    certificates, certificate_error = _served_certificates(result)
    issues: dict[str, str] = {}
    mozilla_error = None
    if profile:
        try:
            check_server_against_tls_configuration(result, mozilla_profile(profile))  # type: ignore[arg-type]
        except ServerNotCompliantWithTlsConfiguration as exc:
            issues = dict(exc.issues)
        except ServerScanResultIncomplete as exc:
            mozilla_error = str(exc)
    return TlsScan(
        f"{host}:{port}", accepted, errors, certificates, certificate_error, profile, issues, mozilla_error
    )


def _served_certificates(result: ServerScanResult) -> tuple[tuple[ServedCertificate, ...], str | None]:
    attempt = result.scan_result.certificate_info if result.scan_result else None
    if attempt is None or attempt.result is None:
        return (), str(attempt.error_reason or attempt.status) if attempt else "not scanned"
    deployments = attempt.result.certificate_deployments
    served = served_certificates(
        [(d.received_certificate_chain, d.verified_certificate_chain is not None) for d in deployments]
    )
    return served, None if served else "sslyze read no certificate chain"


def served_certificates(
    chains: list[tuple[list[x509.Certificate], bool]],
) -> tuple[ServedCertificate, ...]:
    """Every certificate of every served chain (with whether that chain verified), leaves first,
    each once: every one of them is judged, not the first chain's leaf alone."""
    facts = [
        _facts(cert, verified, index == 0) for chain, verified in chains for index, cert in enumerate(chain)
    ]
    return tuple(dict.fromkeys(sorted(facts, key=lambda c: not c.leaf)))


def _facts(cert: x509.Certificate, chain_verified: bool, leaf: bool) -> ServedCertificate:
    key = cert.public_key()
    key_type = (
        "RSA"
        if isinstance(key, rsa.RSAPublicKey)
        else "EC"
        if isinstance(key, ec.EllipticCurvePublicKey)
        else type(key).__name__
    )
    return ServedCertificate(
        subject=cert.subject.rfc4514_string(),
        key_type=key_type,
        key_bits=getattr(key, "key_size", 0),
        signature_algorithm=cert.signature_algorithm_oid._name,  # the name Mozilla's profiles use
        not_before=cert.not_valid_before_utc.isoformat(),
        not_after=cert.not_valid_after_utc.isoformat(),
        chain_verified=chain_verified,
        leaf=leaf,
        self_signed=cert.issuer == cert.subject,
    )
