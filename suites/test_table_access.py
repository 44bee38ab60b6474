"""Table rules: each user may read exactly the tables the scenario declares."""

from __future__ import annotations

import pytest

from trino_harness.evidence import check
from trino_harness.identities import principal_for_user

from .outcomes import run_as

pytestmark = pytest.mark.authz

FIX = "review the 'catalogs' and 'tables' sections of rules.json and the group file (first match wins)"


def test_table_read_is_allowed_or_denied_as_declared(target, scenario, table_access_row):
    who = principal_for_user(scenario, table_access_row.user)
    if who is None:
        pytest.skip(
            f"no way to log in as {table_access_row.user}: give the user a password or a client certificate"
        )
    outcome = run_as(target, who, f"SELECT count(*) FROM {table_access_row.table}")
    what = f"{table_access_row.user} reading {table_access_row.table}"
    if table_access_row.allowed:
        check(outcome.ok, what=what, expected="the query succeeds", observed=outcome, fix=FIX)
    else:
        check(
            outcome.error_name == "PERMISSION_DENIED",
            what=what,
            expected="PERMISSION_DENIED (Access Denied: ...)",
            observed=outcome,
            fix=FIX,
        )
