"""Per-run secret material: CA and certificates, passwords, shared secret, JWT keys.

Generated fresh for every run and never written outside the run's 0700 directory. Every
secret value is also registered for redaction so no report or log line can carry it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from trino_harness.pki import CertificateAuthority, Issued, rsa_key_pair
from trino_harness.redaction import register_secret
from trino_harness.scenario.model import Scenario

LDAP_ALIAS = "ldap"
POSTGRES_ALIAS = "postgres"
AUDIT_ALIAS = "audit"
LOCAL_HOSTS = ["localhost", "127.0.0.1"]
WEAK_KEY_BITS = 1024
WEAK_LIFETIME_DAYS = 400


def _password() -> str:
    return register_secret(secrets.token_urlsafe(18))


@dataclass(frozen=True)
class DatabasePasswords:
    superuser: str
    audit_writer: str
    audit_reader: str
    catalog: str
    monitor: str  # pg_monitor role: reads pg_stat_ssl for the catalog's sessions


@dataclass(frozen=True)
class RunMaterials:
    ca: CertificateAuthority
    trino_tls: Issued
    ldap_tls: Issued
    postgres_tls: Issued
    audit_tls: Issued  # the collector's HTTPS listener: query text travels encrypted
    client_certs: dict[str, Issued]
    user_passwords: dict[str, str]
    shared_secret: str
    ldap_admin_password: str
    ldap_group_lookup_password: str  # the LDAP group provider's bind (cn=trino-group-lookup)
    db: DatabasePasswords
    jwt_private_pem: bytes
    jwt_public_pem: bytes
    # Broken coordinator certificates, rendered beside the good one so a TLS negative control is a
    # one-property overlay (http-server.https.keystore.path); the baseline never uses them.
    trino_tls_broken: dict[str, Issued]

    @classmethod
    def generate(cls, scenario: Scenario) -> RunMaterials:
        ca = CertificateAuthority.create()
        alias = scenario.trino.coordinator_alias
        jwt_private, jwt_public = rsa_key_pair()
        register_secret(jwt_private.decode())
        return cls(
            ca=ca,
            # Mozilla's recommended lifetime: clear of any expiry horizon a scenario declares.
            trino_tls=ca.issue_server(alias, [alias, *LOCAL_HOSTS], days=90, also_client=True),
            ldap_tls=ca.issue_server(LDAP_ALIAS, [LDAP_ALIAS, *LOCAL_HOSTS]),
            postgres_tls=ca.issue_server(POSTGRES_ALIAS, [POSTGRES_ALIAS, *LOCAL_HOSTS]),
            audit_tls=ca.issue_server(AUDIT_ALIAS, [AUDIT_ALIAS, *LOCAL_HOSTS], days=90),
            client_certs={subject: ca.issue_client(subject) for subject in scenario.certificates},
            user_passwords={u.name: _password() for u in scenario.users if u.credential != "none"},
            shared_secret=register_secret(secrets.token_urlsafe(48)),
            ldap_admin_password=_password(),
            ldap_group_lookup_password=_password(),
            db=DatabasePasswords(_password(), _password(), _password(), _password(), _password()),
            jwt_private_pem=jwt_private,
            jwt_public_pem=jwt_public,
            trino_tls_broken=_broken_server_certs(ca, alias),
        )


def _broken_server_certs(ca: CertificateAuthority, alias: str) -> dict[str, Issued]:
    """Coordinator certificates that are wrong in exactly one way each."""
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    return {
        "expired": ca.issue_server(
            alias, [alias, *LOCAL_HOSTS], days=1, also_client=True, not_before=long_ago
        ),
        # Names only the in-network alias: internal traffic still verifies, clients on 127.0.0.1 do not.
        # Valid today, but inside the default 30-day expiry horizon.
        "expiring": ca.issue_server(alias, [alias, *LOCAL_HOSTS], days=10, also_client=True),
        # The good certificate's lifetime, so each is wrong only in its own way (not expiring soon).
        "wrong-host": ca.issue_server(alias, [alias], days=90, also_client=True),
        "unknown-ca": CertificateAuthority.create("Unknown CA").issue_server(
            alias, [alias, *LOCAL_HOSTS], days=90, also_client=True
        ),
        # Weak in what the TLS quality checks judge, valid and trusted otherwise: RSA 1024 (the
        # smallest key JDK 25 accepts: jdk.certpath.disabledAlgorithms has "RSA keySize < 1024"),
        # signed with SHA-1 (refused there only for chains to a JDK root CA, "SHA1 jdkCA"), and
        # 400 days long (Mozilla's limit is 398, the baseline's 366): it still clears any horizon.
        "weak": ca.issue_server(
            alias,
            [alias, *LOCAL_HOSTS],
            days=WEAK_LIFETIME_DAYS,
            also_client=True,
            key_bits=WEAK_KEY_BITS,
            sha1=True,
        ),
    }
