"""Profile file → validated model → :class:`~trino_harness.target.Target`, without Docker.

Relative paths are resolved against the profile's directory; every file and environment
variable the profile names must exist, and an error says which field to fix and how.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from psycopg.conninfo import conninfo_to_dict

from trino_harness.profile.model import Profile, literal_secrets
from trino_harness.redaction import register_secret
from trino_harness.scenario.loader import ScenarioError, load_scenario
from trino_harness.target import (
    AuditDatabase,
    ClientCert,
    ClusterTarget,
    DataSourceMonitor,
    InternalEndpoint,
    KerberosTarget,
    OidcTarget,
    RequestLogSource,
    Target,
)
from trino_harness.yaml_model import load_yaml_model


class ProfileError(ValueError):
    """A profile file is unreadable, invalid, or names a file or variable that is not there."""


class _Resolver:
    """Turns the profile's references into absolute paths and secret values, collecting problems."""

    def __init__(self, path: Path, env: Mapping[str, str]) -> None:
        self.base = path.resolve().parent
        self.env = env
        self.problems: list[str] = []

    def file(self, field: str, value: str) -> str:
        resolved = (self.base / value).resolve()
        if not resolved.is_file() and not resolved.is_dir():
            self.problems.append(f"{field}: {value} does not exist (relative paths start at {self.base})")
        return str(resolved)

    def secret(self, field: str, variable: str) -> str:
        value = self.env.get(variable)
        if not value:
            self.problems.append(
                f"{field}: environment variable {variable} is not set; export it before the run "
                "(the profile only names the variable that holds the secret)"
            )
            return ""
        return register_secret(value)


def load_profile(path: Path | str) -> Profile:
    path = Path(path)
    return load_yaml_model(path, Profile, "profile", ProfileError, precheck=literal_secrets)


def profile_scenario_path(path: Path | str) -> Path:
    """The scenario file a profile names, resolved against the profile's directory."""
    path = Path(path)
    return (path.resolve().parent / load_profile(path).scenario).resolve()


def _audit(profile: Profile, r: _Resolver) -> AuditDatabase | None:
    audit = profile.audit
    if audit.flavour == "none" or audit.dsn_env is None:
        return None
    dsn = r.secret("audit.dsn_env", audit.dsn_env)
    if not dsn:
        return None
    try:
        parts = conninfo_to_dict(dsn)
    except Exception:  # psycopg raises ProgrammingError with the DSN in it: never echo it
        r.problems.append(
            f"audit.dsn_env: {audit.dsn_env} does not hold a valid libpq DSN or postgresql:// URI"
        )
        return None
    if parts.get("password"):
        register_secret(str(parts["password"]))
    missing = [key for key in ("host", "dbname", "user", "password") if not parts.get(key)]
    if missing:
        r.problems.append(f"audit.dsn_env: the DSN in {audit.dsn_env} lacks {', '.join(missing)}")
    root = audit.sslrootcert or parts.get("sslrootcert")
    if not root:
        r.problems.append(
            "audit.sslrootcert: the harness verifies the audit database's certificate (verify-full); "
            "name the CA file that signed it"
        )
        return None
    return AuditDatabase(
        host=str(parts.get("host", "")),
        port=int(parts.get("port") or 5432),
        dbname=str(parts.get("dbname", "")),
        user=str(parts.get("user", "")),
        password=str(parts.get("password", "")),
        sslrootcert=r.file("audit.sslrootcert", str(root)),
        flavour=audit.flavour,
        table=audit.table,
    )


def _data_sources(profile: Profile, r: _Resolver) -> tuple[DataSourceMonitor, ...]:
    found = []
    for i, source in enumerate(profile.data_sources):
        where = f"data_sources[{i}]"
        dsn = r.secret(f"{where}.dsn_env", source.dsn_env)
        if not dsn:
            continue
        try:
            parts = conninfo_to_dict(dsn)
        except Exception:  # the error text would carry the DSN: never echo it
            r.problems.append(f"{where}.dsn_env: {source.dsn_env} does not hold a valid libpq DSN")
            continue
        if parts.get("password"):
            register_secret(str(parts["password"]))
        missing = [key for key in ("host", "dbname", "user", "password") if not parts.get(key)]
        if missing:
            r.problems.append(f"{where}.dsn_env: the DSN in {source.dsn_env} lacks {', '.join(missing)}")
            continue
        found.append(
            DataSourceMonitor(
                catalog=source.catalog,
                host=str(parts["host"]),
                port=int(parts.get("port") or 5432),
                dbname=str(parts["dbname"]),
                user=str(parts["user"]),
                password=str(parts["password"]),
                sslrootcert=r.file(f"{where}.sslrootcert", source.sslrootcert),
                catalog_user=source.catalog_user,
                probe_table=source.probe_table,
            )
        )
    return tuple(found)


