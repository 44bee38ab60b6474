"""Catalog rules: each user sees exactly the catalogs it may use, and each catalog's mode holds.

The first matching ``catalogs`` rule gives a mode: ``none`` hides the catalog (SHOW CATALOGS and
``system.metadata.catalogs``) and refuses it; ``read-only`` lists it, reads it and refuses every
write; ``all`` leaves writes to the schema and table rules. The write probed is a throwaway
``CREATE SCHEMA`` (dropped again), the one write that needs no table rule.
"""

from __future__ import annotations

import uuid

import pytest

from trino_harness.evidence import check
from trino_harness.scenario.model import Principal

from .outcomes import login_as, run_as

pytestmark = pytest.mark.authz

FIX = (
    "review the 'catalogs' section of rules.json (first match wins; allow is all, read-only or none; "
    "Trino appends 'system: all' for everyone) and the group file"
)
VISIBILITY_FIX = (
    f"{FIX}; a catalog is listed when its mode is not none and the user has any schema or table "
    "permission in it (with no 'schemas' section every user owns every schema)"
)


def test_catalog_is_listed_only_where_declared(target, scenario, catalog_access_row):
    row = catalog_access_row
    who = login_as(scenario, row.user)
    shown = run_as(target, who, "SHOW CATALOGS", unordered=True)
    listed = run_as(target, who, "SELECT catalog_name FROM system.metadata.catalogs", unordered=True)
    for outcome, where in ((shown, "SHOW CATALOGS"), (listed, "system.metadata.catalogs")):
        if not outcome.ok:
            pytest.fail(f"{row.user} cannot list catalogs ({where}: {outcome}): cannot judge", pytrace=False)
    shown_rows, listed_rows = shown.rows or [], listed.rows or []
    in_show = [row.catalog] in shown_rows
    in_table = [row.catalog] in listed_rows
    expected = row.access != "none"
    check(
        in_show == expected and in_table == expected,
        what=f"{row.user} listing catalogs (mode {row.access} on {row.catalog})",
        expected=f"{row.catalog} {'listed' if expected else 'absent'} in SHOW CATALOGS and "
        "system.metadata.catalogs",
        observed=f"SHOW CATALOGS: {sorted(r[0] for r in shown_rows)}; "
        f"system.metadata.catalogs: {sorted(r[0] for r in listed_rows)}",
        fix=VISIBILITY_FIX,
    )


def _drop(target, who: Principal, operator: Principal, schema: str) -> None:
    """Remove a probe schema that was created: as its creator, else as the operator."""
    if not run_as(target, who, f"DROP SCHEMA {schema}").ok:
        dropped = run_as(target, operator, f"DROP SCHEMA {schema}")
        if not dropped.ok:
            pytest.fail(f"probe schema {schema} was created but cannot be dropped: {dropped}", pytrace=False)


def test_catalog_access_mode_is_as_declared(target, scenario, catalog_access_row):
    row = catalog_access_row
    who = login_as(scenario, row.user)
    read = run_as(target, who, f"SHOW SCHEMAS FROM {row.catalog}")
    what = f"{row.user} on catalog {row.catalog} (declared {row.access})"
    if row.access == "none":
        check(
            read.error_name == "PERMISSION_DENIED",
            what=f"{what}: SHOW SCHEMAS",
            expected="PERMISSION_DENIED (Access Denied: Cannot show schemas)",
            observed=read,
            fix=FIX,
        )
        return
    schema = f"{row.catalog}.harness_probe_{uuid.uuid4().hex[:8]}"
    write = run_as(target, who, f"CREATE SCHEMA {schema}")
    if write.ok:
        _drop(target, who, scenario.operator, schema)
    observed = (
        f"SHOW SCHEMAS: {'ok' if read.ok else read}; CREATE SCHEMA {schema}: {'ok' if write.ok else write}"
    )
    if row.access == "read-only":
        check(
            read.ok and write.error_name == "PERMISSION_DENIED",
            what=what,
            expected="SHOW SCHEMAS answers; CREATE SCHEMA refused with PERMISSION_DENIED",
            observed=observed,
            fix=FIX,
        )
        return
    if read.ok and not write.ok and write.error_name != "PERMISSION_DENIED":
        pytest.fail(
            f"{what}: the probe write failed for another reason ({write}): cannot judge; "
            "declare 'all' rows on a catalog whose connector creates schemas (memory)",
            pytrace=False,
        )
    check(
        read.ok and write.ok,
        what=what,
        expected="SHOW SCHEMAS answers and CREATE SCHEMA succeeds (no catalog rule refuses a write)",
        observed=observed,
        fix=FIX,
    )
