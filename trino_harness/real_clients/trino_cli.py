"""The Trino CLI: the executable jar ``io.trino:trino-cli`` from Maven Central, run with ``java -jar``.

Secrets: the password through ``TRINO_PASSWORD`` (the CLI's own variable, with ``--password``);
the access token and key store password through a 0600 CLI config file named by
``TRINO_CONFIG`` (CLI 4xx reads option defaults from it), so neither is on the command line; a
Kerberos ticket through its credential cache (``--krb5-credential-cache-path``), asking for
``HTTP@<coordinator alias>``. Impersonation is ``--session-user``.

``--user`` is the session user too (X-Trino-User), whatever the way in, and defaults to the OS
user: beside a token, a certificate or a ticket the CLI would ask to act as ``root``, and an
accepted login would then come back as an impersonation denial. So the login's own name is
always passed (``Credentials.user_name``).

The CLI prints no error name, so its answer is read from its fixed lines, with ``--debug`` (Trino
CLI 476, ``io.trino.cli``), anchored to whole lines (ANSI colours removed):

- ``io.trino.client.ClientException: Authentication failed[: <body>]``: the only source of that
  message is ``StatementClientV1.requestFailedException`` for HTTP 401 (``Error running command:
  Authentication failed…`` in CLIs before 4xx, plain ``Authentication failed…`` without
  ``--debug``);
- ``Query <id> failed: <message>`` (``Query.renderFailure``): the login was accepted and the query
  failed; with ``--debug`` the next line is the failure's ``<type>: <message>``, and
  ``io.trino.spi.security.AccessDeniedException`` is Trino's ``PERMISSION_DENIED`` (without that
  line, its fixed ``Access Denied: `` prefix says the same);
- a clean exit with exactly one output line (TSV, no header): the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from trino_harness.real_clients.answer import Answer
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
        "--source=trino-harness-cli", "--no-progress", "--debug", f"--user={creds.user_name}",
    ]  # fmt: skip
    env: dict[str, str] = {}
    config: list[str] = []
    if creds.password is not None:
        argv.append("--password")  # Basic auth as --user, which is the login's own name here
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


_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_LOGIN_REFUSED = re.compile(
    r"^(?:Error running command: )?(?:io\.trino\.client\.ClientException: )?"
    r"Authentication failed(?:: (?P<said>.*))?$"
)
_QUERY_FAILED = re.compile(r"^Query (?P<id>\S+) failed: (?P<said>.*)$")
_FAILURE = re.compile(r"^(?P<type>[a-z_][\w$]*(?:\.[\w$]+)+): (?P<said>.*)$")
# Trino's exception types whose error name is fixed (the CLI prints types, not names)
ERROR_NAME_OF_TYPE = {"io.trino.spi.security.AccessDeniedException": "PERMISSION_DENIED"}
ACCESS_DENIED_PREFIX = "Access Denied: "  # AccessDeniedException's own prefix (PERMISSION_DENIED)


def _failed_query(match: re.Match[str], next_line: str) -> Answer:
    said = match["said"]
    failure = _FAILURE.match(next_line)
    if failure and failure["said"] == said:
        name = ERROR_NAME_OF_TYPE.get(failure["type"])
        said = said if name else f"{failure['type']}: {said}"
    else:
        name = "PERMISSION_DENIED" if said.startswith(ACCESS_DENIED_PREFIX) else None
    return Answer(error_name=name, query_id=match["id"], said=said)


def parse_answer(returncode: int, stdout: str, stderr: str) -> Answer:
    """The CLI's answer from its fixed lines only; anything else is an empty answer (no verdict)."""
    out = [line.strip() for line in _ANSI.sub("", stdout).splitlines() if line.strip()]
    err = [line.rstrip() for line in _ANSI.sub("", stderr).splitlines() if line.strip()]
    if returncode == 0:
        if len(out) == 1:
            return Answer(user=out[0])
        return Answer(said=f"exit 0 with {len(out)} output lines (one user expected)")
    found: list[Answer] = []
    for index, line in enumerate(err):
        if refused := _LOGIN_REFUSED.match(line):
            found.append(Answer(http_status=401, said=refused["said"] or ""))
        elif failed := _QUERY_FAILED.match(line):
            found.append(_failed_query(failed, err[index + 1] if index + 1 < len(err) else ""))
    distinct = set(found)
    if len(distinct) == 1:
        return found[0]
    first = err[0][:200] if err else "no output"
    return Answer(said=f"exit {returncode}, {len(distinct)} known error lines; first line: {first}")
