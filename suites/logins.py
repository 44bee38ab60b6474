"""Login cases: each principal of ``expectations.authentication`` crossed with its provider's attacks.

Test ids read like ``test_ldap_login[bob-wrong-password-rejected]``: who, which case, and what the
server must do. Only ``valid`` on a row with a ``user`` must log in (as that user); every other
case, and ``valid`` on a row whose user is null, must be refused with HTTP 401.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

import pytest

from fixtures.parametrize import Table
from trino_harness.evidence import check
from trino_harness.protocol import Answer
from trino_harness.scenario.model import AuthenticationRow, Scenario

PASSWORD_CASES = ("valid", "wrong-password", "empty-password", "other-case", "unknown-user")
LDAP_CASES = (*PASSWORD_CASES, "filter-wildcard", "filter-injection", "dn-injection")


@dataclass(frozen=True)
class LoginCase:
    row: AuthenticationRow
    case: str

    @property
    def must_log_in(self) -> bool:
        return self.case == "valid" and self.row.user is not None

    def test_id(self) -> str:
        name = self.row.label().removeprefix(f"{self.row.provider}-")
        return f"{name}-{self.case}-{'accepted' if self.must_log_in else 'rejected'}"


def login_table(provider: str, cases: tuple[str, ...]) -> Table:
    """``login_case``: every row of ``provider`` in ``expectations.authentication`` crossed with ``cases``."""

    def rows(scenario: Scenario, test: str) -> list[LoginCase]:
        principals = [r for r in scenario.expectations.authentication if r.provider == provider]
        return [LoginCase(row, case) for row in principals for case in cases]

    return Table(
        "login_case",
        rows,
        empty=f"no '{provider}' principal in expectations.authentication: add one to test this provider",
    )


def password_attempt(login: str, password: str, case: str) -> tuple[str, str]:
    """The (user, password) a case sends; metacharacter cases keep the real password, so a
    widened LDAP filter or DN would let them in."""
    return {
        "valid": (login, password),
        "wrong-password": (login, password + "-wrong"),
        "empty-password": (login, ""),
        "other-case": (login.upper() if login != login.upper() else login.lower(), password),
        "unknown-user": (f"unknown_{login}", password),
        "filter-wildcard": ("*", password),
        "filter-injection": (f"{login})(uid=*", password),
        "dn-injection": (f"{login},ou=people", password),
    }[case]


def judge(login: LoginCase, answer: Answer, what: str, fix: str, tls_alert_refuses: bool = False) -> None:
    """The verdict every provider shares; ``other-case`` may also map to the very same user.

    ``tls_alert_refuses``: for client certificates the server may refuse during the handshake.
    """
    row = login.row
    if login.must_log_in:
        check(
            answer.accepted and answer.user == row.user,
            what=what,
            expected=f"logged in as Trino user {row.user}",
            observed=answer,
            fix=fix,
        )
        return
    same_user = login.case == "other-case" and row.user is not None and answer.user == row.user
    alert = tls_alert_refuses and answer.transport is not None and answer.transport.kind == "tls-alert"
    check(
        answer.status == 401 or same_user or alert,
        what=what,
        expected="refused with HTTP 401"
        + (" or a TLS alert" if tls_alert_refuses else "")
        + (f" (or logged in as the same user {row.user})" if login.case == "other-case" else ""),
        observed=answer,
        fix=fix,
    )


def judge_mapping(
    answer: Answer, user: str | None, what: str, refusal: str, refused_fix: str, accepted_fix: str
) -> None:
    """A valid credential's verdict where the row names the mapped user, or ``None``: the mapping must
    refuse it with HTTP 401 (Kerberos principals, OAuth2 users); ``refusal`` says which mapping."""
    if user is None:
        check(
            answer.status == 401,
            what=what,
            expected=f"HTTP 401: {refusal}",
            observed=answer,
            fix=refused_fix,
        )
        return
    check(
        answer.accepted and answer.user == user,
        what=what,
        expected=f"logged in as Trino user {user}",
        observed=answer,
        fix=accepted_fix,
    )


def no_authenticator(scenario: Scenario, provider: str, what: str) -> NoReturn:
    """The config names no ``provider`` authenticator: a skip only when the scenario declares none
    either; declared logins with no authenticator to lint is a check that cannot judge."""
    if any(row.provider == provider for row in scenario.expectations.authentication):
        pytest.fail(
            f"cannot judge: the scenario declares {what} logins but the config names no {what} password "
            "authenticator (password-authenticator.config-files)",
            pytrace=False,
        )
    pytest.skip(f"no {what} password authenticator configured, none declared")
