"""The run's certificate authority and every certificate issued from it (``cryptography``).

One CA per run signs the coordinator's, LDAP's and PostgreSQL's server certificates and the
client certificates the suites authenticate with, so nothing trusts a key that outlives the run.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ORGANIZATION = "Trino Harness"


@dataclass(frozen=True)
class Issued:
    """A certificate with its private key, both PEM."""

    cert_pem: bytes
    key_pem: bytes

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.cert_pem)


def _key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class CertificateAuthority:
    """A CA that can issue server and client certificates."""

    issued: Issued
    _key: rsa.RSAPrivateKey

    @classmethod
    def create(cls, common_name: str = "Trino Harness Run CA", days: int = 120) -> CertificateAuthority:
        key = _key()
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
            ]
        )
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(_now() - dt.timedelta(minutes=5))
            .not_valid_after(_now() + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    key_cert_sign=True,
                    crl_sign=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        return cls(Issued(cert.public_bytes(serialization.Encoding.PEM), _key_pem(key)), key)

    @classmethod
    def load(cls, cert_pem: bytes, key_pem: bytes) -> CertificateAuthority:
        """An existing CA (e.g. a target's client CA) to issue deliberately broken certificates from."""
        key = serialization.load_pem_private_key(key_pem, None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise TypeError("only RSA CA keys are supported")
        return cls(Issued(cert_pem, key_pem), key)

    @property
    def cert_pem(self) -> bytes:
        return self.issued.cert_pem

    def _issue(
        self,
        subject: x509.Name,
        usages: list[x509.ObjectIdentifier],
        sans: list[x509.GeneralName],
        not_before: dt.datetime,
        not_after: dt.datetime,
        key_bits: int = 2048,
        sha1: bool = False,
    ) -> Issued:
        key = _key(key_bits)
        ca_cert = self.issued.certificate
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self._key.public_key()), critical=False
            )
        )
        if sans:
            builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
        cert = builder.sign(self._key, hashes.SHA256())
        if sha1:
            cert = _resigned_with_sha1(cert, self._key)
        return Issued(cert.public_bytes(serialization.Encoding.PEM), _key_pem(key))

    def issue_server(
        self,
        common_name: str,
        hosts: list[str],
        days: int = 7,
        also_client: bool = False,
        not_before: dt.datetime | None = None,
        key_bits: int = 2048,
        sha1: bool = False,
    ) -> Issued:
        """A TLS server certificate whose SANs name every host and IP a client may use.

        ``also_client`` adds the clientAuth usage, for a node that presents the same key pair when
        it calls other nodes (Trino's internal HTTPS client). ``key_bits`` and ``sha1`` (a SHA-1
        signature instead of SHA-256) exist for the deliberately weak certificate of a negative control.
        """
        usages = [ExtendedKeyUsageOID.SERVER_AUTH] + (
            [ExtendedKeyUsageOID.CLIENT_AUTH] if also_client else []
        )
        sans: list[x509.GeneralName] = []
        for host in hosts:
            try:
                sans.append(x509.IPAddress(ipaddress.ip_address(host)))
            except ValueError:
                sans.append(x509.DNSName(host))
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
            ]
        )
        start = not_before or (_now() - dt.timedelta(minutes=5))
        return self._issue(subject, usages, sans, start, start + dt.timedelta(days=days), key_bits, sha1)

    def issue_client(
        self, subject_rfc4514: str, days: int = 7, not_before: dt.datetime | None = None
    ) -> Issued:
        """A client certificate for ``subject_rfc4514`` (e.g. ``CN=dave,OU=people,O=Trino Harness``)."""
        start = not_before or (_now() - dt.timedelta(minutes=5))
        return self._issue(
            x509.Name.from_rfc4514_string(subject_rfc4514),
            [ExtendedKeyUsageOID.CLIENT_AUTH],
            [],
            start,
            start + dt.timedelta(days=days),
        )


# DER AlgorithmIdentifiers (OID + NULL parameters): the same length, differing in the OID's last byte.
_SHA256_WITH_RSA = bytes.fromhex("300d06092a864886f70d01010b0500")
_SHA1_WITH_RSA = bytes.fromhex("300d06092a864886f70d0101050500")


def _der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _resigned_with_sha1(cert: x509.Certificate, ca_key: rsa.RSAPrivateKey) -> x509.Certificate:
    """``cert`` signed with SHA-1 instead (cryptography signs certificates with SHA-256 or better
    only): its TBS part names sha1WithRSAEncryption (a same-length swap of the one algorithm field,
    which precedes every extension) and carries a PKCS#1 v1.5 SHA-1 signature by ``ca_key``."""
    tbs = cert.tbs_certificate_bytes
    at = tbs.find(_SHA256_WITH_RSA)
    if at < 0 or at > 40:  # the field follows the version and the serial number, never further
        raise ValueError("the certificate's signature algorithm field is not where X.509 puts it")
    tbs = tbs[:at] + _SHA1_WITH_RSA + tbs[at + len(_SHA256_WITH_RSA) :]
    signature = ca_key.sign(tbs, padding.PKCS1v15(), hashes.SHA1())
    bits = b"\x03" + _der_length(len(signature) + 1) + b"\x00" + signature
    body = tbs + _SHA1_WITH_RSA + bits
    resigned = x509.load_der_x509_certificate(b"\x30" + _der_length(len(body)) + body)
    ca_key.public_key().verify(
        resigned.signature, resigned.tbs_certificate_bytes, padding.PKCS1v15(), hashes.SHA1()
    )
    return resigned


def rsa_key_pair() -> tuple[bytes, bytes]:
    """An RSA key pair for signing JWTs: (private PKCS#8 PEM, public SubjectPublicKeyInfo PEM)."""
    key = _key()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return _key_pem(key), public
