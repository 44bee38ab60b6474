"""Negative controls for groups, query visibility, user mapping and audit: each misconfiguration turns
exactly the checks that depend on it red, with a message naming the problem.

Expected red sets are derived from the baseline's tables, so adding a row keeps these precise.
"""

from __future__ import annotations

import pytest

from trino_harness.scenario.loader import load_scenario

from .conftest import VARIANTS, harness_leftovers, run_suites

pytestmark = pytest.mark.integration
EXPECTATIONS = load_scenario().expectations


def _ids(test: str, table: str, keep=lambda row: True) -> list[str]:
    return [f"{test}[{row.test_id()}]" for row in getattr(EXPECTATIONS, table) if keep(row)]


GROUPS = "test_groups.py::test_group_provider_reports_the_declared_groups"
GROUP_TABLE = "test_groups.py::test_group_rule_decides_table_access"
SEE = "test_query_visibility.py::test_query_text_is_visible_only_as_declared"
KILL = "test_query_visibility.py::test_query_kill_is_allowed_only_as_declared"


def test_missing_group_provider_turns_every_group_dependent_check_red():
    run = run_suites("-n", "2", "--trino-config-overlay", str(VARIANTS / "group-provider-missing"))
    assert run.returncode == 1, run.output[-3000:]
    others = lambda row: row.viewer != row.owner  # noqa: E731 - own queries need no group
    expected = sorted(
        _ids(GROUPS, "group_access")  # every user, direct or impersonated, now has no groups
        + _ids(GROUP_TABLE, "group_access", lambda row: row.allowed)  # only group rules allowed these
        + _ids(SEE, "query_visibility", lambda row: others(row) and row.can_see)  # admins' view rule
        + _ids(KILL, "query_visibility", lambda row: others(row) and row.can_kill)
        + [
            "test_table_access.py::test_table_read_is_allowed_or_denied_as_declared"
            "[alice-postgresql.public.orders-allowed]",
            "test_smoke.py::test_server_reports_the_pinned_version",  # the operator reads as an admin
        ]
    )
    assert run.failed == expected, run.output[-5000:]
    assert "current_user, current_groups() for file-svc_bi impersonating alice" in run.output
    assert "expected: ('alice', ['analysts'])" in run.output and "observed: ('alice', [])" in run.output
    assert "usual fix: etc/group-provider.properties must name a group provider" in run.output
    assert harness_leftovers() == []


def test_permissive_jwt_user_mapping_turns_the_refused_principal_checks_red():
    run = run_suites("-n", "2", "--trino-config-overlay", str(VARIANTS / "user-mapping-permissive"))
    assert run.returncode == 1, run.output[-3000:]
    evil = "jwt-alice@evil.test-refused"
    assert run.failed == [
        f"test_audit_auth_failures.py::test_failed_login_is_in_the_request_log[{evil}-principal]",
        f"test_audit_auth_failures.py::test_failed_login_leaves_no_query_and_no_query_event[{evil}-principal]",
        f"test_user_mapping.py::test_principal_maps_to_expected_user[{evil}]",
    ], run.output[-5000:]
    assert "login as jwt-alice@evil.test (refused principal)" in run.output
    assert "expected: HTTP 401 and no query id" in run.output
    assert "observed: HTTP 200" in run.output and "anchor the domain" in run.output
    assert harness_leftovers() == []


def test_allow_all_access_control_turns_exactly_the_declared_denials_red():
    run = run_suites("-n", "2", "--trino-config-overlay", str(VARIANTS / "access-control-allow-all"))
    assert run.returncode == 1, run.output[-3000:]
    denied = lambda row: not row.allowed  # noqa: E731
    expected = sorted(
        _ids(
            "test_impersonation.py::test_impersonation_is_allowed_or_denied_as_declared",
            "impersonation",
            denied,
        )
        + _ids(
            "test_table_access.py::test_table_read_is_allowed_or_denied_as_declared", "table_access", denied
        )
        + _ids(GROUP_TABLE, "group_access", denied)
        + _ids(SEE, "query_visibility", lambda row: not row.can_see)
        + _ids(KILL, "query_visibility", lambda row: not row.can_kill)
        + _ids(
            "test_audit.py::test_completed_event_records_who_ran_what_and_how_it_ended",
            "audit",
            lambda row: row.error == "PERMISSION_DENIED",
        )
    )
    assert run.failed == expected, run.output[-5000:]
    assert (
        "expected: PERMISSION_DENIED (Access Denied: Cannot kill query); the query keeps RUNNING"
        in run.output
    )
    assert "query then FAILED ADMINISTRATIVELY_KILLED" in run.output
    assert (
        "'state': 'FINISHED', 'error_code': None" in run.output
    )  # the audit shows the denial did not happen
    assert harness_leftovers() == []
