"""The Trino CLI: the executable jar ``io.trino:trino-cli`` from Maven Central, run with ``java -jar``.

Secrets: the password through ``TRINO_PASSWORD`` (the CLI's own variable, with ``--password``);
the access token and key store password through a 0600 CLI config file named by
``TRINO_CONFIG`` (CLI 4xx reads option defaults from it), so neither is on the command line; a
Kerberos ticket through its credential cache (``--krb5-credential-cache-path``), asking for
``HTTP@<coordinator alias>``. Impersonation is ``--session-user``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trino_harness.real_clients.credentials import Credentials
from trino_harness.real_clients.process import Invocation, private_file
from trino_harness.real_clients.toolchain import maven_jar, tool_version
from trino_harness.target import Target

NAME = "trino_cli"


@dataclass(frozen=True)
class Prepared:
    jar: Path
    version: str
    runtime: str


def prepare(version: str) -> Prepared:
    jar = maven_jar(f"io.trino:trino-cli:{version}:executable")
    return Prepared(jar, version, tool_version(["java", "-version"]))


def invocation(
    prepared: Prepared, target: Target, creds: Credentials, as_user: str | None, sql: str, workdir: Path
) -> Invocation:
    argv = [
        "java", "-jar", str(prepared.jar), f"--server=https://{target.host}:{target.port}",
        f"--truststore-path={target.ca_path}", f"--execute={sql}", "--output-format=TSV",
        "--source=trino-harness-cli", "--no-progress",
    ]  # fmt: skip
    env: dict[str, str] = {}
    config: list[str] = []
    if creds.password is not None:
        argv += [f"--user={creds.login}", "--password"]
        env["TRINO_PASSWORD"] = creds.password
    if creds.token is not None:
        config.append(f"access-token={creds.token}")
    if creds.cert is not None:
        argv.append(f"--keystore-path={creds.pem_bundle(workdir)}")
    if creds.kerberos is not None:
        krb = creds.kerberos
        argv += [
            f"--krb5-principal={creds.login}", f"--krb5-credential-cache-path={krb.ccache}",
            f"--krb5-config-path={krb.krb5_config}", f"--krb5-remote-service-name={krb.service_name}",
            f"--krb5-service-principal-pattern=${{SERVICE}}@{krb.service_host}",
            "--krb5-disable-remote-service-hostname-canonicalization",
        ]  # fmt: skip
    if as_user:
        argv.append(f"--session-user={as_user}")
    files: tuple[str, ...] = ()
    if config:
        path = private_file(workdir, "trino-cli.config", "\n".join(config) + "\n")
        env["TRINO_CONFIG"] = str(path)
        files = (str(path),)
    return Invocation(tuple(argv), env, files, cwd=str(workdir))


def parse_user(stdout: str) -> str | None:
    lines = [line.strip() for line in stdout.splitlines() if line.strip()]
    return lines[-1] if lines else None
