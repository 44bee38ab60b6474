"""Schema rules: a user owns exactly the schemas the scenario declares.

Ownership decides CREATE/DROP/RENAME SCHEMA, ALTER SCHEMA … SET AUTHORIZATION and which tables a
user may see in it; a ``schemas`` section that makes everyone an owner lets every user drop every
schema. The probe is SHOW CREATE SCHEMA, which Trino checks as ownership and which changes nothing.
"""

from __future__ import annotations

import pytest

from .outcomes import check_decision, login_as, run_as

pytestmark = pytest.mark.authz

FIX = (
    "review the 'schemas' section of rules.json (first match wins; owner: true makes the user an "
    "owner; with no section every user owns every schema of a catalog it has 'all' access to)"
)


def test_schema_ownership_is_as_declared(target, scenario, fixture_tables, schema_ownership_row):
    row = schema_ownership_row
    outcome = run_as(target, login_as(scenario, row.user), f"SHOW CREATE SCHEMA {row.schema_name}")
    check_decision(
        outcome,
        allowed=row.owner,
        what=f"{row.user}: SHOW CREATE SCHEMA {row.schema_name} (an ownership check)",
        fix=FIX,
        granted=f"the schema's DDL: {row.user} owns {row.schema_name}",
        refused=f"PERMISSION_DENIED (Access Denied: Cannot show create schema for {row.schema_name})",
    )
