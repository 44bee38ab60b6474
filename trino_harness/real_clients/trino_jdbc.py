"""The JDBC driver ``io.trino:trino-jdbc`` from Maven Central, driven the way a BI tool drives it.

A small Java program (``programs/HarnessJdbc.java``, compiled at first use with the machine's
``javac``) calls ``DriverManager.getConnection(url, properties)``: the URL carries ``SSL``,
``SSLTrustStorePath``, ``user``, ``sessionUser``, ``SSLKeyStorePath`` and the ``Kerberos*``
properties (a ticket cache, never a password); the secrets
(``password``, ``accessToken``) come from a 0600 properties file loaded into the Properties.

Why a JVM program and not JayDeBeApi/JPype: one JVM per invocation keeps each driver version on
its own class path (JPype starts one JVM per Python process, with one class path, so two driver
versions could not be compared in one run), and a driver crash cannot take the test run down.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from trino_harness.real_clients.answer import program_answer
from trino_harness.real_clients.credentials import Credentials
from trino_harness.real_clients.process import Invocation, private_file
from trino_harness.real_clients.toolchain import PROGRAMS, javac_classes, maven_jar, tool_version
from trino_harness.target import Target

NAME = "trino_jdbc"
parse_answer = program_answer  # the program prints HARNESS-USER or one HARNESS-ERROR JSON line


@dataclass(frozen=True)
class Prepared:
    classpath: str
    version: str
    runtime: str


def prepare(version: str) -> Prepared:
    driver = maven_jar(f"io.trino:trino-jdbc:{version}")
    program = javac_classes(PROGRAMS / "HarnessJdbc.java")
    return Prepared(f"{program}:{driver}", version, tool_version(["java", "-version"]))


def invocation(
    prepared: Prepared, target: Target, creds: Credentials, as_user: str | None, sql: str, workdir: Path
) -> Invocation:
    url_properties = {"SSL": "true", "SSLTrustStorePath": target.ca_path, "source": "trino-harness-jdbc"}
    secret_properties: dict[str, str] = {}
    if creds.password is not None:
        url_properties["user"] = creds.login
        secret_properties["password"] = creds.password
    if creds.token is not None:
        secret_properties["accessToken"] = creds.token
    if creds.cert is not None:
        url_properties["SSLKeyStorePath"] = str(creds.pem_bundle(workdir))
    if creds.kerberos is not None:
        krb = creds.kerberos
        url_properties |= {
            "KerberosPrincipal": creds.login,
            "KerberosCredentialCachePath": krb.ccache,
            "KerberosConfigPath": krb.krb5_config,
            "KerberosRemoteServiceName": krb.service_name,
            "KerberosServicePrincipalPattern": f"${{SERVICE}}@{krb.service_host}",
            "KerberosUseCanonicalHostname": "false",
        }
    if as_user:
        url_properties["sessionUser"] = as_user
    query = "&".join(f"{k}={quote(v, safe='/@.-_')}" for k, v in url_properties.items())
    url = f"jdbc:trino://{target.host}:{target.port}?{query}"
    properties = private_file(
        workdir, "jdbc.properties", "".join(f"{k}={_escaped(v)}\n" for k, v in secret_properties.items())
    )
    argv = ("java", "-cp", prepared.classpath, "HarnessJdbc", url, str(properties), sql)
    return Invocation(argv, {}, (str(properties),), cwd=str(workdir))


def _escaped(value: str) -> str:
    """A value as java.util.Properties reads it back unchanged."""
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("=", "\\=").replace(":", "\\:")
