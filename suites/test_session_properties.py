"""Session property rules: SET SESSION succeeds or is refused (PERMISSION_DENIED) as declared.

System properties (``query_max_run_time``) and catalog properties (``postgresql.join_pushdown_enabled``)
have separate rule sections; a section that is absent lets every user set every property.
"""

from __future__ import annotations

import pytest

from .outcomes import check_decision, login_as, run_as

pytestmark = pytest.mark.authz


def test_session_property_is_settable_only_as_declared(target, scenario, session_properties_row):
    row = session_properties_row
    who = login_as(scenario, row.user)
    section = "catalog_session_properties" if "." in row.property else "system_session_properties"
    fix = f"review the '{section}' section of rules.json (first match wins; no section allows everything)"
    outcome = run_as(target, who, f"SET SESSION {row.property} = {row.value}")
    check_decision(
        outcome,
        allowed=row.allowed,
        what=f"{row.user}: SET SESSION {row.property} = {row.value}",
        fix=fix,
        granted="SET SESSION succeeds",
        refused="PERMISSION_DENIED (Access Denied: Cannot set ... session property ...)",
    )
