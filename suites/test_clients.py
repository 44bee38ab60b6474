"""Real clients: the Trino CLI, the JDBC driver, the Python and Go clients get in as the declared user.

Each row of ``scenario.clients`` is tried by each client it names, as a subprocess with a
timeout, at the pinned version (``clients.versions``, or ``--client-version CLIENT=VERSION``).
Secrets reach a client only through its environment or 0600 files. The evidence of every
verdict names the client's version, its invocation (secrets masked) and an excerpt of its output.
A client that cannot be had here skips with the reason, and fails under CI.
"""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

from trino_harness.evidence import check
from trino_harness.reachability import unreachable
from trino_harness.real_clients.credentials import credentials
from trino_harness.real_clients.process import ClientTimedOut, run
from trino_harness.real_clients.registry import CLIENTS
from trino_harness.real_clients.toolchain import ClientUnavailable
from trino_harness.real_clients.trino_go import CannotExpress
from trino_harness.scenario.clients import ClientCase

pytestmark = pytest.mark.clients

SQL = "SELECT current_user"
# What each way of being refused looks like in a client's output (Trino's words, kept by clients).
LOGIN_REFUSED = ("401", "Unauthorized", "Authentication failed", "Invalid credentials", "Access Denied")
FIX_LOGIN = "check the provider's configuration and user mapping for this way in (see the invocation)"
FIX_IMPERSONATION = "review the 'impersonation' section of rules.json and the client's session-user option"

_prepared: dict[tuple[str, str], Any] = {}


@pytest.fixture(scope="session")
def client_versions(pytestconfig: pytest.Config) -> dict[str, str]:
    from trino_harness.run_scenario import client_versions

    return client_versions(pytestconfig)


def _prepared_client(name: str, version: str, measure: Any) -> Any:
    """The client ready to run (downloaded/built once per process); unavailable: skip, or fail in CI."""
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
            pytest.fail(f"cannot judge: {reason} (under CI every client must be available)")
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
        pytest.fail(
            f"cannot judge: the coordinator {target.host}:{target.port} accepts no connection ({problem})"
        )
    try:
        result = run(case.client, prepared.version, invocation, scenario.clients.timeout_s, client.parse_user)
    except ClientTimedOut as exc:
        pytest.fail(str(exc))
    measure(f"real client {case.client} {prepared.version}: one invocation (s)", result.seconds)
    what = (
        f"{case.client} {prepared.version} ({prepared.runtime}) logging in as {row.principal.label()}"
        + (f", acting as {row.as_user}" if row.as_user else "")
        + (f" — {row.why}" if row.why else "")
    )
    output = result.output
    if row.user is not None:
        check(
            result.user == row.user,
            what=what,
            expected=f"the query runs as {row.user}",
            observed=result,
            fix=FIX_IMPERSONATION if row.as_user else FIX_LOGIN,
        )
    elif row.as_user:
        refused = f"cannot impersonate user {row.as_user}" in output
        if result.user is None and not refused and not any(word in output for word in LOGIN_REFUSED):
            pytest.fail(f"cannot judge: the client failed for another reason than a refusal: {result}")
        check(
            result.user is None and refused,
            what=what,
            expected=f"refused: Access Denied: ... cannot impersonate user {row.as_user}",
            observed=result,
            fix=FIX_IMPERSONATION,
        )
    else:
        refused = any(word in output for word in LOGIN_REFUSED)
        if result.user is None and not refused:
            pytest.fail(f"cannot judge: the client failed for another reason than a refusal: {result}")
        check(
            result.user is None and refused,
            what=what,
            expected="the login is refused (HTTP 401)",
            observed=result,
            fix=FIX_LOGIN,
        )
