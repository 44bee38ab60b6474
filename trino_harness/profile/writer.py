"""Write a profile (and the files and variables it names) for a running Target.

``serve`` uses it so the remote path can be proven against a real coordinator: the suites read
the profile exactly as they would a staging cluster's. The profile itself holds no secret;
the values go to ``profile.env`` (0600), keys to 0600 files beside it.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import yaml
from psycopg.conninfo import make_conninfo

from trino_harness.render.files import SECRET_MODE, write_private
from trino_harness.target import OidcTarget, Target

PROFILE_FILE = "profile.yaml"
ENV_FILE = "profile.env"
ENV_PREFIX = "TRINO_HARNESS_"


def env_name(*parts: str) -> str:
    """``TRINO_HARNESS_PW_FILE_ALICE_HARNESS_TEST`` from ``("PW", "file", "alice@harness.test")``."""
    return ENV_PREFIX + "_".join(re.sub(r"[^A-Za-z0-9]+", "_", p).strip("_").upper() for p in parts)


def _copy(source: str, out_dir: Path, name: str, secret: bool = False) -> str:
    destination = out_dir / name
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination)
    destination.chmod(SECRET_MODE if secret else 0o644)
    return name


def write_profile(target: Target, out_dir: Path, name: str) -> tuple[Path, Path]:
    """Write ``profile.yaml`` and ``profile.env`` for ``target`` into ``out_dir``; return both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    out_dir.chmod(0o700)
    env: dict[str, str] = {}
    passwords = []
    for key, value in sorted(target.passwords.items()):
        provider, login = key.split(":", 1)
        variable = env_name("PW", provider, login)
        env[variable] = value
        passwords.append({"provider": provider, "login": login, "password_env": variable})
    certificates = [
        {
            "subject": subject,
            "cert": _copy(cert.cert_path, out_dir, f"certs/{i}.pem"),
            "key": _copy(cert.key_path, out_dir, f"certs/{i}.key", secret=True),
        }
        for i, (subject, cert) in enumerate(sorted(target.client_certs.items()))
    ]
    identities: dict[str, Any] = {"passwords": passwords, "client_certificates": certificates}
    if target.client_ca_key_path:
        identities["client_ca"] = {
            "cert": _copy(target.client_ca_cert_path or target.ca_path, out_dir, "client-ca.pem"),
            "key": _copy(target.client_ca_key_path, out_dir, "client-ca.key", secret=True),
        }
    if target.jwt_private_key_path:
        identities["jwt"] = {
            "private_key": _copy(target.jwt_private_key_path, out_dir, "jwt.key", secret=True)
        }
    coordinator: dict[str, Any] = {
        "url": target.url,
        "ca_bundle": _copy(target.ca_path, out_dir, "ca.pem"),
        "expected_version": target.expected_version,
        "plain_http_port": target.http_port,
        "config_dir": target.config_dir,
        # The served stack is the harness's own: no lockout policy to trip.
        "probe_default_credentials": target.probe_default_credentials or None,
    }
    profile: dict[str, Any] = {
        "name": name,
        "scenario": _copy(target.scenario_path, out_dir, "scenario.yaml"),
        "coordinator": {k: v for k, v in coordinator.items() if v is not None},
        "identities": identities,
        "audit": {"flavour": "none"},
    }
    if target.audit:
        db = target.audit
        env[env_name("AUDIT_DSN")] = make_conninfo(
            host=db.host, port=db.port, dbname=db.dbname, user=db.user, password=db.password
        )
        profile["audit"] = {
            "flavour": db.flavour,
            "dsn_env": env_name("AUDIT_DSN"),
            "sslrootcert": _copy(db.sslrootcert, out_dir, "audit-ca.pem"),
        }
    sources = []
    for source in target.data_sources:
        variable = env_name("SOURCE_DSN", source.catalog)
        env[variable] = make_conninfo(
            host=source.host,
            port=source.port,
            dbname=source.dbname,
            user=source.user,
            password=source.password,
        )
        sources.append(
            {
                "catalog": source.catalog,
                "dsn_env": variable,
                "sslrootcert": _copy(source.sslrootcert, out_dir, f"source-ca-{source.catalog}.pem"),
                "catalog_user": source.catalog_user,
                "probe_table": source.probe_table,
            }
        )
    if sources:
        profile["data_sources"] = sources
    if target.request_log:
        log = target.request_log
        profile["request_log"] = (
            {"container": log.container, "path": log.path} if log.container else {"file": log.path}
        )
    if target.kerberos:
        krb = target.kerberos
        principals = []
        for principal, password in sorted(krb.passwords.items()):
            variable = env_name("KRB", principal)
            env[variable] = password
            principals.append({"principal": principal, "password_env": variable})
        profile["kerberos"] = {
            "realm": krb.realm,
            "service_name": krb.service_name,
            "service_host": krb.service_host,
            "other_service_host": krb.other_service_host,
            "krb5_config": _copy(krb.krb5_config, out_dir, "krb5.conf"),
            "principals": principals,
        }
    if target.oidc:
        profile["oidc"] = _oidc_section(target.oidc, out_dir, env)
    if target.cluster:
        profile["cluster"] = {
            "workers": list(target.cluster.workers),
            "endpoints": [
                {
                    "role": e.role,
                    "alias": e.alias,
                    "url": f"https://{e.host}:{e.port}",
                    **({"plain_http_port": e.plain_http_port} if e.plain_http_port is not None else {}),
                }
                for e in target.cluster.endpoints
            ],
        }
    profile_path = out_dir / PROFILE_FILE
    header = (
        f"# Profile of {name}, written by `python -m trino_harness serve`. Secrets are not here: "
        f"`source {ENV_FILE}` first.\n"
    )
    profile_path.write_text(header + yaml.safe_dump(profile, sort_keys=False))
    env_path = out_dir / ENV_FILE
    write_private(env_path, "".join(f"export {k}={shlex.quote(v)}\n" for k, v in sorted(env.items())))
    return profile_path, env_path


