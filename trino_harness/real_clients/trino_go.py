"""The Go client ``github.com/trinodb/trino-go-client``: a tiny ``database/sql`` program built at
first use with the machine's Go (``GOTOOLCHAIN=local``: no toolchain download).

The Go client has no separate session user: the DSN's user is both the Basic-auth login and
``X-Trino-User``. So it impersonates only beside a token (the DSN user is then the requested
user); with a password it logs in as itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trino_harness.real_clients.answer import program_answer
from trino_harness.real_clients.credentials import Credentials
from trino_harness.real_clients.process import Invocation
from trino_harness.real_clients.toolchain import PROGRAMS, go_program, tool_version
from trino_harness.target import Target

MODULE = "github.com/trinodb/trino-go-client"
parse_answer = program_answer  # the program prints HARNESS-USER or one HARNESS-ERROR JSON line


class CannotExpress(ValueError):
    """The row asks for something this client cannot express (the check skips, saying what)."""


class CannotImpersonateWithPassword(CannotExpress):
    """A password login acting as another user."""


@dataclass(frozen=True)
class Prepared:
    binary: Path
    version: str
    runtime: str


def prepare(version: str) -> Prepared:
    binary = go_program(PROGRAMS / "harness_trino_go.go", MODULE, version)
    return Prepared(binary, version, tool_version(["go", "version"]))


def invocation(
    prepared: Prepared, target: Target, creds: Credentials, as_user: str | None, sql: str, workdir: Path
) -> Invocation:
    if creds.kerberos is not None:
        raise CannotExpress(
            "trino-go-client's Kerberos login reads a keytab (KerberosKeytabPath), and the harness "
            "hands clients a ticket cache from the principal's password"
        )
    argv = [str(prepared.binary), f"-server={target.host}:{target.port}", f"-ca={target.ca_path}"]
    argv.append(f"-sql={sql}")
    env: dict[str, str] = {}
    if creds.password is not None:
        if as_user and as_user != creds.login:
            raise CannotImpersonateWithPassword(
                "trino-go-client sends its DSN user as both the Basic-auth login and X-Trino-User: "
                "it cannot log in as one user and act as another with a password"
            )
        argv.append(f"-user={creds.login}")
        env["HARNESS_PASSWORD"] = creds.password
    elif as_user:
        argv.append(f"-user={as_user}")
    if creds.token is not None:
        env["HARNESS_ACCESS_TOKEN"] = creds.token
    if creds.cert is not None:
        argv += [f"-cert={creds.cert.cert_path}", f"-key={creds.cert.key_path}"]
    return Invocation(tuple(argv), env, (), cwd=str(workdir))
