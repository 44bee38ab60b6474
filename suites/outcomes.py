"""Run one statement as an identity and describe what the server answered, for evidence."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest
from trino.exceptions import HttpError, TrinoQueryError

from trino_harness.clients import connect
from trino_harness.evidence import check
from trino_harness.identities import principal_for_user
from trino_harness.observations import observe
from trino_harness.scenario.model import Principal, Scenario
from trino_harness.target import Target


@dataclass(frozen=True)
class Outcome:
    rows: list | None
    error_name: str | None
    message: str | None
    http_status: int | None
    query_id: str | None

    @property
    def ok(self) -> bool:
        return self.rows is not None

    def without_order(self) -> Outcome:
        """The same answer with its rows and every array in them sorted: for an answer Trino gives
        in no defined order (``current_groups()`` is a set), so two runs compare equal."""
        if self.rows is None:
            return self
        rows = ([_sorted_arrays(cell) for cell in row] for row in self.rows)
        return replace(self, rows=sorted(rows, key=repr))

    def __str__(self) -> str:
        if self.ok:
            return f"rows={self.rows} (query {self.query_id})"
        where = f"HTTP {self.http_status}" if self.http_status else self.error_name
        return f"{where}: {self.message} (query {self.query_id})"


def _sorted_arrays(value: Any) -> Any:
    """``value`` with every list in it sorted (by ``repr``: cells may mix types or be None)."""
    if isinstance(value, list | tuple):
        return sorted((_sorted_arrays(v) for v in value), key=repr)
    return value


def run_as(
    target: Target,
    who: Principal,
    sql: str,
    user: str | None = None,
    source: str = "trino-harness",
    client_info: str | None = None,
    unordered: bool = False,
) -> Outcome:
    """Run ``sql`` as ``who`` (optionally impersonating ``user``) and record what the server said.

    ``unordered``: the answer has no defined order (its rows, and the arrays in them, are sets), so
    the observation kept for ``compare`` is sorted; the check itself still sees the answer as given.
    """
    cur = connect(target, who, user=user, source=source, client_info=client_info).cursor()
    try:
        cur.execute(sql)
        outcome = Outcome(cur.fetchall(), None, None, None, cur.query_id)
    except TrinoQueryError as exc:
        outcome = Outcome(None, exc.error_name, exc.message, None, exc.query_id)
    except HttpError as exc:
        text = str(exc)
        status = int(text.split(":")[0].split()[-1]) if text.startswith("error ") else None
        outcome = Outcome(None, None, text, status, None)
    observe(outcome.without_order() if unordered else outcome)
    return outcome


def login_as(scenario: Scenario, user: str) -> Principal:
    """The scenario's way to log in as ``user``; without one the check skips, naming what to add."""
    who = principal_for_user(scenario, user)
    if who is None:
        pytest.skip(f"no way to log in as {user}: give the user a password or a client certificate")
    return who


def check_decision(
    outcome: Outcome,
    *,
    allowed: bool,
    what: str,
    fix: str,
    granted: str = "the statement succeeds",
    refused: str = "PERMISSION_DENIED (Access Denied: ...)",
    passed: bool | None = None,
    refused_fix: str | None = None,
) -> None:
    """Judge one access decision: an allowed statement gets through (``passed``, default: it
    succeeded), a denied one is refused with PERMISSION_DENIED and nothing else."""
    if allowed:
        ok = outcome.ok if passed is None else passed
        check(ok, what=what, expected=granted, observed=outcome, fix=fix)
    else:
        check(
            outcome.error_name == "PERMISSION_DENIED",
            what=what,
            expected=refused,
            observed=outcome,
            fix=fix if refused_fix is None else refused_fix,
        )
