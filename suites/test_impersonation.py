"""Impersonation: a principal may act as another user exactly when the rules allow it.

Requested the way real clients do: the trino client's ``user=`` (X-Trino-User) beside ``auth=``.
"""

from __future__ import annotations

import pytest

from trino_harness.evidence import check

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
