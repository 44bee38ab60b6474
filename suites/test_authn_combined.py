"""Several providers on one coordinator: each works beside the others, and a credential that fails
in one provider is never rescued by another."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from trino_harness.clients import mint_jwt
from trino_harness.evidence import check
from trino_harness.protocol import Answer, submit
from trino_harness.scenario.model import AuthenticationRow

pytestmark = pytest.mark.authn


def _row(scenario, provider: str, mapped: bool = True) -> AuthenticationRow:
    for row in scenario.expectations.authentication:
        if row.provider == provider and (row.user is not None) == mapped:
            return row
    state = "a mapped" if mapped else "an unmapped (user: null)"
    pytest.skip(f"needs {state} '{provider}' principal in expectations.authentication")


def _password(target, row: AuthenticationRow) -> str:
    return target.password(row.provider, row.principal)


def _unmapped_cert_with_wrong_password(target, scenario) -> tuple[Answer, str | None]:
    cert, pw = _row(scenario, "certificate", mapped=False), _row(scenario, "file")
    answer = submit(
        target,
        cert=target.client_cert(cert.principal),
        auth=(pw.principal, _password(target, pw) + "-wrong"),
    )
    return answer, None


def _mapped_cert_with_another_users_wrong_password(target, scenario) -> tuple[Answer, str | None]:
    cert = _row(scenario, "certificate")
    operator = scenario.operator
    answer = submit(
        target, cert=target.client_cert(cert.principal), auth=(operator.principal, "not-the-password")
    )
    return answer, cert.user


def _jwt_sent_as_password(target, scenario) -> tuple[Answer, str | None]:
    row = _row(scenario, "jwt")
    return submit(target, auth=(row.principal, mint_jwt(target, row.principal))), None


def _file_password_for_ldap_user(target, scenario) -> tuple[Answer, str | None]:
    ldap, file = _row(scenario, "ldap"), _row(scenario, "file")
    return submit(target, auth=(ldap.principal, _password(target, file))), None


# case -> (attempt, what the server must do)
CROSS_CASES: dict[str, Callable[..., tuple[Answer, str | None]]] = {
    "unmapped-certificate-with-wrong-password-rejected": _unmapped_cert_with_wrong_password,
    "certificate-with-another-users-wrong-password-runs-as-certificate-user": (
        _mapped_cert_with_another_users_wrong_password
    ),
    "jwt-sent-as-password-rejected": _jwt_sent_as_password,
    "password-file-password-for-ldap-user-rejected": _file_password_for_ldap_user,
}


@pytest.mark.parametrize("case", list(CROSS_CASES))
def test_failure_in_one_provider_never_authenticates_through_another(target, scenario, case):
    answer, must_be_user = CROSS_CASES[case](target, scenario)
    if must_be_user is None:
        check(
            answer.status == 401,
            what=case.replace("-", " "),
            expected="refused with HTTP 401",
            observed=answer,
            fix="each authenticator judges only its own credential; review http-server.authentication.type",
        )
    else:
        check(
            answer.accepted and answer.user == must_be_user,
            what=case.replace("-", " "),
            expected=f"runs as {must_be_user} (the valid credential's user), never the failed one's",
            observed=answer,
            fix="review the order in http-server.authentication.type and each provider's user mapping",
        )


def test_every_provider_logs_in_on_the_same_coordinator(target, scenario):
    outcomes = {}
    for row in scenario.expectations.authentication:
        if row.user is None or row.provider in outcomes:
            continue
        if row.provider in ("file", "ldap"):
            answer = submit(target, auth=(row.principal, _password(target, row)))
        elif row.provider == "jwt":
            answer = submit(target, headers={"Authorization": f"Bearer {mint_jwt(target, row.principal)}"})
        else:
            answer = submit(target, cert=target.client_cert(row.principal))
        outcomes[row.provider] = (row, answer)
    if len(outcomes) < 2:
        pytest.skip("fewer than two providers have a mapped principal in expectations.authentication")
    wrong = {p: str(a) for p, (r, a) in outcomes.items() if not (a.accepted and a.user == r.user)}
    check(
        not wrong,
        what=f"one login per provider ({', '.join(outcomes)}) against the same coordinator",
        expected="every provider logs its principal in as the declared user",
        observed=wrong or "all logged in",
        fix="list every provider in http-server.authentication.type",
    )
