"""Impersonation: a principal may act as another user exactly when the rules allow it.

Requested the way real clients do: the trino client's ``user=`` (X-Trino-User) beside ``auth=``.

Beyond the table's rows (closed world, ``expectations.impersonation_closed``, on by default): every
user that can log in is refused every declared user and a name that exists nowhere, except the
users its rows allow.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from fixtures.parametrize import Table
from trino_harness.evidence import cannot_judge, check
from trino_harness.identities import known_user_names, logins, trino_user
from trino_harness.scenario.model import Principal, Scenario

from .outcomes import run_as

pytestmark = pytest.mark.authz

FIX = "review the 'impersonation' section of rules.json (original_user/new_user are full-match regexes)"


def test_impersonation_is_allowed_or_denied_as_declared(target, impersonation_row):
    row = impersonation_row
    outcome = run_as(target, row.principal, "SELECT current_user", user=row.as_user)
    what = f"{row.principal.label()} requesting user {row.as_user}"
    if row.allowed:
        check(
            outcome.ok and outcome.rows == [[row.as_user]],
            what=what,
            expected=f"query runs as {row.as_user}",
            observed=outcome,
            fix=FIX,
        )
    else:
        check(
            outcome.error_name == "PERMISSION_DENIED"
            and "cannot impersonate user" in (outcome.message or ""),
            what=what,
            expected=f"PERMISSION_DENIED: ... cannot impersonate user {row.as_user}",
            observed=outcome,
            fix=FIX,
        )


# --- Closed world: every pair no row allows is denied -----------------------------------------------
# The table's rows are spot checks. What the scenario allows (its rows with allowed: true) is all an
# identity may reach: every other declared user, and a name that exists nowhere, must be refused, so
# a rule broader than the table (a user no row names, ``new_user: .*``) goes red without anyone
# having written a row for the pair it opens.


@dataclass(frozen=True)
class ClosedWorld:
    """One identity that can log in, and every user it must not act as."""

    user: str
    login: Principal
    allowed: tuple[str, ...]
    denied: tuple[str, ...]

    def test_id(self) -> str:
        may = "-".join(self.allowed) if self.allowed else "nobody"
        return f"{self.user}-may-act-as-{may}-only"


def _closed_world(scenario: Scenario, test: str) -> list[ClosedWorld]:
    if not scenario.expectations.impersonation_closed:
        return []
    universe = known_user_names(scenario)
    rows = []
    for user, login in logins(scenario).items():
        allowed = tuple(
            dict.fromkeys(
                r.as_user
                for r in scenario.expectations.impersonation
                if r.allowed and trino_user(scenario, r.principal) == user and r.as_user != user
            )
        )
        denied = tuple(t for t in universe if t != user and t not in allowed)
        rows.append(ClosedWorld(user, login, allowed, denied))
    return rows


TABLES = (
    Table(
        "closed_row",
        _closed_world,
        empty="expectations.impersonation_closed is false, or no user can log in: only the rows are judged",
    ),
)


def test_impersonation_beyond_the_table_is_denied(target, closed_row: ClosedWorld):
    """Every user (and a name no directory holds) outside what the rows allow: PERMISSION_DENIED."""
    row = closed_row
    own = run_as(target, row.login, "SELECT current_user")
    if own.ok and own.rows != [[row.user]]:
        cannot_judge(
            f"{row.login.label()} runs as {own.rows}, not as {row.user}: the mapping checks judge that"
        )
    if not own.ok and own.error_name != "PERMISSION_DENIED":
        cannot_judge(f"{row.login.label()} could not log in ({own}): the authentication checks judge that")
    opened, unclear = [], []
    for other in row.denied:
        outcome = run_as(target, row.login, "SELECT current_user", user=other)
        if outcome.ok:
            opened.append(f"{other} (query ran as {outcome.rows})")
        elif outcome.error_name != "PERMISSION_DENIED" or f"cannot impersonate user {other}" not in (
            outcome.message or ""
        ):
            unclear.append(f"{other}: {outcome}")
    runs_as = "its own queries run" if own.ok else f"its own queries are refused ({own.error_name})"
    check(
        not opened,
        what=f"{row.login.label()} (Trino user {row.user}; {runs_as}) requesting each user no row allows",
        expected=f"PERMISSION_DENIED: cannot impersonate, for every one of {', '.join(row.denied)}",
        observed=f"{len(row.denied) - len(opened) - len(unclear)} denied"
        + (f"; ALLOWED: {', '.join(opened)}" if opened else "")
        + (f"; no clear answer for {len(unclear)}" if unclear else ""),
        fix=f"{FIX}; narrow new_user to the users the account serves, or add a row allowing the pair",
    )
    if unclear:
        cannot_judge(
            f"{row.login.label()}: refused for another reason than impersonation: {'; '.join(unclear)}"
        )
