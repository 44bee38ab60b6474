"""Authorization rules: an owner hands a schema or table only to whom the rules allow.

ALTER … SET AUTHORIZATION needs ownership of the entity and then the first matching rule of the
``authorization`` section (no match: denied). An open section lets any owner give a schema away,
to a user who then owns everything in it. The probe changes nothing on the reference stack: the
memory connector cannot set an owner, so an allowed change ends NOT_SUPPORTED after Trino's check.
"""

from __future__ import annotations

import pytest

from .outcomes import check_decision, login_as, run_as

pytestmark = pytest.mark.authz

FIX = (
    "review the 'authorization' section of rules.json (first match of original_user/original_group/"
    "original_role and new_user/new_role wins; no match denies) and the owner's 'schemas' or 'tables' rule"
)


def test_ownership_transfer_is_allowed_or_denied_as_declared(
    target, scenario, fixture_tables, authorization_row
):
    row = authorization_row
    outcome = run_as(target, login_as(scenario, row.user), row.statement())
    # Allowed: past the access check. Either the change happened, or the connector says it cannot
    # set an owner (the memory connector's answer, and the reason the probe changes nothing).
    past_the_check = outcome.ok or outcome.error_name == "NOT_SUPPORTED"
    check_decision(
        outcome,
        allowed=row.allowed,
        passed=past_the_check,
        what=f"{row.user}: {row.statement()}",
        fix=FIX,
        granted="past the access check (done, or NOT_SUPPORTED by a connector that cannot set an owner)",
        refused=f"PERMISSION_DENIED (Access Denied: Cannot set authorization for {row.kind.lower()} ...)",
    )
