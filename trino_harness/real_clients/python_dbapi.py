"""The Python DB-API clients: ``trino`` (the harness's own dependency) and the legacy
``presto-python-client`` (``prestodb``, PyPI), each run by its own interpreter as a subprocess.

``prestodb`` speaks the Presto protocol: its headers are ``X-Presto-*``, which a Trino
coordinator reads only with ``protocol.v1.alternate-header-name=Presto``; the rows say what a
coordinator without it does with the request.
"""

from __future__ import annotations

import importlib.metadata
import sys
from dataclasses import dataclass
from pathlib import Path

from trino_harness.real_clients.answer import program_answer
from trino_harness.real_clients.credentials import Credentials
from trino_harness.real_clients.process import Invocation
from trino_harness.real_clients.toolchain import PROGRAMS, python_venv
from trino_harness.target import Target

parse_answer = program_answer  # the program prints HARNESS-USER or one HARNESS-ERROR JSON line
SCRIPT = PROGRAMS / "harness_dbapi.py"


@dataclass(frozen=True)
class Prepared:
    python: str
    module: str
    version: str
    runtime: str


def prepare_trino(_version: str | None = None) -> Prepared:
    """The ``trino`` package of the harness's own virtualenv (its version is the installed one)."""
    version = importlib.metadata.version("trino")
    return Prepared(sys.executable, "trino", version, f"Python {sys.version.split()[0]}")


def prepare_presto(version: str) -> Prepared:
    return Prepared(str(python_venv("presto-python-client", version)), "prestodb", version, "own venv")


def invocation(
    prepared: Prepared, target: Target, creds: Credentials, as_user: str | None, sql: str, workdir: Path
) -> Invocation:
    argv = [
        prepared.python, str(SCRIPT), f"--module={prepared.module}", f"--host={target.host}",
        f"--port={target.port}", f"--ca={target.ca_path}", f"--sql={sql}",
    ]  # fmt: skip
    env: dict[str, str] = {}
    if creds.password is not None:
        argv.append(f"--login={creds.login}")
        env["HARNESS_PASSWORD"] = creds.password
    if creds.token is not None:
        env["HARNESS_ACCESS_TOKEN"] = creds.token
    if creds.cert is not None:
        argv += [f"--cert={creds.cert.cert_path}", f"--key={creds.cert.key_path}"]
    if creds.kerberos is not None:
        krb = creds.kerberos
        argv += [f"--krb5-principal={creds.login}", f"--krb5-service={krb.service_name}@{krb.service_host}"]
        env |= krb.environment()
    if as_user:
        argv.append(f"--user={as_user}")
    return Invocation(tuple(argv), env, (), cwd=str(workdir))
