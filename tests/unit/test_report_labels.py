"""Stage, provider and severity come from one table; every suite check gets all three."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from trino_harness.reporting.labels import labels_of, provider_of, severity_of, stage_of
from trino_harness.scenario.model import AuthenticationRow, GroupAccessRow, ImpersonationRow, Principal

REPO = Path(__file__).resolve().parents[2]
# A child pytest that collects the suites and prints what the reporting plugin decided per item.
COLLECT_LABELS = """
import sys, pytest
from trino_harness.reporting.plugin import _labels_key

class Probe:
    def pytest_collection_finish(self, session):
        for item in session.items:
            labels = item.stash.get(_labels_key, None)
            fields = (labels.stage, labels.provider, labels.severity) if labels else ("-", "-", "-")
            print("\\t".join((item.nodeid, *fields)))

sys.exit(pytest.main(["suites/", "--collect-only", "-q", "-p", "no:cacheprovider"], plugins=[Probe()]))
"""


def test_stage_is_the_first_stage_marker_in_report_order():
    assert stage_of(["parametrize", "authz", "tls"]) == "tls"
    assert stage_of(["integration"]) is None


def test_provider_comes_from_the_module_before_the_rows():
    row = AuthenticationRow(provider="file", principal="alice@harness.test", user="alice")
    assert provider_of("test_authn_ldap", {"login_case": row}) == "ldap"
    assert provider_of("test_authn_combined", {}) == "combined"


def test_provider_comes_from_the_principal_a_row_logs_in_with():
    jwt = Principal(provider="jwt", principal="svc_etl@harness.test")
    impersonation = ImpersonationRow.model_validate({"principal": jwt, "as": "alice", "allowed": True})
    assert provider_of("test_impersonation", {"impersonation_row": impersonation}) == "jwt"
    via = GroupAccessRow(
        user="alice", via=Principal(provider="file", principal="svc_bi"), table="a.b.c", allowed=True
    )
    assert provider_of("test_groups", {"group_access_row": via}) == "password_file"
    direct = GroupAccessRow(user="alice", table="a.b.c", allowed=True)
    assert provider_of("test_groups", {"group_access_row": direct}) == "none"
    assert provider_of("test_tls", {"weak_cipher": "RC4"}) == "none"


@pytest.mark.parametrize(
    ("stage", "function", "case_id", "severity"),
    [
        ("tls", "test_no_weak_cipher_suite_is_offered", "RC4", "critical"),
        ("authn", "test_ldap_login", "bob-wrong-password-rejected", "critical"),
        ("authn", "test_ldap_login", "bob-valid-accepted", "normal"),
        ("authn", "test_principal_maps_to_expected_user", "certificate-mallory-refused", "critical"),
        (
            "authz",
            "test_impersonation_is_allowed_or_denied_as_declared",
            "file-svc_bi-as-admin-denied",
            "critical",
        ),
        ("authz", "test_query_kill_is_allowed_only_as_declared", "bob-on-alice-see-no-kill-no", "critical"),
        ("authz", "test_query_kill_is_allowed_only_as_declared", "admin-on-alice-see-yes-kill-yes", "normal"),
        (
            "audit",
            "test_failed_login_is_in_the_request_log",
            "jwt-alice@evil.test-refused-principal",
            "normal",
        ),
        ("smoke", "test_server_reports_the_pinned_version", "", "minor"),
        ("secrets", "test_no_secret_is_written_literally_in_the_config", "", "critical"),
        ("authn", "test_ldap_connection_from_trino_is_encrypted", "", "critical"),
        ("authn", "test_request_without_credentials_gets_a_basic_challenge", "", "minor"),
    ],
)
def test_severity_rules(stage, function, case_id, severity):
    assert severity_of(stage, function, case_id) == severity


def test_an_item_without_a_stage_marker_is_not_a_control():
    assert labels_of(["integration"], "test_x", "test_y", "", {}) is None


def test_every_collected_suite_check_is_labelled():
    """Collect the real suites (no Docker) and read the labels the plugin put on each item."""
    done = subprocess.run(
        [sys.executable, "-c", COLLECT_LABELS],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    rows = [line.split("\t") for line in done.stdout.splitlines() if line.count("\t") == 3]
    assert len(rows) > 100
    by_id = {nodeid: (stage, provider, severity) for nodeid, stage, provider, severity in rows}
    assert all(stage != "-" for stage, _, _ in by_id.values()), "a suite check without a stage"
    ldap = "suites/test_authn_ldap.py::test_ldap_login[carol-valid-rejected]"
    assert by_id[ldap] == ("authn", "ldap", "critical")
    tls = "suites/test_tls.py::test_no_weak_cipher_suite_is_offered[RC4]"
    assert by_id[tls] == ("tls", "none", "critical")
    impersonation = "suites/test_impersonation.py::test_impersonation_is_allowed_or_denied_as_declared"
    assert by_id[impersonation + "[jwt-svc_etl@harness.test-as-alice-allowed]"] == ("authz", "jwt", "normal")
    assert by_id[impersonation + "[file-svc_bi-as-admin-denied]"] == ("authz", "password_file", "critical")
    audit = "suites/test_audit.py::test_query_leaves_exactly_one_completed_event"
    assert by_id[audit + "[ldap-bob-failed-DIVISION_BY_ZERO]"] == ("audit", "ldap", "normal")
    secrets = "suites/test_secrets.py::test_no_secret_is_written_literally_in_the_config"
    assert by_id[secrets] == ("secrets", "none", "critical")
