"""The one list of real clients: name → how to prepare it, invoke it and read its answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trino_harness.real_clients import python_dbapi, trino_cli, trino_go, trino_jdbc
from trino_harness.real_clients.credentials import Credentials
from trino_harness.real_clients.process import Invocation, ParseAnswer
from trino_harness.target import Target


@dataclass(frozen=True)
class RealClient:
    name: str
    registry: str  # where it comes from, for the docs and the evidence
    prepare: Callable[[str], Any]  # version -> prepared client (has .version and .runtime)
    invocation: Callable[[Any, Target, Credentials, str | None, str, Path], Invocation]
    parse_answer: ParseAnswer  # (exit code, stdout, stderr) -> the run's parsed answer


def _client(name: str, registry: str, module: Any, prepare: Callable[[str], Any] | None = None) -> RealClient:
    """A client module's three functions (``prepare`` may be one of several the module offers)."""
    return RealClient(name, registry, prepare or module.prepare, module.invocation, module.parse_answer)


CLIENTS: dict[str, RealClient] = {
    client.name: client
    for client in (
        _client("trino_cli", "Maven Central io.trino:trino-cli (executable jar)", trino_cli),
        _client("trino_jdbc", "Maven Central io.trino:trino-jdbc", trino_jdbc),
        _client(
            "trino_python",
            "PyPI trino (the harness's own dependency)",
            python_dbapi,
            python_dbapi.prepare_trino,
        ),
        _client(
            "presto_python",
            "PyPI presto-python-client (own virtualenv)",
            python_dbapi,
            python_dbapi.prepare_presto,
        ),
        _client("trino_go", "Go module proxy github.com/trinodb/trino-go-client", trino_go),
    )
}