def _oidc_section(oidc: OidcTarget, out_dir: Path, env: dict[str, str]) -> dict[str, Any]:
    env[env_name("OIDC", "CLIENT", oidc.client_id)] = oidc.client_secret
    section: dict[str, Any] = {
        "issuer": oidc.issuer,
        "token_url": oidc.token_url,
        "client_id": oidc.client_id,
        "client_secret_env": env_name("OIDC", "CLIENT", oidc.client_id),
    }
    if oidc.ca_bundle:
        section["ca_bundle"] = _copy(oidc.ca_bundle, out_dir, "oidc-ca.pem")
    for key, client_id, secret in (
        ("other_client", oidc.other_client_id, oidc.other_client_secret),
        ("short_lived_client", oidc.short_lived_client_id, oidc.short_lived_client_secret),
    ):
        if client_id and secret:
            env[env_name("OIDC", "CLIENT", client_id)] = secret
            section[key] = {"client_id": client_id, "secret_env": env_name("OIDC", "CLIENT", client_id)}
    if oidc.other_issuer_token_url:
        section["other_issuer_token_url"] = oidc.other_issuer_token_url
    if oidc.browser_host_rules:
        section["browser_host_rules"] = oidc.browser_host_rules
    users = []
    for username, password in sorted(oidc.passwords.items()):
        env[env_name("OIDC", "PW", username)] = password
        users.append({"username": username, "password_env": env_name("OIDC", "PW", username)})
    section["users"] = users
    return section


def read_env_file(path: Path) -> dict[str, str]:
    """The variables an env file written by :func:`write_profile` exports."""
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if line.startswith("export "):
            (assignment,) = shlex.split(line.removeprefix("export "))
            key, _, value = assignment.partition("=")
            values[key] = value
    return values
