"""What the checks talk to: a coordinator endpoint, identities to present, and an audit source.

The ephemeral reference stack produces one; a remote profile will produce another. Checks
only ever see this, never containers. It is serialised (0600) so pytest-xdist workers attach
to the stack the first worker started.

Longer than the house's 300 lines because it is the whole contract between a cluster and the checks:
every field a check may read, and the capability error that names the profile field when it is missing.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from trino_harness.capabilities import MissingCapability, ReferenceStackOnly
from trino_harness.redaction import register_secret, registered
from trino_harness.render.files import write_private


@dataclass(frozen=True)
class ClientCert:
    cert_path: str
    key_path: str


@dataclass(frozen=True)
class PostgresLogin:
    """A login to a PostgreSQL database over verified TLS (trino_harness/postgres.py connects)."""

    host: str
    port: int
    dbname: str
    user: str
    password: str
    sslrootcert: str


@dataclass(frozen=True)
class AuditDatabase(PostgresLogin):
    flavour: str = "harness"  # the harness's own trino_query_events table, or starburst-event-logger
    table: str | None = None  # starburst-event-logger: its table (default completed_queries)


@dataclass(frozen=True)
class DataSourceMonitor(PostgresLogin):
    """A monitoring login to a catalog's PostgreSQL (pg_monitor): it reads pg_stat_ssl for the
    catalog user's backends while ``probe_table`` (a read that lasts a few seconds) is queried."""

    catalog: str
    catalog_user: str  # the catalog's connection-user, whose backends are judged
    probe_table: str  # schema.table in the catalog, e.g. public.tls_probe (a view over pg_sleep)


@dataclass(frozen=True)
class RequestLogSource:
    """Where the coordinator's HTTP request log is: a file inside a container the harness may exec
    in, or (``container`` None) a local file, e.g. where a remote cluster's logs are shipped."""

    container: str | None
    path: str


@dataclass(frozen=True)
class KerberosTarget:
    """A Kerberos realm the coordinator accepts SPNEGO from, and principals to get tickets for."""

    realm: str
    service_name: str  # the coordinator's principal is <service_name>/<service_host>@<realm>
    service_host: str
    other_service_host: str  # a service principal the KDC holds that is not the coordinator's
    krb5_config: str  # a client krb5.conf whose KDC the harness can reach
    passwords: dict[str, str] = field(default_factory=dict)  # client principal -> password


@dataclass(frozen=True)
class WebUiOAuth2Recipe:
    """What starting one extra coordinator whose Web UI logs in through OAuth2 takes (reference
    stack only): the coordinator's effective etc/ with the UI switched to ``oauth2``, its own alias,
    node environment and certificate. Secrets come from the environment: a shared secret of its
    own (made by the starter) and Trino's OAuth2 client secret (the target's ``oidc.client_secret``)."""

    run_id: str
    network: str
    image: str
    alias: str
    etc_dir: str


