"""The one list of real clients: name → how to prepare it, invoke it and read its answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trino_harness.real_clients import python_dbapi, trino_cli, trino_go, trino_jdbc
from trino_harness.real_clients.credentials import Credentials
from trino_harness.real_clients.process import Invocation
from trino_harness.target import Target


@dataclass(frozen=True)
class RealClient:
    name: str
    registry: str  # where it comes from, for the docs and the evidence
    prepare: Callable[[str], Any]  # version -> prepared client (has .version and .runtime)
    invocation: Callable[[Any, Target, Credentials, str | None, str, Path], Invocation]
    parse_user: Callable[[str], str | None]


CLIENTS: dict[str, RealClient] = {
    "trino_cli": RealClient(
        "trino_cli", "Maven Central io.trino:trino-cli (executable jar)",
        trino_cli.prepare, trino_cli.invocation, trino_cli.parse_user,
    ),
    "trino_jdbc": RealClient(
        "trino_jdbc", "Maven Central io.trino:trino-jdbc",
        trino_jdbc.prepare, trino_jdbc.invocation, trino_jdbc.parse_user,
    ),
    "trino_python": RealClient(
        "trino_python", "PyPI trino (the harness's own dependency)",
        python_dbapi.prepare_trino, python_dbapi.invocation, python_dbapi.parse_user,
    ),
    "presto_python": RealClient(
        "presto_python", "PyPI presto-python-client (own virtualenv)",
        python_dbapi.prepare_presto, python_dbapi.invocation, python_dbapi.parse_user,
    ),
    "trino_go": RealClient(
        "trino_go", "Go module proxy github.com/trinodb/trino-go-client",
        trino_go.prepare, trino_go.invocation, trino_go.parse_user,
    ),
}  # fmt: skip
