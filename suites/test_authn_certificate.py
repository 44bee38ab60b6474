"""Client certificate authenticator: a trusted, valid, mapped certificate logs in; nothing else does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from trino_harness.evidence import check
from trino_harness.pki import CertificateAuthority, Issued
from trino_harness.protocol import submit
from trino_harness.target import ClientCert

from .logins import judge, login_table

pytestmark = pytest.mark.authn

CERT_CASES = ("valid", "foreign-ca", "expired")
FIXES = {
    "valid": "check http-server.authentication.certificate.user-mapping (anchor the pattern to your DNs)",
    "foreign-ca": "http-server.https.truststore.path must hold only the CA that issues client certificates",
    "expired": "the coordinator must validate client certificate dates (do not replace the trust manager)",
}


TABLES = (login_table("certificate", CERT_CASES),)


def _write(directory: Path, issued: Issued) -> ClientCert:
    cert, key = directory / "client.pem", directory / "client.key"
    cert.write_bytes(issued.cert_pem)
    key.write_bytes(issued.key_pem)
    key.chmod(0o600)
    return ClientCert(str(cert), str(key))


def _certificate(target, subject: str, case: str, directory: Path) -> ClientCert:
    if case == "valid":
        return target.client_cert(subject)
    if case == "foreign-ca":
        return _write(directory, CertificateAuthority.create("Foreign CA").issue_client(subject))
    ca_cert, ca_key = target.client_ca()
    ca = CertificateAuthority.load(Path(ca_cert).read_bytes(), Path(ca_key).read_bytes())
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    return _write(directory, ca.issue_client(subject, days=1, not_before=long_ago))


def test_certificate_login(target, login_case, tmp_path):
    row = login_case.row
    cert = _certificate(target, row.principal, login_case.case, tmp_path)
    judge(
        login_case,
        submit(target, cert=cert),
        what=f"client certificate '{row.principal}' ({login_case.case})",
        fix=FIXES[login_case.case],
        tls_alert_refuses=True,
    )


def test_no_certificate_falls_through_to_the_password_provider(target, scenario):
    row = next(
        (r for r in scenario.expectations.authentication if r.provider in ("file", "ldap") and r.user),
        None,
    )
    if row is None:
        pytest.skip("no password principal in expectations.authentication to log in without a certificate")
    answer = submit(target, auth=(row.principal, target.password(row.provider, row.principal)))
    check(
        answer.accepted and answer.user == row.user,
        what=f"password login as {row.principal} without a client certificate",
        expected=f"logged in as {row.user} (the certificate is requested, not required)",
        observed=answer,
        fix="keep CERTIFICATE beside the other types in http-server.authentication.type; do not require "
        "client certificates at the TLS layer when other providers are in use",
    )