@dataclass(frozen=True)
class OidcTarget:
    """An OpenID Connect provider the coordinator accepts OAuth2 access tokens from: where to get
    tokens (password grant), with which clients, for which users; the pieces a negative check
    needs (another audience, a short-lived client, another issuer) are optional."""

    issuer: str
    token_url: str  # the provider's token endpoint as the harness reaches it
    client_id: str
    client_secret: str
    other_client_id: str | None = None  # an app of the same issuer whose tokens are not for Trino
    other_client_secret: str | None = None
    short_lived_client_id: str | None = None  # Trino's audience, access tokens of a second or so
    short_lived_client_secret: str | None = None
    other_issuer_token_url: str | None = None  # another issuer that hands out tokens for client_id
    passwords: dict[str, str] = field(default_factory=dict)  # user name at the provider -> password
    # Chromium --host-resolver-rules so a browser on this machine reaches the issuer's host name.
    browser_host_rules: str | None = None
    ca_bundle: str | None = None  # CA of the provider's certificate; None: the coordinator's CA
    # A coordinator whose Web UI logs in through this provider (web-ui.authentication.type=oauth2):
    # a remote profile names its URL; the reference stack hands a recipe to start one.
    web_ui_url: str | None = None
    web_ui_recipe: WebUiOAuth2Recipe | None = None

    def web_ui_oauth2(self) -> str | WebUiOAuth2Recipe:
        """The URL of a Web UI that logs in through the provider, or the recipe to start one."""
        if self.web_ui_url:
            return self.web_ui_url
        if self.web_ui_recipe is None:
            raise MissingCapability(
                "Web UI that logs in through the OpenID Connect provider (web-ui.authentication.type=oauth2)",
                "oidc.web_ui_url: https://<host:port> (a coordinator with web-ui.authentication.type=oauth2)",
            )
        return self.web_ui_recipe

    def password(self, username: str) -> str:
        try:
            return self.passwords[username]
        except KeyError:
            raise MissingCapability(
                f"password of the OIDC user '{username}'",
                f"oidc.users: {{username: '{username}', password_env: <VARIABLE>}}",
            ) from None

    def other_audience_client(self) -> tuple[str, str]:
        if not (self.other_client_id and self.other_client_secret):
            raise MissingCapability(
                "a second OIDC client of the same issuer (tokens for another audience)",
                "oidc.other_client: {client_id: <id>, secret_env: <VARIABLE>}",
            )
        return self.other_client_id, self.other_client_secret

    def short_lived_client(self) -> tuple[str, str]:
        if not (self.short_lived_client_id and self.short_lived_client_secret):
            raise MissingCapability(
                "an OIDC client with Trino's audience and a short access-token lifespan (expired tokens)",
                "oidc.short_lived_client: {client_id: <id>, secret_env: <VARIABLE>}",
            )
        return self.short_lived_client_id, self.short_lived_client_secret

    def other_issuer(self) -> str:
        if not self.other_issuer_token_url:
            raise MissingCapability(
                "token endpoint of another issuer that knows Trino's client id",
                "oidc.other_issuer_token_url",
            )
        return self.other_issuer_token_url


@dataclass(frozen=True)
class InternalEndpoint:
    """A node's internal HTTP(S) endpoint as the harness can reach it, and the name other nodes use."""

    role: str  # "coordinator" or "worker"
    alias: str  # the host name other nodes call it by: its certificate must name it
    host: str
    port: int
    plain_http_port: int | None = None  # where plain HTTP would listen (probed: must not answer)


@dataclass(frozen=True)
class RogueWorkerRecipe:
    """What starting an extra worker on the cluster's own network takes (reference stack only)."""

    run_id: str
    network: str
    image: str
    etc_dir: str  # a worker's rendered etc/ without any secret: the shared secret comes from the env
    coordinator_container: str  # whose log says why the rogue was refused


