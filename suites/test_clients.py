"""Real clients: the Trino CLI, the JDBC driver, the Python and Go clients get in as the declared user.

Each row of ``scenario.clients`` is tried by each client it names, as a subprocess with a
timeout, at the pinned version (``clients.versions``, or ``--client-version CLIENT=VERSION``).
Secrets reach a client only through its environment or 0600 files. The evidence of every
verdict names the client's version, its invocation (secrets masked) and what it answered.

A verdict is made only from the client's parsed answer (``real_clients/verdict.py``): a refused
login is HTTP 401, a denied impersonation Trino's PERMISSION_DENIED naming the user asked for;
silence, a timeout, a crash or another error is no verdict (ERROR). A client that cannot be had
here skips with the reason, and cannot judge under CI.

Each case carries ``clients(client=…, way=…, principal=…, outcome=…)``, so a variant runs only the
rows it turns red: ``-m "clients(way='certificate', outcome='refused')"``.
"""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

from fixtures.parametrize import Table
from trino_harness.evidence import cannot_judge
from trino_harness.reachability import unreachable
from trino_harness.real_clients.credentials import credentials
from trino_harness.real_clients.process import run
from trino_harness.real_clients.registry import CLIENTS
from trino_harness.real_clients.toolchain import ClientUnavailable
from trino_harness.real_clients.trino_go import CannotExpress
from trino_harness.real_clients.verdict import judge
from trino_harness.scenario.clients import ClientCase
from trino_harness.scenario.model import Scenario

pytestmark = pytest.mark.clients

SQL = "SELECT current_user"

_prepared: dict[tuple[str, str], Any] = {}


def _cases(scenario: Scenario, _test: str) -> list[Any]:
    return [pytest.param(c, marks=pytest.mark.clients(**c.selectors())) for c in scenario.clients.cases()]


def _case_id(param: Any, _test: str) -> str:
    return str(param.values[0].test_id())


TABLES = (
    Table(
        "client_case",
        _cases,
        _case_id,
        empty="the scenario's clients.rows has no rows: add rows there for the real clients to be judged",
    ),
)


@pytest.fixture(scope="session")
def client_versions(pytestconfig: pytest.Config) -> dict[str, str]:
    from trino_harness.run_scenario import client_versions

    return client_versions(pytestconfig)


def _prepared_client(name: str, version: str, measure: Any) -> Any:
    """The client ready to run (downloaded/built once per process); unavailable: skip, or no verdict in CI."""
    key = (name, version)
    if key not in _prepared:
        started = time.monotonic()
        try:
            _prepared[key] = CLIENTS[name].prepare(version)
            measure(f"real client {name} {version}: preparation (s)", time.monotonic() - started)
        except ClientUnavailable as exc:
            _prepared[key] = exc
    found = _prepared[key]
    if isinstance(found, ClientUnavailable):
        reason = f"client {name} {version} cannot be had here: {found}"
        if os.environ.get("CI") or os.environ.get("GITHUB_ACTIONS"):
            cannot_judge(f"{reason} (under CI every client must be available)")
        pytest.skip(reason)
    return found


def test_real_client_gets_in_as_declared_user_or_is_refused(
    target, scenario, client_case: ClientCase, client_versions, measure, tmp_path
):
    case = client_case
    row = case.row
    client = CLIENTS[case.client]
    prepared = _prepared_client(case.client, client_versions.get(case.client, "installed"), measure)
    declared = row.principal.provider not in ("file", "ldap") or (
        scenario.login(row.principal.provider, row.principal.principal) is not None
    )
    creds = credentials(target, row.principal, tmp_path, declared)
    try:
        invocation = client.invocation(prepared, target, creds, row.as_user, SQL, tmp_path)
    except CannotExpress as exc:
        pytest.skip(f"{case.client} {prepared.version}: {exc}")
    problem = unreachable(target.host, target.port)
    if problem:  # a client's own retries would turn a dead coordinator into a wait of minutes
        cannot_judge(f"the coordinator {target.host}:{target.port} accepts no connection ({problem})")
    result = run(case.client, prepared.version, invocation, scenario.clients.timeout_s, client.parse_answer)
    measure(f"real client {case.client} {prepared.version}: one invocation (s)", result.seconds)
    what = (
        f"{case.client} {prepared.version} ({prepared.runtime}) logging in as {row.principal.label()}"
        + (f", acting as {row.as_user}" if row.as_user else "")
        + (f" — {row.why}" if row.why else "")
    )
    judge(row, result, what)
