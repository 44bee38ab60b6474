"""Account inventory: everyone who can log in is declared.

An account nobody declared (a leftover test user, a vendor default) passes every check that only
tries the declared ones. So the effective password file is read for undeclared entries, and a
bounded list of well-known default credentials (scenarios/default-credentials.yaml, data users
extend) is tried against the coordinator's password authenticators: every login must be refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trino_harness.config_lint import password_file_accounts
from trino_harness.default_credentials import DEFAULT_FILE, attempts, load_default_credentials
from trino_harness.evidence import Read, cannot_judge, check, check_none_found
from trino_harness.protocol import submit

pytestmark = pytest.mark.authn


def test_password_file_holds_only_declared_accounts(target, scenario):
    files, accounts = password_file_accounts(target.coordinator_config())
    declared = {u.login_name for u in scenario.users if u.credential == "file"}
    if not files:
        if declared or any(r.provider == "file" for r in scenario.expectations.authentication):
            cannot_judge(
                f"the scenario declares file users ({', '.join(sorted(declared)) or 'file logins'}) but the "
                "config copy names no file password authenticator (password-authenticator.config-files, "
                "password-authenticator.name=file): the password file to inventory cannot be found"
            )
        pytest.skip("no file password authenticator configured, no file user declared")
    extra = [f"{file}:{line} '{user}'" for file, line, user in accounts if user not in declared]
    check_none_found(
        extra,
        read=Read(tuple(files), tuple(f"{file}:{line} '{user}'" for file, line, user in accounts)),
        what=f"accounts in {', '.join(files)} (the effective password files)",
        expected=f"only the scenario's file users: {sorted(declared)}",
        fix="remove the undeclared lines (or declare the accounts under users: with credential: file)",
    )


def test_well_known_default_credentials_are_refused(target, scenario, measure):
    target.default_credential_probe()  # opt-in on a remote target (failed logins count toward lockout)
    providers = sorted(
        {r.provider for r in scenario.expectations.authentication if r.provider in ("file", "ldap")}
    )
    if not providers:
        pytest.skip(
            "the scenario declares no password provider (file or ldap) in expectations.authentication"
        )
    listed = scenario.expectations.default_credentials_file
    path = (Path(target.scenario_path).parent / listed) if listed else DEFAULT_FILE
    tries = attempts(load_default_credentials(path), scenario)
    accepted, unclear = [], []
    for attempt in tries:
        answer = submit(target, "SELECT 1", auth=(attempt.user, attempt.password))
        measure("default-credential login attempts (each tried by every password authenticator)", 1)
        if answer.ok:
            accepted.append(f"'{attempt.user}' with {attempt.why}")
        elif answer.status != 401:
            unclear.append(f"'{attempt.user}' ({attempt.why}): {answer}")
    if unclear and not accepted:
        cannot_judge(f"not a clear refusal: {unclear}")
    check(
        not accepted,
        what=f"{len(tries)} login attempts with well-known default credentials ({path.name}) at "
        f"{target.url}, "
        f"each tried by the password authenticators ({', '.join(providers)})",
        expected="every attempt refused (HTTP 401)",
        observed=f"logged in: {accepted}" if accepted else f"all {len(tries)} refused",
        fix="remove or re-password those accounts in the password file / directory; never ship defaults",
    )
