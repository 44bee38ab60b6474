"""Query visibility: a user sees and kills another user's running query only where a rule says so.

The owner keeps a query RUNNING (see ``running_query``); the viewer then looks for its text in
``system.runtime.queries`` and at ``GET /v1/query/{id}``, or calls ``system.runtime.kill_query``.
Own queries are always visible and killable; other owners' only through the ``queries`` rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from fixtures.parametrize import Table
from trino_harness.access.file_rules import FileRules, Who
from trino_harness.access.probe import require_identity
from trino_harness.access.query_probe import KILL_MESSAGE, KILL_WAYS, kill, rest_view
from trino_harness.access.running_query import running_query
from trino_harness.evidence import cannot_judge, check
from trino_harness.identities import groups_of, logins, principal_for_user
from trino_harness.scenario.model import Principal, QueryVisibilityRow, Scenario

from .outcomes import run_as

pytestmark = pytest.mark.authz

FIX = (
    "access-control.name=file with a 'queries' section in rules.json: 'view'/'kill' of another owner's "
    "query need a rule (optionally with queryOwner); without that section, or with allow-all access "
    "control, everyone may view and kill every query"
)


def _principals(scenario: Scenario, row: QueryVisibilityRow) -> tuple[Principal, Principal]:
    viewer, owner = principal_for_user(scenario, row.viewer), principal_for_user(scenario, row.owner)
    if viewer is None or owner is None:
        pytest.skip(
            f"no login for {row.viewer if viewer is None else row.owner}: add a password or certificate"
        )
    return viewer, owner


def test_query_text_is_visible_only_as_declared(target, scenario, query_visibility_row):
    row = query_visibility_row
    viewer, owner = _principals(scenario, row)
    with running_query(target, owner) as query:
        listed = run_as(
            target, viewer, f"SELECT query FROM system.runtime.queries WHERE query_id = '{query.query_id}'"
        )
        rest = rest_view(target, viewer, query.query_id)
        still = query.state()
    if still[0] != "RUNNING":  # "not listed" proves nothing about a query that is no longer there
        pytest.fail(
            f"cannot judge: {row.owner}'s query was {still[0]} {still[1] or ''} when looked at", pytrace=False
        )
    if not listed.ok or rest not in (200, 403):  # a refused table or a 404 says nothing about visibility
        cannot_judge(f"system.runtime.queries: {listed}; GET /v1/query/{{id}}: HTTP {rest}")
    seen_in_table = listed.ok and listed.rows == [[query.sql]]
    hidden_in_table = listed.ok and listed.rows == []
    observed = f"system.runtime.queries: {listed}; GET /v1/query/{{id}}: HTTP {rest}"
    if row.can_see:
        ok, expected = seen_in_table and rest == 200, "its text in system.runtime.queries and HTTP 200"
    else:
        ok, expected = hidden_in_table and rest == 403, "no row in system.runtime.queries and HTTP 403"
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


# --- Closed world: every owner's running query, every other identity, every way in -------------------
# The rows name a few viewer/owner pairs and kill only through the procedure. Here every identity
# that can log in owns a running query in turn, and every other identity is judged against the
# 'queries' rules of access_rules: seen where 'view' allows (system.runtime.queries and
# GET /v1/query/{id}), and refused by every way Trino offers to end another user's query where
# 'kill' does not (the procedure, DELETE /v1/query/{id}, PUT .../killed and PUT .../preempted).
# Pairs whose kill the rules allow are not killed here (that would end the probe): the rows judge them.


@dataclass(frozen=True)
class OwnerRow:
    owner: str
    login: Principal
    viewers: tuple[tuple[str, Principal], ...]

    def test_id(self) -> str:
        return f"queries-of-{self.owner}"


def _owners(scenario: Scenario, test: str) -> list[OwnerRow]:
    if not scenario.expectations.access_closed:
        return []
    found = logins(scenario)
    if len(found) < 2:
        return []
    return [
        OwnerRow(user, who, tuple((u, p) for u, p in found.items() if u != user))
        for user, who in found.items()
    ]


TABLES = (
    Table(
        "owner_row",
        _owners,
        empty="expectations.access_closed is false, or fewer than two users can log in",
    ),
)


@dataclass
class Tally:
    judged: int = 0
    wrong: list[str] = field(default_factory=list)
    unclear: list[str] = field(default_factory=list)


def _look(target, user: str, who: Principal, query, may_see: bool, tally: Tally) -> None:
    """Does ``user`` see the query, in the table and at the REST endpoint, exactly as the rules say?"""
    listed = run_as(
        target, who, f"SELECT query FROM system.runtime.queries WHERE query_id = '{query.query_id}'"
    )
    rest = rest_view(target, who, query.query_id)
    seen, hidden = listed.ok and listed.rows == [[query.sql]], listed.ok and listed.rows == []
    said = f"system.runtime.queries: {'row' if seen else listed}, GET /v1/query/{{id}}: HTTP {rest}"
    if not (seen or hidden) or rest not in (200, 403):
        tally.unclear.append(f"{user} looking: {said}")
    elif seen != may_see or (rest == 200) != may_see:
        tally.wrong.append(f"{user} looking ({said}); the rules say {'view' if may_see else 'no view'}")
    else:
        tally.judged += 1


def _try_kills(target, user: str, who: Principal, query, tally: Tally) -> None:
    """Every way in, while the query still runs: each must be refused."""
    for way in KILL_WAYS:
        ended, said = kill(target, who, way, query.query_id)
        if ended is None:
            tally.unclear.append(f"{user} by {way}: {said}")
        elif ended:
            tally.wrong.append(f"{user} ENDED it by {way} ({said}); the rules say no kill")
        else:
            tally.judged += 1
        if query.state()[0] != "RUNNING":
            return


def test_every_running_query_is_seen_and_killed_only_as_the_rules_allow(target, scenario, owner_row):
    """Every other identity sees the query exactly where 'view' allows, and no way ends it where
    'kill' does not."""
    row: OwnerRow = owner_row
    rules = FileRules(scenario.access_rules.as_json())
    for user, who in ((row.owner, row.login), *row.viewers):
        require_identity(target, who, user, groups_of(scenario, user))
    tally = Tally()
    with running_query(target, row.login) as query:
        for user, who in row.viewers:
            viewer = Who(user, groups_of(scenario, user))
            _look(target, user, who, query, rules.query_allows(viewer, row.owner, "view"), tally)
            if not rules.query_allows(viewer, row.owner, "kill"):
                _try_kills(target, user, who, query, tally)
            if query.state()[0] != "RUNNING":
                break
        state = query.state()
    if state[0] != "RUNNING" and not tally.wrong:
        cannot_judge(f"{row.owner}'s query ended ({state}) while no way reported ending it")
    if not tally.judged and not tally.wrong:
        cannot_judge(f"no decision about {row.owner}'s query could be read: {'; '.join(tally.unclear)}")
    check(
        not tally.wrong,
        what=f"{row.owner}'s running query, looked at and killed by {len(row.viewers)} other identities",
        expected="seen exactly where the 'queries' rules give view; refused (PERMISSION_DENIED / HTTP 403) "
        f"by every way where they give no kill: {', '.join(KILL_WAYS)}",
        observed=f"{tally.judged} decisions as the rules say" + "".join(f"; {w}" for w in tally.wrong),
        fix=FIX + "; the REST endpoints and the procedure check the same 'kill' rule, the procedure also its "
        "own 'procedures' rule: deny kill in 'queries', not only EXECUTE on kill_query",
    )
    if tally.unclear:
        cannot_judge(f"no clear answer for {len(tally.unclear)}: {'; '.join(tally.unclear)}")
