"""Table rules: each user may read exactly the tables the scenario declares."""

from __future__ import annotations

import pytest

from .outcomes import check_decision, login_as, run_as

pytestmark = pytest.mark.authz

FIX = "review the 'catalogs' and 'tables' sections of rules.json and the group file (first match wins)"


def test_table_read_is_allowed_or_denied_as_declared(target, scenario, table_access_row):
    row = table_access_row
    outcome = run_as(target, login_as(scenario, row.user), f"SELECT count(*) FROM {row.table}")
    what = f"{row.user} reading {row.table}"
    check_decision(outcome, allowed=row.allowed, what=what, fix=FIX, granted="the query succeeds")
