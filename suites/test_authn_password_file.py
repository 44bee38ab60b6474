"""Password file authenticator: bcrypt-hashed logins, every wrong variant refused, hashes linted."""

from __future__ import annotations

import pytest

from trino_harness.config_lint import IncompleteConfigCopy, lint_password_files
from trino_harness.evidence import check
from trino_harness.protocol import submit

from .logins import PASSWORD_CASES, judge, login_table, no_authenticator, password_attempt

pytestmark = pytest.mark.authn


TABLES = (login_table("file", PASSWORD_CASES),)


def test_password_file_login(target, login_case):
    row = login_case.row
    user, password = password_attempt(row.principal, target.password("file", row.principal), login_case.case)
    judge(
        login_case,
        submit(target, auth=(user, password)),
        what=f"password-file login '{user}' ({login_case.case})",
        fix="check file.password-file entries (user:bcrypt-hash) and the password user mapping",
    )


def test_request_without_credentials_gets_a_basic_challenge(target):
    answer = submit(target)
    check(
        answer.status == 401 and any(c.startswith("Basic ") for c in answer.challenges),
        what="statement without any credential",
        expected='HTTP 401 with WWW-Authenticate: Basic realm="Trino"',
        observed=answer,
        fix="enable PASSWORD in http-server.authentication.type",
    )


def test_password_file_hashes_are_strong(target, scenario):
    floors = scenario.expectations.password_file
    try:
        files, findings = lint_password_files(
            target.coordinator_config(), floors.min_bcrypt_cost, floors.min_pbkdf2_iterations
        )
    except IncompleteConfigCopy as exc:
        pytest.fail(f"cannot judge: {exc}", pytrace=False)
    if not files:
        no_authenticator(scenario, "file", "password-file")
    check(
        not findings,
        what=f"password file entries in {', '.join(files)}",
        expected=(
            f"bcrypt cost >= {floors.min_bcrypt_cost} or PBKDF2 iterations >= {floors.min_pbkdf2_iterations}"
        ),
        observed="; ".join(str(f) for f in findings) or "all entries strong",
        fix="rehash weak entries: htpasswd -B -C 10 FILE USER (bcrypt, cost 10 or more)",
    )
