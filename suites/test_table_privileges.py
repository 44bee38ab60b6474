"""Table privileges beyond SELECT: INSERT, DELETE, UPDATE and OWNERSHIP, each as the rules grant it.

Each privilege is probed on a fixture table by a statement whose access check needs exactly that
privilege and which changes no data, so a probe that is wrongly allowed does no harm.
"""

from __future__ import annotations

import pytest

from trino_harness.scenario.model import Scenario, TablePrivilegeRow

from .outcomes import Outcome, check_decision, login_as, run_as

pytestmark = pytest.mark.authz

FIX = (
    "review the 'tables' section of rules.json (first matching rule wins; its privileges list is "
    "all the user gets) and the catalog's mode (writes need 'all')"
)
# The memory connector modifies no rows: an UPDATE that passed its access check fails in planning.
UPDATE_UNSUPPORTED = "does not support modifying table rows"


def probe(scenario: Scenario, row: TablePrivilegeRow) -> str:
    """A statement whose access check needs exactly ``row.privilege`` and which changes no data."""
    fixture = next(f for f in scenario.fixture_tables if f.table == row.table)
    first, kind = next(iter(fixture.columns.items()))
    return {
        "SELECT": f"SELECT count(*) FROM {row.table}",
        "INSERT": f"INSERT INTO {row.table} ({first}) SELECT CAST(NULL AS {kind}) WHERE false",
        # TRUNCATE is checked as DELETE (and the memory connector has no row-level DELETE).
        "DELETE": f"DELETE FROM {row.table} WHERE false" if fixture.rows else f"TRUNCATE TABLE {row.table}",
        "UPDATE": f"UPDATE {row.table} SET {first} = {first} WHERE false",
        "OWNERSHIP": f"SHOW CREATE TABLE {row.table}",
    }[row.privilege]


def _passed_access_check(outcome: Outcome) -> bool:
    unsupported = outcome.error_name == "NOT_SUPPORTED" and UPDATE_UNSUPPORTED in (outcome.message or "")
    return outcome.ok or unsupported


def test_table_privilege_is_granted_or_refused_as_declared(
    target, scenario, fixture_tables, table_privileges_row
):
    row = table_privileges_row
    sql = probe(scenario, row)
    outcome = run_as(target, login_as(scenario, row.user), sql)
    check_decision(
        outcome,
        allowed=row.allowed,
        what=f"{row.user} using {row.privilege} on {row.table} ({sql})",
        fix=FIX,
        granted="the statement passes the access check (it succeeds; an UPDATE on the memory "
        f"connector then fails with NOT_SUPPORTED '{UPDATE_UNSUPPORTED}')",
        refused="PERMISSION_DENIED (Access Denied: Cannot ...)",
        passed=_passed_access_check(outcome),
    )
