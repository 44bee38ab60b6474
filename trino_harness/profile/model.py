"""The typed profile of an existing cluster: where it is, how to log in, where its audit lands.

Secrets never live in the file: passwords and database DSNs are names of environment variables,
keys are files. A profile that writes a secret literally is refused with the field and the fix,
before anything is sent anywhere.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
SECRET_KEYS = {"password", "passphrase", "secret", "token", "client_secret", "dsn", "private_key_pem"}
PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def literal_secrets(data: Any, where: str = "") -> list[str]:
    """Fields that hold a secret literally (recursively), as ``field.path: fix``."""
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            path = f"{where}.{key}" if where else str(key)
            if str(key).lower() in SECRET_KEYS and isinstance(value, (str, int)):
                found.append(
                    f"{path}: a secret written in the profile; put it in an environment variable and "
                    f"write {key}_env: <VARIABLE> instead"
                )
            else:
                found += literal_secrets(value, path)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += literal_secrets(value, f"{where}[{i}]")
    elif isinstance(data, str) and PRIVATE_KEY.search(data):
        found.append(
            f"{where}: a private key written in the profile; write it to a 0600 file and name the file"
        )
    return found


class Coordinator(Strict):
    url: str = Field(pattern=r"^https://[^/\s]+$", description="https://host:port of the coordinator")
    ca_bundle: str = Field(description="PEM file that verifies the coordinator's certificate")
    expected_version: str | None = Field(None, pattern=r"^[0-9]{3}(-e(\.[0-9]+)?)?$")
    plain_http_port: int | None = Field(
        None,
        ge=1,
        le=65535,
        description="port plain HTTP would use; checks prove nothing serves it",
    )
    config_dir: str | None = Field(None, description="local copy of the coordinator's etc/ for static lints")
    probe_default_credentials: bool = Field(
        False, description="opt in: log in with well-known default credentials (each a failed login)"
    )


class PasswordIdentity(Strict):
    provider: Literal["file", "ldap"]
    login: str = Field(min_length=1)
    password_env: str = Field(pattern=ENV_NAME)


class CertificateIdentity(Strict):
    subject: str = Field(description="RFC 4514 subject, as listed under the scenario's certificates")
    cert: str
    key: str


class ClientCa(Strict):
    cert: str
    key: str


class JwtIdentity(Strict):
    private_key: str = Field(description="PEM file with the key whose public half the coordinator trusts")


class Identities(Strict):
    passwords: tuple[PasswordIdentity, ...] = ()
    client_certificates: tuple[CertificateIdentity, ...] = ()
    client_ca: ClientCa | None = None
    jwt: JwtIdentity | None = None

    @model_validator(mode="after")
    def _unique(self) -> Identities:
        seen: set[tuple[str, str]] = set()
        for i, entry in enumerate(self.passwords):
            if (entry.provider, entry.login) in seen:
                raise ValueError(f"passwords[{i}]: {entry.provider} login '{entry.login}' is listed twice")
            seen.add((entry.provider, entry.login))
        return self


class Audit(Strict):
    """Where the cluster's audit records are: the harness's collector table (``harness``), the
    Starburst Enterprise event logger's table (``starburst-event-logger``; docs/remote-targets.md
    says what it can judge), or nowhere the harness may read (``none``: the audit checks skip)."""

    flavour: Literal["harness", "starburst-event-logger", "none"]
    dsn_env: str | None = Field(
        None, pattern=ENV_NAME, description="variable holding a libpq DSN or URI (with the password)"
    )
    sslrootcert: str | None = Field(None, description="CA file for the database's certificate")
    table: str | None = Field(
        None,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}$",
        description="starburst-event-logger: the event logger's table, e.g. completed_queries (the "
        "default) or backend_svc.public.completed_queries",
    )

    @model_validator(mode="after")
    def _usable(self) -> Audit:
        if self.flavour != "none" and not self.dsn_env:
            raise ValueError(
                f"flavour {self.flavour} needs dsn_env: the variable holding the audit database DSN"
            )
        if self.table and self.flavour != "starburst-event-logger":
            raise ValueError("table: only flavour starburst-event-logger reads a table of your choice")
        return self


class DataSource(Strict):
    """A monitoring login to a catalog's PostgreSQL, for the live data-source TLS check."""

    catalog: str = Field(min_length=1, description="the Trino catalog that reads this database")
    dsn_env: str = Field(pattern=ENV_NAME, description="variable holding a libpq DSN of a pg_monitor role")
    sslrootcert: str = Field(description="CA file for the database's certificate")
    catalog_user: str = Field(min_length=1, description="the catalog's connection-user")
    probe_table: str = Field(
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$",
        description="schema.table whose read lasts a few seconds (e.g. a view over pg_sleep(2))",
    )