@dataclass(frozen=True)
class ClusterTarget:
    """The cluster's nodes as the cluster checks see them."""

    workers: tuple[str, ...]  # node ids that must be ACTIVE workers
    endpoints: tuple[InternalEndpoint, ...] = ()
    rogue: RogueWorkerRecipe | None = None


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    ca_path: str
    expected_version: str | None
    scenario_path: str
    passwords: dict[str, str] = field(default_factory=dict)  # "file:alice@harness.test" -> password
    client_certs: dict[str, ClientCert] = field(default_factory=dict)  # subject -> files
    jwt_private_key_path: str | None = None
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    audit: AuditDatabase | None = None
    request_log: RequestLogSource | None = None
    timings: dict[str, float] = field(default_factory=dict)
    # Plain-HTTP port to probe (None: not declared). The reference stack publishes it even when
    # disabled, so a check can show that nothing answers there.
    http_port: int | None = None
    # A copy of the coordinator's effective etc/ (rendered config + overlay), for static lints.
    config_dir: str | None = None
    # The key of the CA that issues client certificates, to make broken ones (expired, ...).
    client_ca_key_path: str | None = None
    # That CA's certificate, when it is not the CA that signed the coordinator's certificate.
    client_ca_cert_path: str | None = None
    kerberos: KerberosTarget | None = None
    oidc: OidcTarget | None = None
    cluster: ClusterTarget | None = None
    data_sources: tuple[DataSourceMonitor, ...] = ()
    # Logging in with well-known default credentials may count against lockout policies: opt-in.
    probe_default_credentials: bool = False

    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.port}"

    # -- what checks need; each raises MissingCapability naming the profile field to add ----------
    def password(self, provider: str, login: str) -> str:
        try:
            return self.passwords[f"{provider}:{login}"]
        except KeyError:
            raise MissingCapability(
                f"password for the {provider} login '{login}'",
                f"identities.passwords: {{provider: {provider}, login: '{login}', password_env: <VARIABLE>}}",
            ) from None

    def client_cert(self, subject: str) -> ClientCert:
        try:
            return self.client_certs[subject]
        except KeyError:
            raise MissingCapability(
                f"client certificate for '{subject}'",
                f"identities.client_certificates: {{subject: '{subject}', cert: <file>, key: <file>}}",
            ) from None

    def jwt_key(self) -> str:
        """Path of the key that signs test tokens the coordinator must accept."""
        if not self.jwt_private_key_path:
            raise MissingCapability("JWT signing key", "identities.jwt.private_key (a PEM file)")
        return self.jwt_private_key_path

    def client_ca(self) -> tuple[str, str]:
        """(certificate, key) of the CA the coordinator trusts for client certificates."""
        if not self.client_ca_key_path:
            raise MissingCapability(
                "client CA key (needed to make an expired certificate the coordinator would otherwise trust)",
                "identities.client_ca: {cert: <file>, key: <file>}",
            )
        return self.client_ca_cert_path or self.ca_path, self.client_ca_key_path

    def plain_http_port(self) -> int:
        if self.http_port is None:
            raise MissingCapability(
                "plain-HTTP port to probe", "coordinator.plain_http_port (the port HTTP would use, e.g. 8080)"
            )
        return self.http_port

    def coordinator_config(self) -> str:
        if self.config_dir is None:
            raise MissingCapability(
                "copy of the coordinator's configuration",
                "coordinator.config_dir (a local copy of the coordinator's etc/ directory)",
            )
        return self.config_dir

    def version(self) -> str:
        if self.expected_version is None:
            raise MissingCapability("expected Trino version", "coordinator.expected_version")
        return self.expected_version

    def audit_database(self) -> AuditDatabase:
        if self.audit is None:
            raise MissingCapability("audit source", "audit: {flavour: harness, dsn_env: <VARIABLE>}")
        return self.audit

    def data_source_monitors(self) -> tuple[DataSourceMonitor, ...]:
        if not self.data_sources:
            raise MissingCapability(
                "monitoring connection to a catalog's source database (to read pg_stat_ssl)",
                "data_sources: [{catalog: <name>, dsn_env: <VARIABLE>, sslrootcert: <file>, "
                "catalog_user: <connection-user>, probe_table: <schema.table>}]",
            )
        return self.data_sources

    def default_credential_probe(self) -> None:
        """Raise unless the target's owners allow logins with well-known default credentials."""
        if not self.probe_default_credentials:
            raise MissingCapability(
                "consent to probe well-known default credentials (each is a failed login, which may "
                "count toward account lockout)",
                "coordinator.probe_default_credentials: true",
            )

    def request_log_source(self) -> RequestLogSource:
        if self.request_log is None:
            raise MissingCapability(
                "HTTP request log (where failed logins are recorded)",
                "request_log: {file: <local copy of http-request.log>}",
            )
        return self.request_log

    def kerberos_realm(self) -> KerberosTarget:
        if self.kerberos is None:
            raise MissingCapability(
                "Kerberos realm (KDC, service principal, client principals)",
                "kerberos: {realm, service_host, other_service_host, krb5_config, "
                "principals: [{principal, password_env}]}",
            )
        return self.kerberos

    def kerberos_password(self, principal: str) -> str:
        try:
            return self.kerberos_realm().passwords[principal]
        except KeyError:
            raise MissingCapability(
                f"password for the Kerberos principal '{principal}'",
                f"kerberos.principals: {{principal: '{principal}', password_env: <VARIABLE>}}",
            ) from None

    def oidc_provider(self) -> OidcTarget:
        if self.oidc is None:
            raise MissingCapability(
                "OpenID Connect provider (token endpoint, Trino's client, users)",
                "oidc: {issuer, token_url, client_id, client_secret_env, users: [{username, password_env}]}",
            )
        return self.oidc

    def cluster_workers(self) -> tuple[str, ...]:
        if self.cluster is None or not self.cluster.workers:
            raise MissingCapability("list of worker nodes", "cluster.workers: [<node id of each worker>]")
        return self.cluster.workers

    def internal_endpoints(self) -> tuple[InternalEndpoint, ...]:
        if self.cluster is None or not self.cluster.endpoints:
            raise MissingCapability(
                "internal endpoints of the nodes (reachable from the harness)",
                "cluster.endpoints: [{role: worker, alias: <name nodes use>, host: <host>, port: 8443, "
                "plain_http_port: 8080}]",
            )
        return self.cluster.endpoints

    def rogue_worker_recipe(self) -> RogueWorkerRecipe:
        if self.cluster is None or self.cluster.rogue is None:
            raise ReferenceStackOnly(
                "way to start a worker with a wrong shared secret on the cluster's own network",
                "that needs a container on the cluster's network, which a remote cluster's is not the "
                "harness's to join",
            )
        return self.cluster.rogue

    def save(self, path: Path) -> None:
        """Write the description, and beside it (0600) every secret this process registered: the
        processes that load it (xdist workers, the matrix's runs) then mask what only the starter
        generated (the KDC's master password, Keycloak's admin password, the keytab)."""
        write_private(path, json.dumps(asdict(self)))
        write_private(secrets_file(path), json.dumps(registered()))

    @classmethod
    def load(cls, path: Path) -> Target:
        data = json.loads(path.read_text())
        if secrets_file(path).is_file():
            for value in json.loads(secrets_file(path).read_text()):
                register_secret(value)
        for value in data["passwords"].values():
            register_secret(value)
        data["client_certs"] = {k: ClientCert(**v) for k, v in data["client_certs"].items()}
        if data.get("audit"):
            register_secret(data["audit"]["password"])
            data["audit"] = AuditDatabase(**data["audit"])
        if data.get("request_log"):
            data["request_log"] = RequestLogSource(**data["request_log"])
        for source in data.get("data_sources", ()):
            register_secret(source["password"])
        data["data_sources"] = tuple(DataSourceMonitor(**s) for s in data.get("data_sources", ()))
        if data.get("kerberos"):
            for value in data["kerberos"]["passwords"].values():
                register_secret(value)
            data["kerberos"] = KerberosTarget(**data["kerberos"])
        if data.get("oidc"):
            oidc = data["oidc"]
            for value in [*oidc["passwords"].values(), oidc["client_secret"]]:
                register_secret(value)
            for key in ("other_client_secret", "short_lived_client_secret"):
                if oidc.get(key):
                    register_secret(oidc[key])
            if oidc.get("web_ui_recipe"):
                oidc["web_ui_recipe"] = WebUiOAuth2Recipe(**oidc["web_ui_recipe"])
            data["oidc"] = OidcTarget(**oidc)
        if data.get("cluster"):
            cluster = data["cluster"]
            data["cluster"] = ClusterTarget(
                workers=tuple(cluster["workers"]),
                endpoints=tuple(InternalEndpoint(**e) for e in cluster["endpoints"]),
                rogue=RogueWorkerRecipe(**cluster["rogue"]) if cluster.get("rogue") else None,
            )
        return cls(**data)


def secrets_file(target_file: Path) -> Path:
    """Where :meth:`Target.save` keeps the registered secrets beside ``target_file``."""
    return target_file.with_name(target_file.stem + ".secrets.json")
