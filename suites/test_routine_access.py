"""Function and procedure rules: a user may call exactly the routines the scenario declares.

A table function such as PostgreSQL's ``system.query`` runs any SQL at the source, past every
table rule, so a ``functions`` section that opens it to everyone undoes the table rules. The
built-in functions must stay callable: a ``functions`` section without a ``system.builtin`` rule
denies ``abs()`` to every user (Trino 429 moved built-ins under the function rules). Procedures
(``CALL``) have a section of their own, which Trino 476 enforces: no matching rule, no call.
"""

from __future__ import annotations

import pytest

from .outcomes import check_decision, login_as, run_as

pytestmark = pytest.mark.authz

FIX = {
    "functions": "review the 'functions' section of rules.json (first match wins; EXECUTE allows a call; "
    "keep a rule for catalog system, schema builtin with EXECUTE so built-in functions stay callable)",
    "procedures": "review the 'procedures' section of rules.json (first match wins; EXECUTE allows a CALL; "
    "with no rule a procedure is denied)",
}


def test_routine_call_is_allowed_or_denied_as_declared(target, scenario, routine_access_row):
    row = routine_access_row
    outcome = run_as(target, login_as(scenario, row.user), row.sql)
    check_decision(
        outcome,
        allowed=row.allowed,
        what=f"{row.user} running {row.sql}",
        fix=FIX[row.section],
        granted="the call succeeds",
        refused="PERMISSION_DENIED (Access Denied: Cannot execute function/procedure ...)",
    )