class RequestLog(Strict):
    file: str | None = Field(None, description="local copy of the coordinator's http-request.log")
    container: str | None = Field(None, description="Docker container of a local coordinator")
    path: str = "/data/trino/var/log/http-request.log"

    @model_validator(mode="after")
    def _one(self) -> RequestLog:
        if (self.file is None) == (self.container is None):
            raise ValueError(
                "name exactly one of file (a local copy) or container (a local Docker coordinator)"
            )
        return self


class KerberosPrincipalSecret(Strict):
    principal: str = Field(min_length=1, description="client principal, as listed under kerberos.principals")
    password_env: str = Field(pattern=ENV_NAME)


class KerberosRealm(Strict):
    """The realm the coordinator accepts SPNEGO from; the harness gets tickets with kinit."""

    realm: str = Field(min_length=1)
    service_name: str = "HTTP"
    service_host: str = Field(description="host part of the coordinator's principal, e.g. trino.example.com")
    other_service_host: str = Field(description="host of another service principal the KDC holds")
    krb5_config: str = Field(description="client krb5.conf whose KDC this machine can reach")
    principals: tuple[KerberosPrincipalSecret, ...] = ()


class OidcUserSecret(Strict):
    username: str = Field(min_length=1, description="user name at the provider, as listed under oidc.users")
    password_env: str = Field(pattern=ENV_NAME)


class OidcClientRef(Strict):
    client_id: str = Field(min_length=1)
    secret_env: str = Field(pattern=ENV_NAME)


class OidcProvider(Strict):
    """The OpenID Connect provider the coordinator accepts access tokens from; the harness gets
    tokens with the password grant (the client must allow it)."""

    issuer: str = Field(
        description="the issuer Trino is configured with (http-server.authentication.oauth2.issuer)"
    )
    token_url: str = Field(description="the provider's token endpoint as this machine reaches it")
    ca_bundle: str | None = Field(
        None, description="CA of the provider's certificate (default: the coordinator's)"
    )
    client_id: str = Field(min_length=1)
    client_secret_env: str = Field(pattern=ENV_NAME)
    other_client: OidcClientRef | None = Field(None, description="another app of the issuer (other audience)")
    short_lived_client: OidcClientRef | None = Field(
        None, description="a client with Trino's audience and access tokens of a few seconds"
    )
    other_issuer_token_url: str | None = Field(None, description="token endpoint of another issuer")
    browser_host_rules: str | None = Field(None, description="Chromium --host-resolver-rules, if needed")
    web_ui_url: str | None = Field(
        None,
        pattern=r"^https://[^/\s]+$",
        description="https://host:port of a coordinator whose web-ui.authentication.type=oauth2 "
        "(the Web UI OAuth2 login checks)",
    )
    users: tuple[OidcUserSecret, ...] = ()


class ClusterEndpoint(Strict):
    """A node's internal endpoint, reachable from where the harness runs."""

    role: Literal["coordinator", "worker"]
    alias: str = Field(min_length=1, description="the name other nodes call it by (its certificate's SAN)")
    url: str = Field(pattern=r"^https://[^/\s]+$", description="https://host:port the harness reaches it at")
    plain_http_port: int | None = Field(
        None, description="where plain HTTP would listen (probed: must not answer)"
    )


class ClusterNodes(Strict):
    """The cluster's workers, for the cluster checks (``-m cluster``)."""

    workers: tuple[str, ...] = Field(min_length=1, description="node ids that must be ACTIVE workers")
    endpoints: tuple[ClusterEndpoint, ...] = ()


class Profile(Strict):
    """An existing cluster and the scenario (same schema as scenarios/baseline.yaml) it must satisfy."""

    name: str = Field(min_length=1)
    scenario: str = Field(description="scenario file with the users, rules and expectation tables")
    coordinator: Coordinator
    identities: Identities = Identities()
    audit: Audit = Audit(flavour="none")
    request_log: RequestLog | None = None
    kerberos: KerberosRealm | None = None
    oidc: OidcProvider | None = None
    cluster: ClusterNodes | None = None
    data_sources: tuple[DataSource, ...] = ()

    @field_validator("name")
    @classmethod
    def _printable(cls, value: str) -> str:
        if not value.isprintable():
            raise ValueError("must be printable")
        return value
