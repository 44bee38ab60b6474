"""LDAP authenticator: directory logins over LDAPS, the group gate, and no filter or DN widening."""

from __future__ import annotations

import pytest

from trino_harness.config_lint import IncompleteConfigCopy, ldap_transport_findings
from trino_harness.evidence import check
from trino_harness.protocol import submit

from .logins import LDAP_CASES, judge, login_table, no_authenticator, password_attempt

pytestmark = pytest.mark.authn

FIXES = {
    "valid": "check ldap.user-bind-pattern, ldap.group-auth-pattern (the allowed group) and the password "
    "user mapping",
    "empty-password": "an LDAP server that treats an empty password as an unauthenticated bind must sit "
    "behind an authenticator that refuses empty passwords (Trino's does)",
    "filter-wildcard": "never build the bind DN or group filter from unescaped user input",
    "filter-injection": "never build the bind DN or group filter from unescaped user input",
    "dn-injection": "never build the bind DN or group filter from unescaped user input",
}


TABLES = (login_table("ldap", LDAP_CASES),)


def test_ldap_login(target, login_case):
    row = login_case.row
    user, password = password_attempt(row.principal, target.password("ldap", row.principal), login_case.case)
    fix = FIXES.get(login_case.case, "check the LDAP authenticator's bind pattern and group gate")
    if login_case.case == "valid" and row.user is None:
        fix = "set ldap.group-auth-pattern (with ldap.user-base-dn) so only the allowed group may log in"
    judge(login_case, submit(target, auth=(user, password)), f"LDAP login '{user}' ({login_case.case})", fix)


def test_ldap_connection_from_trino_is_encrypted(target, scenario):
    try:
        urls, findings = ldap_transport_findings(target.coordinator_config())
    except IncompleteConfigCopy as exc:
        pytest.fail(f"cannot judge: {exc}", pytrace=False)
    if not urls:
        no_authenticator(scenario, "ldap", "LDAP")
    check(
        not findings,
        what="Trino's LDAP connections, authenticators and group provider (" + "; ".join(urls) + ")",
        expected="ldaps:// with certificate verification (ldap.allow-insecure unset)",
        observed="; ".join(findings) or "ldaps://",
        fix="use ldap.url=ldaps://HOST:636 with ldap.ssl.truststore.path, and remove ldap.allow-insecure "
        "(in the file named; Trino 476's LDAP group provider fails over LDAPS: 'SSLContext was not "
        "set', trinodb/trino#25527, so resolve groups another way there rather than in cleartext)",
    )
