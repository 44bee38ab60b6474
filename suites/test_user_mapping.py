"""User mapping: each authenticated principal becomes exactly the Trino user the table says, or is refused.

Observed on the server (``SELECT current_user``), never inferred by the client.
"""

from __future__ import annotations

import pytest

from trino_harness.evidence import check

from .outcomes import run_as

pytestmark = pytest.mark.authn

FIX = (
    "check http-server.authentication.<type>.user-mapping.pattern/.file: rules are full-match Java "
    "regexes, first match wins; in a .properties file write a regex's backslash twice (\\\\.), since Java "
    "reads \\. as ."
)


def test_principal_maps_to_expected_user(target, user_mapping_row):
    outcome = run_as(target, user_mapping_row, "SELECT current_user")
    if user_mapping_row.user is None:
        check(
            not outcome.ok and outcome.http_status == 401,
            what=f"login as {user_mapping_row.label()}",
            expected="refused with HTTP 401 (no user mapping matches / principal not allowed)",
            observed=outcome,
            fix=FIX,
        )
    else:
        check(
            outcome.ok and outcome.rows == [[user_mapping_row.user]],
            what=f"current_user for {user_mapping_row.label()}",
            expected=user_mapping_row.user,
            observed=outcome,
            fix=FIX,
        )
