"""Column rules: a denied column, a column mask and a row filter, judged by the values returned.

A rule that loses its mask or filter still lets the query succeed; only the values show it, so
every row declares exactly what comes back (or the error).
"""

from __future__ import annotations

import pytest

from trino_harness.evidence import check

from .outcomes import login_as, run_as

pytestmark = pytest.mark.authz

FIX = (
    "review the first 'tables' rule of rules.json that matches the user and table: its 'columns' "
    "(allow: false, mask) and 'filter' apply only through that rule"
)


def test_column_rule_returns_the_declared_values(target, scenario, fixture_tables, column_rules_row):
    row = column_rules_row
    outcome = run_as(target, login_as(scenario, row.user), row.sql)
    what = f"{row.user} running {row.sql}"
    if row.error is not None:
        check(outcome.error_name == row.error, what=what, expected=row.error, observed=outcome, fix=FIX)
        return
    expected = [list(r) for r in row.rows or ()]
    check(
        outcome.ok and outcome.rows == expected,
        what=what,
        expected=f"rows={expected}",
        observed=outcome,
        fix=FIX,
    )
