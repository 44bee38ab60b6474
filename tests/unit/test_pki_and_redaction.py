"""Certificates name the hosts clients use; no generated secret survives redaction."""

import ipaddress

from cryptography import x509

from trino_harness.pki import CertificateAuthority
from trino_harness.redaction import redact, register_secret


def test_server_certificate_names_alias_localhost_and_loopback():
    ca = CertificateAuthority.create()
    cert = ca.issue_server("trino", ["trino", "localhost", "127.0.0.1"]).certificate
    sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert sans.get_values_for_type(x509.DNSName) == ["trino", "localhost"]
    assert sans.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("127.0.0.1")]
    assert cert.issuer == ca.issued.certificate.subject


def test_client_certificate_subject_round_trips():
    ca = CertificateAuthority.create()
    cert = ca.issue_client("CN=dave,OU=people,O=Trino Harness").certificate
    assert cert.subject.rfc4514_string() == "CN=dave,OU=people,O=Trino Harness"


def test_redaction_masks_registered_secrets_keys_and_tokens():
    secret = register_secret("s3cr3t-value-for-test")
    key = CertificateAuthority.create().issued.key_pem.decode()
    token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl"
    text = redact(f"password={secret}\n{key}\nAuthorization: Bearer {token}")
    assert secret not in text and "PRIVATE KEY" not in text and token not in text
    assert text.count("***") == 3
