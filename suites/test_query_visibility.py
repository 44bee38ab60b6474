"""Query visibility: a user sees and kills another user's running query only where a rule says so.

The owner keeps a query RUNNING (see ``running_query``); the viewer then looks for its text in
``system.runtime.queries`` and at ``GET /v1/query/{id}``, or calls ``system.runtime.kill_query``.
Own queries are always visible and killable; other owners' only through the ``queries`` rules.
"""

from __future__ import annotations

import pytest

from trino_harness.clients import authentication, http_session
from trino_harness.evidence import check
from trino_harness.identities import principal_for_user
from trino_harness.scenario.model import Principal, QueryVisibilityRow, Scenario

from .outcomes import run_as
from .running_query import running_query

pytestmark = pytest.mark.authz

FIX = (
    "access-control.name=file with a 'queries' section in rules.json: 'view'/'kill' of another owner's "
    "query need a rule (optionally with queryOwner); without that section, or with allow-all access "
    "control, everyone may view and kill every query"
)
KILL_MESSAGE = "trino-harness query visibility check"


def _principals(scenario: Scenario, row: QueryVisibilityRow) -> tuple[Principal, Principal]:
    viewer, owner = principal_for_user(scenario, row.viewer), principal_for_user(scenario, row.owner)
    if viewer is None or owner is None:
        pytest.skip(
            f"no login for {row.viewer if viewer is None else row.owner}: add a password or certificate"
        )
    return viewer, owner


def _rest_status(target, who: Principal, query_id: str) -> int:
    session = http_session(target)
    authentication(target, who).set_http_session(session)
    with session:
        return session.get(f"{target.url}/v1/query/{query_id}", timeout=30).status_code


def test_query_text_is_visible_only_as_declared(target, scenario, query_visibility_row):
    row = query_visibility_row
    viewer, owner = _principals(scenario, row)
    with running_query(target, owner) as query:
        listed = run_as(
            target, viewer, f"SELECT query FROM system.runtime.queries WHERE query_id = '{query.query_id}'"
        )
        rest = _rest_status(target, viewer, query.query_id)
        still = query.state()
    if still[0] != "RUNNING":  # "not listed" proves nothing about a query that is no longer there
        pytest.fail(
            f"cannot judge: {row.owner}'s query was {still[0]} {still[1] or ''} when looked at", pytrace=False
        )
    seen_in_table = listed.ok and listed.rows == [[query.sql]]
    hidden_in_table = (listed.ok and listed.rows == []) or listed.error_name == "PERMISSION_DENIED"
    observed = f"system.runtime.queries: {listed}; GET /v1/query/{{id}}: HTTP {rest}"
    if row.can_see:
        ok, expected = seen_in_table and rest == 200, "its text in system.runtime.queries and HTTP 200"
    else:
        ok, expected = hidden_in_table and rest in (403, 404), "no row in system.runtime.queries and HTTP 403"
    check(
        ok,
        what=f"{row.viewer} looking at {row.owner}'s running query",
        expected=expected,
        observed=observed,
        fix=FIX,
    )


def test_query_kill_is_allowed_only_as_declared(target, scenario, query_visibility_row):
    row = query_visibility_row
    viewer, owner = _principals(scenario, row)
    with running_query(target, owner) as query:
        call = f"CALL system.runtime.kill_query(query_id => '{query.query_id}', message => '{KILL_MESSAGE}')"
        outcome = run_as(target, viewer, call)
        state = query.wait_done(30) if outcome.ok else query.state()
    observed = f"kill_query: {outcome}; query then {state[0]} {state[1] or ''}".rstrip()
    if row.can_kill:
        ok = outcome.ok and state == ("FAILED", "ADMINISTRATIVELY_KILLED")
        expected = "kill_query succeeds; the query ends FAILED ADMINISTRATIVELY_KILLED"
    else:
        ok = outcome.error_name == "PERMISSION_DENIED" and state[0] == "RUNNING"
        expected = "PERMISSION_DENIED (Access Denied: Cannot kill query); the query keeps RUNNING"
    check(
        ok,
        what=f"{row.viewer} killing {row.owner}'s running query",
        expected=expected,
        observed=observed,
        fix=FIX,
    )