def _kerberos(profile: Profile, r: _Resolver) -> KerberosTarget | None:
    krb = profile.kerberos
    if krb is None:
        return None
    return KerberosTarget(
        realm=krb.realm,
        service_name=krb.service_name,
        service_host=krb.service_host,
        other_service_host=krb.other_service_host,
        krb5_config=r.file("kerberos.krb5_config", krb.krb5_config),
        passwords={
            p.principal: r.secret(f"kerberos.principals[{i}].password_env", p.password_env)
            for i, p in enumerate(krb.principals)
        },
    )


def _oidc(profile: Profile, r: _Resolver) -> OidcTarget | None:
    oidc = profile.oidc
    if oidc is None:
        return None
    other, short = oidc.other_client, oidc.short_lived_client
    return OidcTarget(
        issuer=oidc.issuer,
        token_url=oidc.token_url,
        client_id=oidc.client_id,
        client_secret=r.secret("oidc.client_secret_env", oidc.client_secret_env),
        other_client_id=other.client_id if other else None,
        other_client_secret=r.secret("oidc.other_client.secret_env", other.secret_env) if other else None,
        short_lived_client_id=short.client_id if short else None,
        short_lived_client_secret=(
            r.secret("oidc.short_lived_client.secret_env", short.secret_env) if short else None
        ),
        other_issuer_token_url=oidc.other_issuer_token_url,
        passwords={
            u.username: r.secret(f"oidc.users[{i}].password_env", u.password_env)
            for i, u in enumerate(oidc.users)
        },
        browser_host_rules=oidc.browser_host_rules,
        web_ui_url=oidc.web_ui_url,
        ca_bundle=r.file("oidc.ca_bundle", oidc.ca_bundle) if oidc.ca_bundle else None,
    )


def _cluster(profile: Profile) -> ClusterTarget | None:
    nodes = profile.cluster
    if nodes is None:
        return None
    endpoints = []
    for e in nodes.endpoints:
        url = urlsplit(e.url)
        endpoints.append(
            InternalEndpoint(e.role, e.alias, url.hostname or "", url.port or 443, e.plain_http_port)
        )
    # No rogue worker: a remote cluster's network is not the harness's to join.
    return ClusterTarget(workers=nodes.workers, endpoints=tuple(endpoints))


def target_from_profile(path: Path | str, env: Mapping[str, str] | None = None) -> Target:
    """The Target a profile describes; raises ProfileError listing every problem at once."""
    path = Path(path)
    profile = load_profile(path)
    r = _Resolver(path, os.environ if env is None else env)
    scenario_path = r.file("scenario", profile.scenario)
    scenario = None
    if not r.problems:
        try:
            scenario = load_scenario(scenario_path)
        except ScenarioError as exc:
            r.problems.append(f"scenario: {exc}")
    url = urlsplit(profile.coordinator.url)
    ids = profile.identities
    passwords = {
        f"{p.provider}:{p.login}": r.secret(f"identities.passwords[{i}].password_env", p.password_env)
        for i, p in enumerate(ids.passwords)
    }
    certs = {
        c.subject: ClientCert(
            r.file(f"identities.client_certificates[{i}].cert", c.cert),
            r.file(f"identities.client_certificates[{i}].key", c.key),
        )
        for i, c in enumerate(ids.client_certificates)
    }
    log = profile.request_log
    ca = ids.client_ca
    target = Target(
        host=url.hostname or "",
        port=url.port or 443,
        ca_path=r.file("coordinator.ca_bundle", profile.coordinator.ca_bundle),
        expected_version=profile.coordinator.expected_version,
        scenario_path=scenario_path,
        passwords=passwords,
        client_certs=certs,
        jwt_private_key_path=r.file("identities.jwt.private_key", ids.jwt.private_key) if ids.jwt else None,
        jwt_issuer=scenario.jwt.issuer if scenario else None,
        jwt_audience=scenario.jwt.audience if scenario else None,
        audit=_audit(profile, r),
        data_sources=_data_sources(profile, r),
        request_log=(
            None
            if log is None
            else RequestLogSource(container=None, path=r.file("request_log.file", log.file))
            if log.file
            else RequestLogSource(container=log.container, path=log.path)
        ),
        http_port=profile.coordinator.plain_http_port,
        probe_default_credentials=profile.coordinator.probe_default_credentials,
        config_dir=(
            r.file("coordinator.config_dir", profile.coordinator.config_dir)
            if profile.coordinator.config_dir
            else None
        ),
        client_ca_key_path=r.file("identities.client_ca.key", ca.key) if ca else None,
        client_ca_cert_path=r.file("identities.client_ca.cert", ca.cert) if ca else None,
        kerberos=_kerberos(profile, r),
        oidc=_oidc(profile, r),
        cluster=_cluster(profile),
    )
    if r.problems:
        raise ProfileError("invalid profile\n" + "\n".join(f"{path}: {line}" for line in r.problems))
    return target
