"""User mapping: each authenticated principal becomes exactly the Trino user the table says, or is refused.

Observed on the server (``SELECT current_user``), never inferred by the client.

Beyond the table's rows: a lookalike of every JWT principal the scenario declares (one dot of its
domain made a ``-``: ``alice@harness-test``) must be refused wherever the scenario's own JWT
pattern, read as written, refuses it. A pattern whose escaping was lost on the way to Trino, or one
broader than declared, lets it in.
"""

from __future__ import annotations

import re

import pytest

from fixtures.parametrize import Table
from trino_harness.evidence import check
from trino_harness.scenario.expectations import MappingRow
from trino_harness.scenario.model import Scenario

from .outcomes import run_as

pytestmark = pytest.mark.authn

FIX = (
    "check http-server.authentication.<type>.user-mapping.pattern/.file: rules are full-match Java "
    "regexes, first match wins; in a .properties file write a regex's backslash twice (\\\\.), since Java "
    "reads \\. as ."
)


def _jwt_principals(scenario: Scenario) -> list[str]:
    """The JWT principals the scenario lets in: mapped rows, smoke rows, impersonators (in order)."""
    expectations = scenario.expectations
    principals = [r.principal for r in expectations.user_mapping if r.provider == "jwt" and r.user]
    principals += [r.principal for r in expectations.smoke if r.provider == "jwt"]
    principals += [r.principal.principal for r in expectations.impersonation if r.principal.provider == "jwt"]
    return list(dict.fromkeys(principals))


def _lookalikes(scenario: Scenario, test: str) -> list[MappingRow]:
    mapping = scenario.user_mapping.jwt
    if mapping is None or mapping.pattern is None:
        return []
    declared = re.compile(mapping.pattern)  # the model checked it compiles
    seen = {r.principal for r in scenario.expectations.user_mapping if r.provider == "jwt"}
    rows = []
    for principal in _jwt_principals(scenario):
        local, at, domain = principal.rpartition("@")
        if not at:
            continue
        for i in (i for i, char in enumerate(domain) if char == "."):
            lookalike = f"{local}@{domain[:i]}-{domain[i + 1 :]}"
            if lookalike not in seen and not declared.fullmatch(lookalike):
                seen.add(lookalike)
                rows.append(MappingRow(provider="jwt", principal=lookalike, user=None))
    return rows


TABLES = (
    Table(
        "lookalike_row",
        _lookalikes,
        empty="no JWT user-mapping pattern, or no JWT principal with a dotted domain, is declared",
    ),
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


def test_lookalike_of_a_jwt_principal_is_refused_as_the_declared_pattern_says(
    target, scenario, lookalike_row
):
    outcome = run_as(target, lookalike_row, "SELECT current_user")
    declared = scenario.user_mapping.jwt.pattern
    check(
        not outcome.ok and outcome.http_status == 401,
        what=f"login as {lookalike_row.label()}, a lookalike of a declared JWT principal",
        expected=f"refused with HTTP 401: the declared pattern {declared!r} refuses it",
        observed=outcome,
        fix=FIX,
    )
