"""Groups: the group provider gives every user its declared groups, and group rules decide table access.

An impersonated user arrives as a bare name (``X-Trino-User``): only the coordinator's group
provider can attach its groups. Without one, the user silently has none and every group rule
stops matching, so each row is checked both for the groups Trino reports and for the table.
"""

from __future__ import annotations

import pytest

from trino_harness.evidence import check
from trino_harness.scenario.model import GroupAccessRow, Principal, Scenario

from .outcomes import check_decision, login_as, run_as

pytestmark = pytest.mark.authz

GROUPS_FIX = (
    "etc/group-provider.properties must name a group provider (group-provider.name=file with "
    "file.group-file listing 'group:user1,user2', or group-provider.name=ldap whose searches find the "
    "user's groups: ldap.user-search-filter, ldap.group-base-dn, ldap.group-search-filter, "
    "ldap.group-search-member-attribute); Trino applies it to impersonated users too"
)
TABLE_FIX = "review the group rules in the 'catalogs' and 'tables' sections of rules.json (first match wins)"


def _identity(scenario: Scenario, row: GroupAccessRow) -> tuple[Principal, str | None, str]:
    """How to act as the row's user: its own login, or the impersonating principal plus X-Trino-User."""
    if row.via is not None:
        return row.via, row.user, f"{row.via.label()} impersonating {row.user}"
    return login_as(scenario, row.user), None, row.user


def test_group_provider_reports_the_declared_groups(target, scenario, group_access_row):
    who, user, what = _identity(scenario, group_access_row)
    expected = sorted(scenario.user(group_access_row.user).groups)
    # current_groups() is a set (Trino's Identity keeps groups in a Set): its order means nothing.
    outcome = run_as(target, who, "SELECT current_user, current_groups()", user=user, unordered=True)
    observed = (outcome.rows[0][0], sorted(outcome.rows[0][1])) if outcome.ok and outcome.rows else outcome
    check(
        observed == (group_access_row.user, expected),
        what=f"current_user, current_groups() for {what}",
        expected=(group_access_row.user, expected),
        observed=observed,
        fix=GROUPS_FIX,
    )


def test_group_rule_decides_table_access(target, scenario, group_access_row):
    row = group_access_row
    who, user, what = _identity(scenario, row)
    outcome = run_as(target, who, f"SELECT count(*) FROM {row.table}", user=user)
    groups = list(scenario.user(row.user).groups)
    check_decision(
        outcome,
        allowed=row.allowed,
        what=f"{what} (groups {groups}) reading {row.table}",
        fix=f"{TABLE_FIX}; if the user has no groups: {GROUPS_FIX}",
        granted="the query succeeds (a group rule allows it)",
        refused="PERMISSION_DENIED (Access Denied: Cannot select from table ...)",
        refused_fix=TABLE_FIX,
    )
