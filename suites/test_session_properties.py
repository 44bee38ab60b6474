"""Session property rules: SET SESSION succeeds or is refused (PERMISSION_DENIED) as declared.

System properties (``query_max_run_time``) and catalog properties (``postgresql.join_pushdown_enabled``)
have separate rule sections; a section that is absent lets every user set every property.
"""

from __future__ import annotations

import pytest

from trino_harness.evidence import check
from trino_harness.identities import principal_for_user

from .outcomes import run_as

pytestmark = pytest.mark.authz


def test_session_property_is_settable_only_as_declared(target, scenario, session_properties_row):
    row = session_properties_row
    who = principal_for_user(scenario, row.user)
    if who is None:
        pytest.skip(f"no way to log in as {row.user}: give the user a password or a client certificate")
    section = "catalog_session_properties" if "." in row.property else "system_session_properties"
    fix = f"review the '{section}' section of rules.json (first match wins; no section allows everything)"
    outcome = run_as(target, who, f"SET SESSION {row.property} = {row.value}")
    what = f"{row.user}: SET SESSION {row.property} = {row.value}"
    if row.allowed:
        check(outcome.ok, what=what, expected="SET SESSION succeeds", observed=outcome, fix=fix)
    else:
        check(
            outcome.error_name == "PERMISSION_DENIED",
            what=what,
            expected="PERMISSION_DENIED (Access Denied: Cannot set ... session property ...)",
            observed=outcome,
            fix=fix,
        )
